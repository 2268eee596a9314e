/* stn_jni.c — the natives of com.marsgo.mars.stn.Stn: engine lifetime,
 * tasks, addresses and app events. Each returns a MARS_* code that the Java
 * side turns into a MarsException in one place (Mars.check). */
#include "marsjni.h"

#include <stdlib.h>
#include <string.h>

#define STN(h) ((mars_stn *)(intptr_t)(h))

/* Numeric config fields, in the order of Stn.Config.numbers(); zero keeps
 * the default that mars_stn_config_init filled in. */
enum { CN_CLIENT_VERSION, CN_SHORTLINK_PORT, CN_NETWORK_TYPE, CN_HEARTBEAT, CN_NOOP_TIMEOUT,
       CN_NOOP_TIMEOUT_LATE, CN_NOOP_LATE_THRESHOLD, CN_CONNECT_TIMEOUT, CN_TASK_CONNECT_INTERVAL,
       CN_AUTO_CONNECT_INTERVAL, CN_RECONNECT_DELAY, CN_NEW_DNS_TIMEOUT, CN_RETRY_INTERVAL,
       CN_AUTH_POLL_INTERVAL, CN_BASE_FIRST_PACKET, CN_MAX_FIRST_PACKET, CN_PACKAGE_INTERVAL,
       CN_TASK_DELAY, CN_MIN_RATE, CN_POLL_EVENTS, CN_RESOLVER_TIMEOUT, CN_MAX_CONNECTING,
       CN_CONNECT_INTERVAL, CN_MIN_CONNECT_INTERVAL, CN_EXACT_MARS_TIMING, CN_NO_MSS_CLAMP, CN_TLS,
       CN_PROXY_KIND, CN_HEARTBEAT_MODE, CN_SIGNALLING_PERIOD, CN_SIGNALLING_KEEP, CN_TIMING_SYNC,
       CN_SHORTLINK_TLS, CN_NETCHECK_OFF, CN_NETCHECK_WINDOW, CN_NETCHECK_BAD_BELOW, CN_NETCHECK_GOOD_ABOVE,
       CN_MAX_IN_FLIGHT, CN_MAX_PACKET_SIZE, CN_DOH_ALLOW_HTTP, CN_COUNT };

/* String config fields, in the order of Stn.Config.strings(). */
enum { CS_LONGLINK_HOST, CS_LONGLINK_DEBUG_IP, CS_SHORTLINK_DEBUG_IP, CS_NETWORK_LABEL, CS_APP_FILE_DIR,
       CS_TLS_SERVER_NAME, CS_TLS_ROOT_CA_PEM, CS_PROXY_ADDR, CS_PROXY_USER, CS_PROXY_PASSWORD, CS_DOH_URL,
       CS_SHORTLINK_TLS_SERVER_NAME, CS_SHORTLINK_TLS_ROOT_CA_PEM, CS_NETCHECK_CGI, CS_COUNT };

static int apply_numbers(const jlong *v, mars_stn_config *c) {
    if (v[CN_SHORTLINK_PORT] < 0 || v[CN_SHORTLINK_PORT] > 65535) return MARS_EINVAL;
    c->client_version = (uint32_t)v[CN_CLIENT_VERSION];
    c->shortlink_port = (uint16_t)v[CN_SHORTLINK_PORT];
    int64_t *ms[] = {
        &c->heartbeat_interval_ms, &c->noop_timeout_ms, &c->noop_timeout_late_ms,
        &c->noop_late_threshold_ms, &c->connect_timeout_ms, &c->task_connect_interval_ms,
        &c->auto_connect_interval_ms, &c->reconnect_delay_ms, &c->new_dns_timeout_ms,
        &c->retry_interval_ms, &c->auth_poll_interval_ms, &c->base_first_packet_timeout_ms,
        &c->max_first_packet_timeout_ms, &c->package_interval_ms, &c->task_delay_ms,
    };
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
        if (v[CN_HEARTBEAT + i] != 0) *ms[i] = v[CN_HEARTBEAT + i];
    if (v[CN_NETWORK_TYPE] != 0) c->network_type = (int32_t)v[CN_NETWORK_TYPE];
    if (v[CN_MIN_RATE] != 0) c->min_rate = (int32_t)v[CN_MIN_RATE];
    c->poll_events = v[CN_POLL_EVENTS] != 0;
    if (v[CN_RESOLVER_TIMEOUT] != 0) c->resolver_timeout_ms = v[CN_RESOLVER_TIMEOUT];
    if (v[CN_MAX_CONNECTING] != 0) c->max_connecting = (int32_t)v[CN_MAX_CONNECTING];
    if (v[CN_CONNECT_INTERVAL] != 0) c->connect_interval_ms = v[CN_CONNECT_INTERVAL];
    if (v[CN_MIN_CONNECT_INTERVAL] != 0) c->min_connect_interval_ms = v[CN_MIN_CONNECT_INTERVAL];
    c->exact_mars_timing = v[CN_EXACT_MARS_TIMING] != 0;
    c->no_mss_clamp = v[CN_NO_MSS_CLAMP] != 0;
    c->tls = v[CN_TLS] != 0;
    c->proxy_kind = (int32_t)v[CN_PROXY_KIND];
    c->heartbeat_mode = (int32_t)v[CN_HEARTBEAT_MODE];
    if (v[CN_SIGNALLING_PERIOD] != 0) c->signalling_period_ms = v[CN_SIGNALLING_PERIOD];
    if (v[CN_SIGNALLING_KEEP] != 0) c->signalling_keep_time_ms = v[CN_SIGNALLING_KEEP];
    c->timing_sync = v[CN_TIMING_SYNC] != 0;
    c->shortlink_tls = v[CN_SHORTLINK_TLS] != 0;
    c->netcheck_off = v[CN_NETCHECK_OFF] != 0;
    if (v[CN_NETCHECK_WINDOW] != 0) c->netcheck_window = (int32_t)v[CN_NETCHECK_WINDOW];
    if (v[CN_NETCHECK_BAD_BELOW] != 0) c->netcheck_bad_below = (int32_t)v[CN_NETCHECK_BAD_BELOW];
    if (v[CN_NETCHECK_GOOD_ABOVE] != 0) c->netcheck_good_above = (int32_t)v[CN_NETCHECK_GOOD_ABOVE];
    c->max_in_flight = (int32_t)v[CN_MAX_IN_FLIGHT];
    if (v[CN_MAX_PACKET_SIZE] < 0) return MARS_EINVAL;
    if (v[CN_MAX_PACKET_SIZE] != 0) c->max_packet_size = (uint32_t)v[CN_MAX_PACKET_SIZE];
    c->doh_allow_http = v[CN_DOH_ALLOW_HTTP] != 0;
    return MARS_OK;
}

static void apply_strings(const mj_str *s, mars_stn_config *c) {
    c->longlink_host = s[CS_LONGLINK_HOST].s;
    c->longlink_debug_ip = s[CS_LONGLINK_DEBUG_IP].s;
    c->shortlink_debug_ip = s[CS_SHORTLINK_DEBUG_IP].s;
    if (s[CS_NETWORK_LABEL].s) c->network_label = s[CS_NETWORK_LABEL].s;
    c->app_file_dir = s[CS_APP_FILE_DIR].s;
    c->tls_server_name = s[CS_TLS_SERVER_NAME].s;
    c->tls_root_ca_pem = s[CS_TLS_ROOT_CA_PEM].s;
    c->proxy_addr = s[CS_PROXY_ADDR].s;
    c->proxy_user = s[CS_PROXY_USER].s;
    c->proxy_password = s[CS_PROXY_PASSWORD].s;
    c->doh_url = s[CS_DOH_URL].s;
    c->shortlink_tls_server_name = s[CS_SHORTLINK_TLS_SERVER_NAME].s;
    c->shortlink_tls_root_ca_pem = s[CS_SHORTLINK_TLS_ROOT_CA_PEM].s;
    c->netcheck_cgi = s[CS_NETCHECK_CGI].s;
}

/* create_engine makes the context and the engine from a filled config. */
static int create_engine(JNIEnv *env, jobject dispatcher, jint mask, const mars_stn_config *cfg,
                         jlongArray out) {
    mj_stn_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return MARS_ENOMEM;
    ctx->dispatcher = (*env)->NewGlobalRef(env, dispatcher);
    mars_stn_callbacks cb;
    mars_stn_callbacks_init_sized(&cb, sizeof cb);
    cb.user_data = ctx;
    mj_stn_fill_callbacks(&cb, mask);
    mars_stn *s = NULL;
    int rc = ctx->dispatcher ? mars_stn_create(cfg, &cb, &s) : MARS_ENOMEM;
    if (rc != MARS_OK) {
        if (ctx->dispatcher) (*env)->DeleteGlobalRef(env, ctx->dispatcher);
        free(ctx);
        return rc;
    }
    jlong v[2] = {(jlong)(intptr_t)s, (jlong)(intptr_t)ctx};
    (*env)->SetLongArrayRegion(env, out, 0, 2, v);
    return MARS_OK;
}

static jint n_create(JNIEnv *env, jclass cls, jobject dispatcher, jint mask, jlongArray nums,
                     jobjectArray strs, jintArray ll_ports, jbyteArray pins, jbyteArray sl_pins, jlong log,
                     jlongArray out) {
    (void)cls;
    if (!dispatcher || !nums || !strs || !out || (*env)->GetArrayLength(env, out) < 2 ||
        (*env)->GetArrayLength(env, nums) != CN_COUNT || (*env)->GetArrayLength(env, strs) != CS_COUNT)
        return MARS_EINVAL;
    mars_stn_config cfg;
    mars_stn_config_init_sized(&cfg, sizeof cfg);
    jlong v[CN_COUNT];
    (*env)->GetLongArrayRegion(env, nums, 0, CN_COUNT, v);
    int rc = apply_numbers(v, &cfg);
    cfg.log = (mars_xlog *)(intptr_t)log;

    mj_str s[CS_COUNT];
    rc = mj_first_error(rc, mj_str_table_get(env, strs, s, CS_COUNT));
    apply_strings(s, &cfg);
    uint16_t *ports = NULL;
    if (rc == MARS_OK) rc = mj_ports_get(env, ll_ports, &ports, &cfg.longlink_ports_len);
    cfg.longlink_ports = ports;
    jbyte *pin_bytes = NULL, *sl_pin_bytes = NULL;
    if (rc == MARS_OK) rc = mj_pins_get(env, pins, &pin_bytes, &cfg.tls_pinned_spki_len);
    if (rc == MARS_OK) rc = mj_pins_get(env, sl_pins, &sl_pin_bytes, &cfg.shortlink_tls_pinned_spki_len);
    cfg.tls_pinned_spki_sha256 = (const uint8_t *)pin_bytes;
    cfg.shortlink_tls_pinned_spki_sha256 = (const uint8_t *)sl_pin_bytes;
    if (rc == MARS_OK) rc = create_engine(env, dispatcher, mask, &cfg, out);
    mj_pins_release(env, pins, pin_bytes);
    mj_pins_release(env, sl_pins, sl_pin_bytes);
    free(ports);
    mj_str_table_release(env, s, CS_COUNT);
    return rc;
}

/* Destroy from inside one of the engine's own callbacks only starts the
 * shutdown; on_task_end calls follow on a library thread and still need the
 * context, so it is kept (a small, documented leak) instead of freed. */
static jint n_destroy(JNIEnv *env, jclass cls, jlong h, jlong ctxp) {
    (void)cls;
    mj_stn_ctx *ctx = (mj_stn_ctx *)(intptr_t)ctxp;
    int rc = mars_stn_destroy(STN(h));
    if (rc == MARS_OK && ctx && mj_current_ctx() != ctx) {
        (*env)->DeleteGlobalRef(env, ctx->dispatcher);
        free(ctx);
    }
    return rc;
}

static jstring n_errmsg(JNIEnv *env, jclass cls, jlong h) {
    (void)cls;
    char buf[512];
    if (mars_stn_errmsg(STN(h), buf, sizeof buf) == MARS_EBADHANDLE) buf[0] = 0;
    return mj_jstring(env, buf);
}

/* Integer task fields, in the order of Stn.taskInts(). */
enum { TI_TASKID, TI_CMDID, TI_CHANNEL, TI_STRATEGY, TI_SEND_ONLY, TI_AUTHED, TI_FLOW, TI_FREQ,
       TI_NET_SENSITIVE, TI_PRIORITY, TI_RETRY, TI_LONG_POLLING, TI_COUNT };

static jint n_start_task(JNIEnv *env, jclass cls, jlong h, jlong token, jintArray ints, jlongArray longs,
                         jstring channel_name, jstring cgi, jstring user_id, jstring report_arg,
                         jobjectArray short_hosts, jobjectArray long_hosts, jobjectArray header_names,
                         jobjectArray header_values, jintArray out_id) {
    (void)cls;
    if (!ints || !longs || (*env)->GetArrayLength(env, ints) < TI_COUNT ||
        (*env)->GetArrayLength(env, longs) < 3)
        return MARS_EINVAL;
    jint iv[TI_COUNT];
    jlong lv[3];
    (*env)->GetIntArrayRegion(env, ints, 0, TI_COUNT, iv);
    (*env)->GetLongArrayRegion(env, longs, 0, 3, lv);
    mars_task t;
    mars_task_init_sized(&t, sizeof t);
    t.taskid = (uint32_t)iv[TI_TASKID];
    t.cmdid = (uint32_t)iv[TI_CMDID];
    t.channel_select = iv[TI_CHANNEL];
    t.channel_strategy = iv[TI_STRATEGY];
    t.send_only = iv[TI_SEND_ONLY];
    t.need_authed = iv[TI_AUTHED];
    t.limit_flow = iv[TI_FLOW];
    t.limit_frequency = iv[TI_FREQ];
    t.network_status_sensitive = iv[TI_NET_SENSITIVE];
    t.priority = iv[TI_PRIORITY];
    t.retry_count = iv[TI_RETRY];
    t.server_process_cost_ms = lv[0];
    t.total_timeout_ms = lv[1];
    t.long_polling = iv[TI_LONG_POLLING];
    t.long_polling_timeout_ms = lv[2];
    t.user_context = (void *)(intptr_t)token;

    mj_str cn, cg, uid, ra;
    mj_strs sh, lh, hn, hv;
    int rc = mj_first_error(mj_first_error(mj_str_get(env, channel_name, &cn), mj_str_get(env, cgi, &cg)),
                            mj_first_error(mj_str_get(env, user_id, &uid), mj_str_get(env, report_arg, &ra)));
    int rl = mj_strs_get(env, short_hosts, &sh);
    if (rl == MARS_OK) rl = mj_strs_get(env, long_hosts, &lh); else memset(&lh, 0, sizeof lh);
    if (rl == MARS_OK) rl = mj_strs_get(env, header_names, &hn); else memset(&hn, 0, sizeof hn);
    if (rl == MARS_OK) rl = mj_strs_get(env, header_values, &hv); else memset(&hv, 0, sizeof hv);
    if (rc == MARS_OK) rc = rl;
    if (rc == MARS_OK && hn.len != hv.len) rc = MARS_EINVAL;
    if (rc == MARS_OK) {
        t.channel_name = cn.s;
        t.cgi = cg.s;
        t.user_id = uid.s;
        t.report_arg = ra.s;
        t.shortlink_hosts = sh.ptrs;
        t.shortlink_hosts_len = sh.len;
        t.longlink_hosts = lh.ptrs;
        t.longlink_hosts_len = lh.len;
        t.header_names = hn.ptrs;
        t.header_values = hv.ptrs;
        t.headers_len = hn.len;
        uint32_t id = 0;
        rc = mars_stn_start_task(STN(h), &t, &id);
        if (rc == MARS_OK) mj_set_int(env, out_id, (jint)id);
    }
    mj_str_release(env, &cn);
    mj_str_release(env, &cg);
    mj_str_release(env, &uid);
    mj_str_release(env, &ra);
    mj_strs_release(env, &sh);
    mj_strs_release(env, &lh);
    mj_strs_release(env, &hn);
    mj_strs_release(env, &hv);
    return rc;
}

static jint n_stop_task(JNIEnv *env, jclass cls, jlong h, jint id) {
    (void)env, (void)cls;
    return mars_stn_stop_task(STN(h), (uint32_t)id);
}

static jint n_has_task(JNIEnv *env, jclass cls, jlong h, jint id, jintArray out) {
    (void)cls;
    int has = 0;
    int rc = mars_stn_has_task(STN(h), (uint32_t)id, &has);
    if (rc == MARS_OK) mj_set_int(env, out, has);
    return rc;
}

/* Argument-less calls, numbered as Stn.OP_*. */
static jint n_simple(JNIEnv *env, jclass cls, jlong h, jint op) {
    (void)env, (void)cls;
    switch (op) {
    case 0: return mars_stn_redo_tasks(STN(h));
    case 1: return mars_stn_touch_tasks(STN(h));
    case 2: return mars_stn_clear_tasks(STN(h));
    case 3: return mars_stn_reset(STN(h));
    case 4: return mars_stn_makesure_longlink_connected(STN(h));
    case 5: return mars_stn_keep_signalling(STN(h));
    case 6: return mars_stn_stop_signalling(STN(h));
    case 7: return mars_stn_trig_noop(STN(h));
    case 8: return mars_stn_disable_longlink(STN(h));
    default: return MARS_EINVAL;
    }
}

static jint n_is_connected(JNIEnv *env, jclass cls, jlong h, jintArray out) {
    (void)cls;
    int v = 0;
    int rc = mars_stn_longlink_is_connected(STN(h), &v);
    if (rc == MARS_OK) mj_set_int(env, out, v);
    return rc;
}

static jint n_set_longlink(JNIEnv *env, jclass cls, jlong h, jstring host, jintArray ports, jstring dbg) {
    (void)cls;
    uint16_t *p = NULL;
    size_t n = 0;
    int rc = mj_ports_get(env, ports, &p, &n);
    if (rc != MARS_OK) return rc;
    mj_str hs, ds;
    rc = mj_first_error(mj_str_get(env, host, &hs), mj_str_get(env, dbg, &ds));
    if (rc == MARS_OK) rc = mars_stn_set_longlink_svr_addr(STN(h), hs.s, p, n, ds.s);
    mj_str_release(env, &hs);
    mj_str_release(env, &ds);
    free(p);
    return rc;
}

static jint n_set_shortlink(JNIEnv *env, jclass cls, jlong h, jint port, jstring dbg) {
    (void)cls;
    if (port < 0 || port > 65535) return MARS_EINVAL;
    mj_str ds;
    int rc = mj_str_get(env, dbg, &ds);
    if (rc == MARS_OK) rc = mars_stn_set_shortlink_svr_addr(STN(h), (uint16_t)port, ds.s);
    mj_str_release(env, &ds);
    return rc;
}

static jint n_set_debug_ip(JNIEnv *env, jclass cls, jlong h, jstring host, jstring ip) {
    (void)cls;
    mj_str hs, is;
    int rc = mj_first_error(mj_str_get(env, host, &hs), mj_str_get(env, ip, &is));
    if (rc == MARS_OK) rc = mars_stn_set_debug_ip(STN(h), hs.s, is.s);
    mj_str_release(env, &hs);
    mj_str_release(env, &is);
    return rc;
}

static jint n_set_backup_ips(JNIEnv *env, jclass cls, jlong h, jstring host, jobjectArray ips) {
    (void)cls;
    mj_strs l;
    int rc = mj_strs_get(env, ips, &l);
    if (rc != MARS_OK) return rc;
    mj_str hs;
    rc = mj_str_get(env, host, &hs);
    if (rc == MARS_OK) rc = mars_stn_set_backup_ips(STN(h), hs.s, l.ptrs, l.len);
    mj_str_release(env, &hs);
    mj_strs_release(env, &l);
    return rc;
}

static jint n_gen_task_id(JNIEnv *env, jclass cls, jlong h, jintArray out) {
    (void)cls;
    uint32_t id = 0;
    int rc = mars_stn_gen_task_id(STN(h), &id);
    if (rc == MARS_OK) mj_set_int(env, out, (jint)id);
    return rc;
}

/* n_set_client_version: mars_stn_set_client_version, or with reset
 * mars_stn_reset_and_init_encoder_version; the Java int is the uint32's bits. */
static jint n_set_client_version(JNIEnv *env, jclass cls, jlong h, jint version, jboolean reset) {
    (void)env, (void)cls;
    return reset ? mars_stn_reset_and_init_encoder_version(STN(h), (uint32_t)version)
                 : mars_stn_set_client_version(STN(h), (uint32_t)version);
}

static jint n_gen_sequence_id(JNIEnv *env, jclass cls, jintArray out) {
    (void)cls;
    uint32_t id = 0;
    int rc = mars_stn_gen_sequence_id(&id);
    if (rc == MARS_OK) mj_set_int(env, out, (jint)id);
    return rc;
}

static jint n_on_foreground(JNIEnv *env, jclass cls, jlong h, jboolean fg) {
    (void)env, (void)cls;
    return mars_stn_on_foreground(STN(h), fg ? 1 : 0);
}

static jint n_set_account(JNIEnv *env, jclass cls, jlong h, jstring name) {
    (void)cls;
    mj_str ns;
    int rc = mj_str_get(env, name, &ns);
    if (rc == MARS_OK) rc = mars_stn_set_account(STN(h), ns.s);
    mj_str_release(env, &ns);
    return rc;
}

static jint n_on_network_change(JNIEnv *env, jclass cls, jlong h, jint type, jstring label) {
    (void)cls;
    mj_str ls;
    int rc = mj_str_get(env, label, &ls);
    if (rc == MARS_OK) rc = mars_stn_on_network_change(STN(h), type, ls.s);
    mj_str_release(env, &ls);
    return rc;
}

static jint n_poll(JNIEnv *env, jclass cls, jlong h, jlong timeout_ms, jintArray out) {
    (void)cls;
    int ran = 0;
    int rc = mars_stn_poll(STN(h), timeout_ms, &ran);
    if (rc == MARS_OK) mj_set_int(env, out, ran);
    return rc;
}

static jint n_heartbeat_interval(JNIEnv *env, jclass cls, jlong h, jlongArray out) {
    (void)cls;
    int64_t ms = 0;
    int rc = mars_stn_heartbeat_interval(STN(h), &ms);
    if (rc == MARS_OK) mj_set_long(env, out, ms);
    return rc;
}

/* Quality fields in the order of NetworkQuality's constructor. */
static jint n_network_quality(JNIEnv *env, jclass cls, jlong h, jlongArray out) {
    (void)cls;
    if (!out || (*env)->GetArrayLength(env, out) < 5) return MARS_EINVAL;
    mars_network_quality q;
    memset(&q, 0, sizeof q);
    q.struct_size = sizeof q;
    int rc = mars_stn_network_quality(STN(h), &q);
    if (rc != MARS_OK) return rc;
    jlong v[5] = {q.level, q.dynamic_timeout, q.rtt_ms, q.throughput, q.weak_marked};
    (*env)->SetLongArrayRegion(env, out, 0, 5, v);
    return MARS_OK;
}

static jint n_set_heartbeat_mode(JNIEnv *env, jclass cls, jlong h, jint mode) {
    (void)env, (void)cls;
    return mars_stn_set_heartbeat_mode(STN(h), mode);
}

static jint n_set_signalling(JNIEnv *env, jclass cls, jlong h, jlong period, jlong keep) {
    (void)env, (void)cls;
    return mars_stn_set_signalling_strategy(STN(h), period, keep);
}

/* mars_proxy_is_available; out = {available, err_code}. */
static jint n_proxy_is_available(JNIEnv *env, jclass cls, jint kind, jobjectArray strs, jint port,
                                 jint timeout_ms, jintArray out) {
    (void)cls;
    if (!out || (*env)->GetArrayLength(env, out) < 2) return MARS_EINVAL;
    mj_strs s;
    int rc = mj_strs_get(env, strs, &s);
    if (rc != MARS_OK) return rc;
    if (s.len != 4) {
        mj_strs_release(env, &s);
        return MARS_EINVAL;
    }
    mars_proxy_info p; /* not mars_proxy_info_init: a newer library's sizeof may be larger */
    memset(&p, 0, sizeof p);
    p.struct_size = sizeof p;
    p.kind = kind;
    const char *fields[] = {s.ptrs[0], s.ptrs[1], s.ptrs[2]};
    char *dst[] = {p.addr, p.user, p.password};
    size_t room[] = {sizeof p.addr, sizeof p.user, sizeof p.password};
    for (int i = 0; i < 3 && rc == MARS_OK; i++) {
        if (strlen(fields[i]) >= room[i]) rc = MARS_EINVAL;
        else memcpy(dst[i], fields[i], strlen(fields[i]) + 1);
    }
    jint res[2] = {0, -1};
    if (rc == MARS_OK) rc = mars_proxy_is_available(&p, s.ptrs[3], port, timeout_ms, &res[0], &res[1]);
    mj_strs_release(env, &s);
    (*env)->SetIntArrayRegion(env, out, 0, 2, res);
    return rc;
}

#define S "Ljava/lang/String;"
#define SA "[Ljava/lang/String;"

int mj_register_stn(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"nativeCreate", "(Lcom/marsgo/mars/stn/Dispatcher;I[J" SA "[I[B[BJ[J)I", (void *)n_create},
        {"nativePoll", "(JJ[I)I", (void *)n_poll},
        {"nativeSetHeartbeatMode", "(JI)I", (void *)n_set_heartbeat_mode},
        {"nativeHeartbeatInterval", "(J[J)I", (void *)n_heartbeat_interval},
        {"nativeNetworkQuality", "(J[J)I", (void *)n_network_quality},
        {"nativeDestroy", "(JJ)I", (void *)n_destroy},
        {"nativeErrmsg", "(J)" S, (void *)n_errmsg},
        {"nativeStartTask", "(JJ[I[J" S S S S SA SA SA SA "[I)I", (void *)n_start_task},
        {"nativeStopTask", "(JI)I", (void *)n_stop_task},
        {"nativeHasTask", "(JI[I)I", (void *)n_has_task},
        {"nativeSimple", "(JI)I", (void *)n_simple},
        {"nativeIsConnected", "(J[I)I", (void *)n_is_connected},
        {"nativeSetLonglinkSvrAddr", "(J" S "[I" S ")I", (void *)n_set_longlink},
        {"nativeSetShortlinkSvrAddr", "(JI" S ")I", (void *)n_set_shortlink},
        {"nativeSetDebugIp", "(J" S S ")I", (void *)n_set_debug_ip},
        {"nativeSetBackupIps", "(J" S SA ")I", (void *)n_set_backup_ips},
        {"nativeGenTaskId", "(J[I)I", (void *)n_gen_task_id},
        {"nativeSetClientVersion", "(JIZ)I", (void *)n_set_client_version},
        {"nativeGenSequenceId", "([I)I", (void *)n_gen_sequence_id},
        {"nativeOnForeground", "(JZ)I", (void *)n_on_foreground},
        {"nativeSetAccount", "(J" S ")I", (void *)n_set_account},
        {"nativeOnNetworkChange", "(JI" S ")I", (void *)n_on_network_change},
        {"nativeSetSignallingStrategy", "(JJJ)I", (void *)n_set_signalling},
        {"nativeProxyIsAvailable", "(I" SA "II[I)I", (void *)n_proxy_is_available},
    };
    return MJ_REGISTER(env, "com/marsgo/mars/stn/Stn", methods);
}
