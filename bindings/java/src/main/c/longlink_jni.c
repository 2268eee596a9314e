/* longlink_jni.c — the natives of com.marsgo.mars.stn.Stn for several named
 * long links (mars_stn_create_longlink and friends). Each returns a MARS_*
 * code that the Java side turns into a MarsException (Mars.check). */
#include "marsjni.h"

#include <stdlib.h>
#include <string.h>

#define STN(h) ((mars_stn *)(intptr_t)(h))

/* Numeric fields, in the order of LongLinkConfig.numbers(). */
enum { LN_CLIENT_VERSION, LN_TLS, LN_PROXY_KIND, LN_HEARTBEAT_MODE, LN_HEARTBEAT_INTERVAL, LN_IDENTIFY,
       LN_KEEP_ALIVE, LN_MAIN, LN_COUNT };

/* String fields, in the order of LongLinkConfig.strings(). */
enum { LS_NAME, LS_HOST, LS_DEBUG_IP, LS_TLS_SERVER_NAME, LS_TLS_ROOT_CA_PEM, LS_PROXY_ADDR, LS_PROXY_USER,
       LS_PROXY_PASSWORD, LS_COUNT };

static void apply_numbers(const jlong *v, mars_longlink_config *c) {
    c->client_version = (uint32_t)v[LN_CLIENT_VERSION];
    c->tls = (int32_t)v[LN_TLS];
    c->proxy_kind = (int32_t)v[LN_PROXY_KIND];
    c->heartbeat_mode = (int32_t)v[LN_HEARTBEAT_MODE];
    c->heartbeat_interval_ms = v[LN_HEARTBEAT_INTERVAL];
    c->identify_check = v[LN_IDENTIFY] != 0;
    c->keep_alive = v[LN_KEEP_ALIVE] != 0;
    c->main = v[LN_MAIN] != 0;
}

static void apply_strings(const mj_str *s, mars_longlink_config *c) {
    c->name = s[LS_NAME].s;
    c->host = s[LS_HOST].s;
    c->debug_ip = s[LS_DEBUG_IP].s;
    c->tls_server_name = s[LS_TLS_SERVER_NAME].s;
    c->tls_root_ca_pem = s[LS_TLS_ROOT_CA_PEM].s;
    c->proxy_addr = s[LS_PROXY_ADDR].s;
    c->proxy_user = s[LS_PROXY_USER].s;
    c->proxy_password = s[LS_PROXY_PASSWORD].s;
}

static jint n_create(JNIEnv *env, jclass cls, jlong h, jlongArray nums, jobjectArray strs, jintArray ports,
                     jobjectArray backup_ips, jbyteArray pins) {
    (void)cls;
    if (!nums || !strs || (*env)->GetArrayLength(env, nums) != LN_COUNT ||
        (*env)->GetArrayLength(env, strs) != LS_COUNT)
        return MARS_EINVAL;
    /* mars_longlink_config_init's defaults by hand: it writes the library's
     * sizeof, which a newer library may have grown past this struct. */
    mars_longlink_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.struct_size = sizeof cfg;
    jlong v[LN_COUNT];
    (*env)->GetLongArrayRegion(env, nums, 0, LN_COUNT, v);
    apply_numbers(v, &cfg);

    mj_str s[LS_COUNT];
    int rc = mj_str_table_get(env, strs, s, LS_COUNT);
    apply_strings(s, &cfg);
    uint16_t *p = NULL;
    if (rc == MARS_OK) rc = mj_ports_get(env, ports, &p, &cfg.ports_len);
    cfg.ports = p;
    mj_strs ips;
    memset(&ips, 0, sizeof ips);
    if (rc == MARS_OK) rc = mj_strs_get(env, backup_ips, &ips);
    cfg.backup_ips = ips.ptrs;
    cfg.backup_ips_len = ips.len;
    jbyte *pin_bytes = NULL;
    if (rc == MARS_OK) rc = mj_pins_get(env, pins, &pin_bytes, &cfg.tls_pinned_spki_len);
    cfg.tls_pinned_spki_sha256 = (const uint8_t *)pin_bytes;
    if (rc == MARS_OK) rc = mars_stn_create_longlink(STN(h), &cfg);
    mj_pins_release(env, pins, pin_bytes);
    mj_strs_release(env, &ips);
    free(p);
    mj_str_table_release(env, s, LS_COUNT);
    return rc;
}

/* named runs one of the calls that take a link name. */
enum { OP_DESTROY, OP_MARK_MAIN, OP_MAKESURE };

static jint named(JNIEnv *env, jlong h, jstring name, int op) {
    mj_str n;
    int rc = mj_str_get(env, name, &n);
    if (rc != MARS_OK) return rc;
    switch (op) {
    case OP_DESTROY: rc = mars_stn_destroy_longlink(STN(h), n.s); break;
    case OP_MARK_MAIN: rc = mars_stn_mark_main_longlink(STN(h), n.s); break;
    default: rc = mars_stn_makesure_named_longlink_connected(STN(h), n.s); break;
    }
    mj_str_release(env, &n);
    return rc;
}

static jint n_destroy(JNIEnv *env, jclass cls, jlong h, jstring name) {
    (void)cls;
    return named(env, h, name, OP_DESTROY);
}

static jint n_mark_main(JNIEnv *env, jclass cls, jlong h, jstring name) {
    (void)cls;
    return named(env, h, name, OP_MARK_MAIN);
}

static jint n_makesure(JNIEnv *env, jclass cls, jlong h, jstring name) {
    (void)cls;
    return named(env, h, name, OP_MAKESURE);
}

static jint n_is_connected(JNIEnv *env, jclass cls, jlong h, jstring name, jintArray out) {
    (void)cls;
    mj_str n;
    int rc = mj_str_get(env, name, &n);
    if (rc != MARS_OK) return rc;
    int v = 0;
    rc = mars_stn_named_longlink_is_connected(STN(h), n.s, &v);
    mj_str_release(env, &n);
    if (rc == MARS_OK) mj_set_int(env, out, v);
    return rc;
}

/* The names come as one block of NUL-terminated strings; out[0] gets a String[]. */
static jint n_longlinks(JNIEnv *env, jclass cls, jlong h, jobjectArray out) {
    (void)cls;
    if (!out || (*env)->GetArrayLength(env, out) < 1) return MARS_EINVAL;
    char *block = NULL;
    size_t len = 0;
    int rc = mars_stn_longlinks(STN(h), &block, &len);
    if (rc != MARS_OK) return rc;
    jsize count = 0;
    for (size_t i = 0; i < len; i++)
        if (block[i] == 0) count++;
    jobjectArray names = (*env)->NewObjectArray(env, count, mj_string_cls, NULL);
    for (size_t i = 0, k = 0; names && k < (size_t)count; k++) {
        jstring s = mj_jstring(env, block + i);
        if (!s) break;
        (*env)->SetObjectArrayElement(env, names, (jsize)k, s);
        (*env)->DeleteLocalRef(env, s);
        i += strlen(block + i) + 1;
    }
    mars_free(block);
    if (!names || (*env)->ExceptionCheck(env)) return MARS_EINTERNAL;
    (*env)->SetObjectArrayElement(env, out, 0, names);
    return MARS_OK;
}

/* The main link's name into out[0]; the buffer grows while it is too small. */
static jint n_main(JNIEnv *env, jclass cls, jlong h, jobjectArray out) {
    (void)cls;
    if (!out || (*env)->GetArrayLength(env, out) < 1) return MARS_EINVAL;
    char small[128];
    char *buf = small;
    size_t size = sizeof small;
    int rc;
    while ((rc = mars_stn_main_longlink(STN(h), buf, size)) == MARS_ERANGE && size < ((size_t)1 << 24)) {
        size *= 4;
        char *bigger = buf == small ? malloc(size) : realloc(buf, size);
        if (!bigger) {
            rc = MARS_EINTERNAL;
            break;
        }
        buf = bigger;
    }
    if (rc == MARS_OK) {
        jstring s = mj_jstring(env, buf);
        if (s) (*env)->SetObjectArrayElement(env, out, 0, s);
        else rc = MARS_EINTERNAL;
    }
    if (buf != small) free(buf);
    return rc;
}

#define S "Ljava/lang/String;"
#define SA "[Ljava/lang/String;"

int mj_register_longlinks(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"nativeCreateLongLink", "(J[J" SA "[I" SA "[B)I", (void *)n_create},
        {"nativeDestroyLongLink", "(J" S ")I", (void *)n_destroy},
        {"nativeLongLinks", "(J[Ljava/lang/Object;)I", (void *)n_longlinks},
        {"nativeMainLongLink", "(J" SA ")I", (void *)n_main},
        {"nativeMarkMainLongLink", "(J" S ")I", (void *)n_mark_main},
        {"nativeNamedIsConnected", "(J" S "[I)I", (void *)n_is_connected},
        {"nativeMakesureNamed", "(J" S ")I", (void *)n_makesure},
    };
    return MJ_REGISTER(env, "com/marsgo/mars/stn/Stn", methods);
}
