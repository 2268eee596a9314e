/* marsjni.c — JNI_OnLoad and the version and error-text natives of
 * com.marsgo.mars.Mars; the shared helpers are in jni_helpers.c. */
#include "marsjni.h"

JavaVM *mj_vm;
jclass mj_string_cls;

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
    return mj_jstring(env, mars_version());
}

static jstring n_errstr(JNIEnv *env, jclass cls, jint code) {
    (void)cls;
    return mj_jstring(env, mars_errstr(code));
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
    return MJ_REGISTER(env, "com/marsgo/mars/Mars", methods);
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    mj_vm = vm;
    JNIEnv *env = NULL;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    if (mj_threads_init() != 0) return JNI_ERR;
    jclass s = (*env)->FindClass(env, "java/lang/String");
    if (!s) return JNI_ERR;
    mj_string_cls = (*env)->NewGlobalRef(env, s);
    (*env)->DeleteLocalRef(env, s);
    if (mj_register_core(env) != 0) return JNI_ERR;
    if (mj_init_stn_ids(env) != 0) return JNI_ERR;
    if (mj_register_stn(env) != 0) return JNI_ERR;
    if (mj_register_xlog(env) != 0) return JNI_ERR;
    if (mj_register_sdt(env) != 0) return JNI_ERR;
    if (mj_register_longlinks(env) != 0) return JNI_ERR;
    return JNI_VERSION_1_8;
}
