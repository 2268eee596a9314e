/* sdt_jni.c — the natives of com.marsgo.mars.sdt.Sdt: an active network check
 * (mars_sdt_check), JSON in and JSON out. */
#include "marsjni.h"

/* The report is handed over as UTF-8 bytes (see xlog_jni.c's decode). */
static jint n_check(JNIEnv *env, jclass cls, jstring request, jint client_version, jobjectArray out) {
    (void)cls;
    if (!out || (*env)->GetArrayLength(env, out) < 1) return MARS_EINVAL;
    mj_str req;
    int rc = mj_str_get(env, request, &req);
    if (rc != MARS_OK) return rc;
    char *json = NULL;
    size_t len = 0;
    rc = mars_sdt_check(req.s, (uint32_t)client_version, &json, &len);
    mj_str_release(env, &req);
    if (rc == MARS_OK) {
        jbyteArray b = mj_bytes(env, (const uint8_t *)json, len);
        if (b) (*env)->SetObjectArrayElement(env, out, 0, b);
        else rc = MARS_ENOMEM;
    }
    mars_free(json);
    return rc;
}

/* The process-wide error detail, where mars_sdt_check leaves it. */
static jstring n_errmsg(JNIEnv *env, jclass cls) {
    (void)cls;
    char buf[512];
    if (mars_stn_errmsg(NULL, buf, sizeof buf) == MARS_EBADHANDLE) buf[0] = 0;
    return mj_jstring(env, buf);
}

int mj_register_sdt(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"nativeCheck", "(Ljava/lang/String;I[[B)I", (void *)n_check},
        {"nativeErrmsg", "()Ljava/lang/String;", (void *)n_errmsg},
    };
    return MJ_REGISTER(env, "com/marsgo/mars/sdt/Sdt", methods);
}
