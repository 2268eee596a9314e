/* xlog_jni.c — the natives of com.marsgo.mars.xlog.Xlog: appender lifetime,
 * writing lines, level, stats and decoding. Every string is converted to
 * standard UTF-8 by marsjni.c's helpers (never JNI's modified UTF-8). */
#include "marsjni.h"

#include <stdlib.h>
#include <string.h>

#define XLOG(h) ((mars_xlog *)(intptr_t)(h))

static jint n_open(JNIEnv *env, jclass cls, jint mode, jstring log_dir, jstring cache_dir, jstring prefix,
                   jstring pub_key, jint compress, jint compress_level, jint level, jlong max_file_size, jlong max_alive_ms,
                   jint cache_days, jboolean console, jboolean non_blocking, jlong max_block_wait_ms,
                   jlong flush_interval_ms, jint buffer_size, jlongArray out) {
    (void)cls;
    if (!out) return MARS_EINVAL;
    mars_xlog_config cfg;
    mars_xlog_config_init_sized(&cfg, sizeof cfg);
    mj_str ld, cd, px, pk;
    int rc = mj_first_error(mj_first_error(mj_str_get(env, log_dir, &ld), mj_str_get(env, cache_dir, &cd)),
                            mj_first_error(mj_str_get(env, prefix, &px), mj_str_get(env, pub_key, &pk)));
    cfg.mode = mode;
    cfg.log_dir = ld.s;
    cfg.cache_dir = cd.s;
    if (px.s) cfg.name_prefix = px.s;
    cfg.pub_key = pk.s;
    cfg.compress_mode = compress;
    cfg.compress_level = compress_level;
    cfg.level = level;
    cfg.max_file_size = max_file_size;
    if (max_alive_ms) cfg.max_alive_time_ms = max_alive_ms;
    cfg.cache_days = cache_days;
    cfg.console = console ? 1 : 0;
    cfg.non_blocking = non_blocking ? 1 : 0;
    if (max_block_wait_ms) cfg.max_block_wait_ms = max_block_wait_ms;
    if (flush_interval_ms) cfg.flush_interval_ms = flush_interval_ms;
    if (buffer_size) cfg.buffer_size = buffer_size;
    mars_xlog *x = NULL;
    if (rc == MARS_OK) rc = mars_xlog_open(&cfg, &x);
    mj_str_release(env, &ld);
    mj_str_release(env, &cd);
    mj_str_release(env, &px);
    mj_str_release(env, &pk);
    if (rc == MARS_OK) mj_set_long(env, out, (jlong)(intptr_t)x);
    return rc;
}

static jint n_close(JNIEnv *env, jclass cls, jlong h) {
    (void)env, (void)cls;
    return mars_xlog_close(XLOG(h));
}

/* Message, tag, file and function are log text: converted by mj_text_get,
 * so a NUL shows as U+2400 instead of cutting the line short. */
static jint n_write(JNIEnv *env, jclass cls, jlong h, jint level, jstring tag, jstring file, jstring func,
                    jint line, jstring msg) {
    (void)cls;
    if (!msg) return MARS_EINVAL;
    mj_str m, t, f, fn;
    int rc = mj_first_error(mj_first_error(mj_text_get(env, msg, &m), mj_text_get(env, tag, &t)),
                            mj_first_error(mj_text_get(env, file, &f), mj_text_get(env, func, &fn)));
    if (rc == MARS_OK) rc = mars_xlog_write(XLOG(h), level, t.s, f.s, fn.s, line, m.s);
    mj_str_release(env, &m);
    mj_str_release(env, &t);
    mj_str_release(env, &f);
    mj_str_release(env, &fn);
    return rc;
}

static jint n_flush(JNIEnv *env, jclass cls, jlong h, jboolean sync) {
    (void)env, (void)cls;
    return mars_xlog_flush(XLOG(h), sync ? 1 : 0);
}

static jint n_set_level(JNIEnv *env, jclass cls, jlong h, jint level) {
    (void)env, (void)cls;
    return mars_xlog_set_level(XLOG(h), level);
}

static jint n_get_level(JNIEnv *env, jclass cls, jlong h, jintArray out) {
    (void)cls;
    int v = 0;
    int rc = mars_xlog_get_level(XLOG(h), &v);
    if (rc == MARS_OK) mj_set_int(env, out, v);
    return rc;
}

static jint n_set_console(JNIEnv *env, jclass cls, jlong h, jboolean on) {
    (void)env, (void)cls;
    return mars_xlog_set_console(XLOG(h), on ? 1 : 0);
}

static jint n_set_mode(JNIEnv *env, jclass cls, jlong h, jint mode) {
    (void)env, (void)cls;
    return mars_xlog_set_mode(XLOG(h), mode);
}

static jint n_set_max_file_size(JNIEnv *env, jclass cls, jlong h, jlong bytes) {
    (void)env, (void)cls;
    return mars_xlog_set_max_file_size(XLOG(h), bytes);
}

static jint n_set_max_alive_time(JNIEnv *env, jclass cls, jlong h, jlong ms) {
    (void)env, (void)cls;
    return mars_xlog_set_max_alive_time(XLOG(h), ms);
}

/* Stats in the order of Xlog.Stats' constructor. */
static jint n_get_stats(JNIEnv *env, jclass cls, jlong h, jlongArray out) {
    (void)cls;
    if (!out || (*env)->GetArrayLength(env, out) < 9) return MARS_EINVAL;
    mars_xlog_stats s;
    memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    int rc = mars_xlog_get_stats(XLOG(h), &s);
    if (rc != MARS_OK) return rc;
    jlong v[9] = {(jlong)s.lines_written, (jlong)s.lines_dropped, (jlong)s.lines_lost,
                  (jlong)s.blocked_waits, (jlong)s.blocks, (jlong)s.bytes_written,
                  (jlong)s.write_errors, (jlong)s.mapped, (jlong)s.lines_truncated};
    (*env)->SetLongArrayRegion(env, out, 0, 9, v);
    return MARS_OK;
}

static jstring n_errmsg(JNIEnv *env, jclass cls, jlong h) {
    (void)cls;
    char buf[512];
    if (mars_xlog_errmsg(XLOG(h), buf, sizeof buf) == MARS_EBADHANDLE) buf[0] = 0;
    return mj_jstring(env, buf);
}

/* The decoded text is handed over as bytes: it is UTF-8 (or damage markers),
 * which JNI's NewStringUTF (modified UTF-8) would not accept as is. */
static jint n_decode(JNIEnv *env, jclass cls, jstring in_path, jstring key, jobjectArray out) {
    (void)cls;
    if (!out || (*env)->GetArrayLength(env, out) < 1) return MARS_EINVAL;
    mj_str in, k;
    int rc = mj_first_error(mj_str_get(env, in_path, &in), mj_str_get(env, key, &k));
    char *text = NULL;
    size_t len = 0;
    if (rc == MARS_OK) rc = mars_xlog_decode(in.s, k.s, &text, &len);
    mj_str_release(env, &in);
    mj_str_release(env, &k);
    if (rc == MARS_OK || rc == MARS_EPARTIAL) { /* EPARTIAL: the text that could be read */
        jbyteArray b = mj_bytes(env, (const uint8_t *)text, len);
        if (b) (*env)->SetObjectArrayElement(env, out, 0, b);
        else rc = MARS_ENOMEM;
    }
    mars_free(text);
    return rc;
}

static jint n_decode_file(JNIEnv *env, jclass cls, jstring in_path, jstring key, jstring out_path) {
    (void)cls;
    mj_str in, k, o;
    int rc = mj_first_error(mj_str_get(env, in_path, &in),
                            mj_first_error(mj_str_get(env, key, &k), mj_str_get(env, out_path, &o)));
    if (rc == MARS_OK) rc = mars_xlog_decode_file(in.s, k.s, o.s);
    mj_str_release(env, &in);
    mj_str_release(env, &k);
    mj_str_release(env, &o);
    return rc;
}

#define S "Ljava/lang/String;"

int mj_register_xlog(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"nativeOpen", "(I" S S S S "IIIJJIZZJJI[J)I", (void *)n_open},
        {"nativeClose", "(J)I", (void *)n_close},
        {"nativeWrite", "(JI" S S S "I" S ")I", (void *)n_write},
        {"nativeFlush", "(JZ)I", (void *)n_flush},
        {"nativeSetLevel", "(JI)I", (void *)n_set_level},
        {"nativeGetLevel", "(J[I)I", (void *)n_get_level},
        {"nativeSetConsole", "(JZ)I", (void *)n_set_console},
        {"nativeGetStats", "(J[J)I", (void *)n_get_stats},
        {"nativeSetMode", "(JI)I", (void *)n_set_mode},
        {"nativeSetMaxFileSize", "(JJ)I", (void *)n_set_max_file_size},
        {"nativeSetMaxAliveTime", "(JJ)I", (void *)n_set_max_alive_time},
        {"nativeErrmsg", "(J)" S, (void *)n_errmsg},
        {"nativeDecode", "(" S S "[[B)I", (void *)n_decode},
        {"nativeDecodeFile", "(" S S S ")I", (void *)n_decode_file},
    };
    return MJ_REGISTER(env, "com/marsgo/mars/xlog/Xlog", methods);
}
