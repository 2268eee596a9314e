/* jni_helpers.c — the helpers every glue file shares (marsjni.h): thread
 * attachment, exceptions, and copies of Java strings and arrays into C (and
 * back) for the length of one call. No natives live here. */
#include "marsjni.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Threads this glue attached are detached by this key's destructor when the
 * thread exits. Threads attached by someone else are never detached here. */
static pthread_key_t detach_key;

static void detach_at_exit(void *unused) {
    (void)unused;
    if (mj_vm) (*mj_vm)->DetachCurrentThread(mj_vm);
}

int mj_threads_init(void) { return pthread_key_create(&detach_key, detach_at_exit); }

JNIEnv *mj_env(void) {
    JNIEnv *env = NULL;
    jint rc = (*mj_vm)->GetEnv(mj_vm, (void **)&env, JNI_VERSION_1_8);
    if (rc == JNI_OK) return env;
    if (rc != JNI_EDETACHED) return NULL;
    /* Daemon: a non-daemon attached library thread would keep the JVM from
     * exiting. Attach once, keep it: attaching per call is
     * about 100 times slower. */
    JavaVMAttachArgs args = {JNI_VERSION_1_8, "mars-go callback", NULL};
    if ((*mj_vm)->AttachCurrentThreadAsDaemon(mj_vm, (void **)&env, &args) != JNI_OK) return NULL;
    pthread_setspecific(detach_key, (void *)1);
    return env;
}

int mj_clear_exception(JNIEnv *env) {
    if (!(*env)->ExceptionCheck(env)) return 0;
    (*env)->ExceptionDescribe(env); /* prints and clears */
    (*env)->ExceptionClear(env);
    return 1;
}

/* Enough for one UTF-16 unit of input: at most 3 bytes of UTF-8 (a pair of
 * units, 4 bytes, is also within 2 x 3). */
#define UTF8_PER_UNIT 3

/* utf16_to_utf8 writes n UTF-16 units as UTF-8 to out (room for
 * n * UTF8_PER_UNIT + 1) and NUL-terminates it. Returns the byte count, or
 * -1 at a U+0000 when !nul_visible. */
static long utf16_to_utf8(const jchar *in, jsize n, char *out, int nul_visible) {
    unsigned char *o = (unsigned char *)out;
    for (jsize i = 0; i < n; i++) {
        uint32_t c = in[i];
        if (c == 0) {
            if (!nul_visible) return -1;
            c = 0x2400; /* SYMBOL FOR NULL */
        } else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD; /* unpaired surrogate */
        }
        if (c < 0x80) {
            *o++ = (unsigned char)c;
        } else if (c < 0x800) {
            *o++ = (unsigned char)(0xC0 | c >> 6);
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *o++ = (unsigned char)(0xE0 | c >> 12);
            *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (unsigned char)(0xF0 | c >> 18);
            *o++ = (unsigned char)(0x80 | (c >> 12 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    *o = 0;
    return (long)(o - (unsigned char *)out);
}

static int str_get(JNIEnv *env, jstring j, mj_str *out, int nul_visible) {
    out->j = j;
    out->s = NULL;
    out->heap = NULL;
    if (j == NULL) return MARS_OK;
    jsize n = (*env)->GetStringLength(env, j);
    size_t room = (size_t)n * UTF8_PER_UNIT + 1;
    char *buf = out->small;
    if (room > sizeof out->small) {
        buf = out->heap = malloc(room);
        if (!buf) return MARS_ENOMEM;
    }
    const jchar *units = (*env)->GetStringChars(env, j, NULL);
    if (!units) {
        mj_str_release(env, out);
        return MARS_ENOMEM;
    }
    long len = utf16_to_utf8(units, n, buf, nul_visible);
    (*env)->ReleaseStringChars(env, j, units);
    if (len < 0) {
        mj_str_release(env, out);
        return MARS_EINVAL;
    }
    out->s = buf;
    return MARS_OK;
}

int mj_str_get(JNIEnv *env, jstring j, mj_str *out) {
    return str_get(env, j, out, 0);
}

int mj_text_get(JNIEnv *env, jstring j, mj_str *out) {
    return str_get(env, j, out, 1);
}

/* utf8_to_utf16 decodes n bytes of UTF-8 to out (room for n units); a byte
 * that does not start a valid sequence becomes U+FFFD. Returns the units. */
static jsize utf8_to_utf16(const unsigned char *in, size_t n, jchar *out) {
    jsize o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = in[i];
        uint32_t c;
        size_t len;
        uint32_t min;
        if (b < 0x80) { c = b; len = 1; min = 0; }
        else if ((b & 0xE0) == 0xC0) { c = b & 0x1F; len = 2; min = 0x80; }
        else if ((b & 0xF0) == 0xE0) { c = b & 0x0F; len = 3; min = 0x800; }
        else if ((b & 0xF8) == 0xF0) { c = b & 0x07; len = 4; min = 0x10000; }
        else { out[o++] = 0xFFFD; i++; continue; }
        size_t k = 1;
        for (; k < len && i + k < n && (in[i + k] & 0xC0) == 0x80; k++) c = c << 6 | (in[i + k] & 0x3F);
        if (k < len || c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
            out[o++] = 0xFFFD;
            i += k;
            continue;
        }
        i += len;
        if (c >= 0x10000) {
            c -= 0x10000;
            out[o++] = (jchar)(0xD800 + (c >> 10));
            out[o++] = (jchar)(0xDC00 + (c & 0x3FF));
        } else {
            out[o++] = (jchar)c;
        }
    }
    return o;
}

jstring mj_jstring(JNIEnv *env, const char *s) {
    if (!s) s = "";
    size_t n = strlen(s);
    if (n > 0x3fffffff) return NULL;
    jchar small[128] = {0}; /* zeroed only to quiet -Wmaybe-uninitialized for n == 0 */
    jchar *buf = n <= sizeof small / sizeof small[0] ? small : malloc(n * sizeof(jchar));
    if (!buf) return NULL;
    jsize units = utf8_to_utf16((const unsigned char *)s, n, buf);
    jstring j = (*env)->NewString(env, buf, units);
    if (buf != small) free(buf);
    return j;
}

void mj_str_release(JNIEnv *env, mj_str *s) {
    (void)env;
    free(s->heap);
    s->heap = NULL;
    s->s = NULL;
}

int mj_str_table_get(JNIEnv *env, jobjectArray strs, mj_str *out, int n) {
    memset(out, 0, (size_t)n * sizeof *out);
    int rc = MARS_OK;
    for (int i = 0; i < n; i++) {
        jstring j = (jstring)(*env)->GetObjectArrayElement(env, strs, i);
        if (rc == MARS_OK) rc = mj_str_get(env, j, &out[i]);
        else out[i].j = j;
    }
    return rc;
}

void mj_str_table_release(JNIEnv *env, mj_str *s, int n) {
    for (int i = 0; i < n; i++) {
        mj_str_release(env, &s[i]);
        if (s[i].j) (*env)->DeleteLocalRef(env, s[i].j);
    }
}

int mj_strs_get(JNIEnv *env, jobjectArray j, mj_strs *out) {
    memset(out, 0, sizeof *out);
    out->j = j;
    if (j == NULL) return MARS_OK;
    jsize n = (*env)->GetArrayLength(env, j);
    if (n > MJ_MAX_LIST) return MARS_EINVAL;
    if (n == 0) return MARS_OK;
    /* Every element stays referenced until release: make room for them all. */
    if ((*env)->EnsureLocalCapacity(env, n + 8) != 0) return MARS_ENOMEM;
    out->items = calloc((size_t)n, sizeof *out->items);
    out->ptrs = calloc((size_t)n, sizeof *out->ptrs);
    if (!out->items || !out->ptrs) {
        mj_strs_release(env, out);
        return MARS_ENOMEM;
    }
    for (jsize i = 0; i < n; i++) {
        jstring s = (jstring)(*env)->GetObjectArrayElement(env, j, i);
        if (s == NULL) {
            mj_strs_release(env, out);
            return MARS_EINVAL;
        }
        out->len = (size_t)i + 1;
        int rc = mj_str_get(env, s, &out->items[i]);
        if (rc != MARS_OK) {
            mj_strs_release(env, out);
            return rc;
        }
        out->ptrs[i] = out->items[i].s;
    }
    return MARS_OK;
}

void mj_strs_release(JNIEnv *env, mj_strs *s) {
    for (size_t i = 0; s->items && i < s->len; i++) {
        mj_str_release(env, &s->items[i]);
        if (s->items[i].j) (*env)->DeleteLocalRef(env, s->items[i].j);
    }
    free(s->items);
    free(s->ptrs);
    s->items = NULL;
    s->ptrs = NULL;
    s->len = 0;
}

jbyteArray mj_bytes(JNIEnv *env, const uint8_t *p, size_t n) {
    if (n > 0x7fffffff) return NULL;
    jbyteArray a = (*env)->NewByteArray(env, (jsize)n);
    if (a && n > 0) (*env)->SetByteArrayRegion(env, a, 0, (jsize)n, (const jbyte *)p);
    return a;
}

void mj_set_int(JNIEnv *env, jintArray arr, jint v) {
    if (arr && (*env)->GetArrayLength(env, arr) > 0) (*env)->SetIntArrayRegion(env, arr, 0, 1, &v);
}

void mj_set_long(JNIEnv *env, jlongArray arr, jlong v) {
    if (arr && (*env)->GetArrayLength(env, arr) > 0) (*env)->SetLongArrayRegion(env, arr, 0, 1, &v);
}

int mj_ports_get(JNIEnv *env, jintArray j, uint16_t **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!j) return MARS_OK;
    jsize len = (*env)->GetArrayLength(env, j);
    if (len > MJ_MAX_LIST) return MARS_EINVAL;
    if (len == 0) return MARS_OK;
    jint *v = (*env)->GetIntArrayElements(env, j, NULL);
    uint16_t *p = malloc((size_t)len * sizeof *p);
    int rc = (v && p) ? MARS_OK : MARS_ENOMEM;
    for (jsize i = 0; rc == MARS_OK && i < len; i++) {
        if (v[i] < 0 || v[i] > 65535) rc = MARS_EINVAL;
        else p[i] = (uint16_t)v[i];
    }
    if (v) (*env)->ReleaseIntArrayElements(env, j, v, JNI_ABORT);
    if (rc != MARS_OK) {
        free(p);
        return rc;
    }
    *out = p;
    *n = (size_t)len;
    return MARS_OK;
}

int mj_pins_get(JNIEnv *env, jbyteArray pins, jbyte **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!pins) return MARS_OK;
    jsize len = (*env)->GetArrayLength(env, pins);
    if (len % 32 != 0) return MARS_EINVAL;
    if (len == 0) return MARS_OK;
    *out = (*env)->GetByteArrayElements(env, pins, NULL);
    *n = (size_t)len / 32;
    return *out ? MARS_OK : MARS_ENOMEM;
}

void mj_pins_release(JNIEnv *env, jbyteArray pins, jbyte *p) {
    if (p) (*env)->ReleaseByteArrayElements(env, pins, p, JNI_ABORT);
}

int mj_register_natives(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int n) {
    jclass cls = (*env)->FindClass(env, class_name);
    if (!cls) return -1;
    jint rc = (*env)->RegisterNatives(env, cls, methods, n);
    (*env)->DeleteLocalRef(env, cls);
    return rc;
}
