/* marsjni.c — JNI_OnLoad, thread attachment, the version and error-text
 * natives of com.marsgo.mars.Mars, and the helpers every glue file uses. */
#include "marsjni.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

JavaVM *mj_vm;
jclass mj_string_cls;

/* Threads this glue attached are detached by this key's destructor when the
 * thread exits. Threads attached by someone else are never detached here. */
static pthread_key_t detach_key;

static void detach_at_exit(void *unused) {
    (void)unused;
    if (mj_vm) (*mj_vm)->DetachCurrentThread(mj_vm);
}

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

int mj_str_get(JNIEnv *env, jstring j, mj_str *out) {
    out->j = j;
    out->s = NULL;
    if (j == NULL) return MARS_OK;
    out->s = (*env)->GetStringUTFChars(env, j, NULL);
    return out->s ? MARS_OK : MARS_EINTERNAL;
}

void mj_str_release(JNIEnv *env, mj_str *s) {
    if (s->j && s->s) (*env)->ReleaseStringUTFChars(env, s->j, s->s);
    s->s = NULL;
}

int mj_strs_get(JNIEnv *env, jobjectArray j, mj_strs *out) {
    memset(out, 0, sizeof *out);
    out->j = j;
    if (j == NULL) return MARS_OK;
    jsize n = (*env)->GetArrayLength(env, j);
    if (n > MJ_MAX_LIST) return MARS_EINVAL;
    if (n == 0) return MARS_OK;
    /* Every element stays referenced until release: make room for them all. */
    if ((*env)->EnsureLocalCapacity(env, n + 8) != 0) return MARS_EINTERNAL;
    out->items = calloc((size_t)n, sizeof *out->items);
    out->ptrs = calloc((size_t)n, sizeof *out->ptrs);
    if (!out->items || !out->ptrs) {
        mj_strs_release(env, out);
        return MARS_EINTERNAL;
    }
    for (jsize i = 0; i < n; i++) {
        jstring s = (jstring)(*env)->GetObjectArrayElement(env, j, i);
        if (s == NULL) {
            mj_strs_release(env, out);
            return MARS_EINVAL;
        }
        out->len = (size_t)i + 1;
        if (mj_str_get(env, s, &out->items[i]) != MARS_OK) {
            mj_strs_release(env, out);
            return MARS_EINTERNAL;
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

/* ---- com.marsgo.mars.Mars natives ---- */

static jint n_version_number(JNIEnv *env, jclass cls) {
    (void)env, (void)cls;
    return mars_version_number();
}

static jint n_header_version_number(JNIEnv *env, jclass cls) {
    (void)env, (void)cls;
    return MARS_VERSION_NUMBER;
}

static jstring n_version(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, mars_version());
}

static jstring n_errstr(JNIEnv *env, jclass cls, jint code) {
    (void)cls;
    return (*env)->NewStringUTF(env, mars_errstr(code));
}

static jboolean n_has_feature(JNIEnv *env, jclass cls, jstring name) {
    (void)cls;
    mj_str s;
    if (mj_str_get(env, name, &s) != MARS_OK) return JNI_FALSE;
    int has = mars_has_feature(s.s);
    mj_str_release(env, &s);
    return has ? JNI_TRUE : JNI_FALSE;
}

int mj_register_core(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"nativeVersionNumber", "()I", (void *)n_version_number},
        {"nativeHeaderVersionNumber", "()I", (void *)n_header_version_number},
        {"nativeVersion", "()Ljava/lang/String;", (void *)n_version},
        {"nativeErrstr", "(I)Ljava/lang/String;", (void *)n_errstr},
        {"nativeHasFeature", "(Ljava/lang/String;)Z", (void *)n_has_feature},
    };
    jclass cls = (*env)->FindClass(env, "com/marsgo/mars/Mars");
    if (!cls) return -1;
    jint rc = (*env)->RegisterNatives(env, cls, methods, sizeof methods / sizeof methods[0]);
    (*env)->DeleteLocalRef(env, cls);
    return rc;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    mj_vm = vm;
    JNIEnv *env = NULL;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    if (pthread_key_create(&detach_key, detach_at_exit) != 0) return JNI_ERR;
    jclass s = (*env)->FindClass(env, "java/lang/String");
    if (!s) return JNI_ERR;
    mj_string_cls = (*env)->NewGlobalRef(env, s);
    (*env)->DeleteLocalRef(env, s);
    if (mj_register_core(env) != 0) return JNI_ERR;
    if (mj_init_stn_ids(env) != 0) return JNI_ERR;
    if (mj_register_stn(env) != 0) return JNI_ERR;
    if (mj_register_xlog(env) != 0) return JNI_ERR;
    if (mj_register_sdt(env) != 0) return JNI_ERR;
    return JNI_VERSION_1_8;
}
