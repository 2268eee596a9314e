/* stn_callbacks.c — the C callbacks given to mars_stn_create. Each one
 * attaches the library thread (once), calls the matching method of the
 * engine's com.marsgo.mars.stn.Dispatcher object, clears any Java exception that
 * escaped (the Java side already catches them; this is the backstop) and
 * returns Mars's defined value for a failed callback. */
#include "marsjni.h"

#include <string.h>

/* The engine whose callback runs on this thread, for mars_stn_destroy from
 * inside a callback (see stn_jni.c). */
static __thread mj_stn_ctx *tl_ctx;

mj_stn_ctx *mj_current_ctx(void) { return tl_ctx; }

/* Bits of the callback mask; the same numbers as Stn.CB_* in Java. */
enum {
    CB_REQ2BUF, CB_BUF2RESP, CB_TASK_END, CB_PUSH, CB_NEW_DNS, CB_AUTHED,
    CB_CONNECT_STATUS, CB_LL_STATUS, CB_LL_NET_ERROR, CB_IDENTIFY, CB_TRAFFIC,
    CB_TASK_PROFILE, CB_TASK_LIMITED, CB_REQUEST_SYNC, CB_NET_QUALITY, CB_IS_LOGONED,
    CB_NETCHECK_HOSTS, CB_NETCHECK_RESULT, CB_SL_NET_ERROR, CB_LL_STATUS_OF, CB_LL_NET_ERROR_OF,
    CB_LL_NEW_DNS, CB_PROXY_INFO, CB_DNS_PROFILE,
};

/* A callback frame: the thread's JNIEnv, a local-reference frame (attached
 * library threads have no Java frame that would free local refs) and the
 * engine marked as "in a callback on this thread". */
typedef struct frame {
    JNIEnv     *env;
    mj_stn_ctx *prev;
} frame;

static int enter(frame *f, void *ud) {
    f->env = mj_env();
    if (!f->env) return 0;
    if ((*f->env)->PushLocalFrame(f->env, 32) != 0) {
        mj_clear_exception(f->env);
        return 0;
    }
    f->prev = tl_ctx;
    tl_ctx = ud;
    return 1;
}

/* leave returns 1 if a Java exception had escaped the call. */
static int leave(frame *f) {
    int threw = mj_clear_exception(f->env);
    tl_ctx = f->prev;
    (*f->env)->PopLocalFrame(f->env, NULL);
    return threw;
}

#define DISPATCHER(ud) (((mj_stn_ctx *)(ud))->dispatcher)
#define TOKEN(t) ((jlong)(intptr_t)(t)->user_context)

static jstring jstr(JNIEnv *env, const char *s) { return mj_jstring(env, s); }

static int copy_out(JNIEnv *env, jbyteArray a, mars_buf *out) {
    if (!a) return 0;
    jsize n = (*env)->GetArrayLength(env, a);
    if (n == 0) return 1;
    uint8_t *dst = NULL;
    if (mars_buf_reserve(out, (size_t)n, &dst) != MARS_OK) return 0;
    (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *)dst);
    return mars_buf_commit(out, (size_t)n) == MARS_OK;
}

static int cb_req2buf(void *ud, const mars_task_ref *t, int channel, const char *host, mars_buf *out,
                      int *err_code) {
    frame f;
    if (!enter(&f, ud)) return 0;
    JNIEnv *env = f.env;
    jintArray err = (*env)->NewIntArray(env, 1);
    int ok = 0;
    if (err) {
        jbyteArray body = (*env)->CallObjectMethod(env, DISPATCHER(ud), mj_stn.req2buf, TOKEN(t),
                                                   (jint)t->taskid, (jint)t->cmdid, jstr(env, t->user_id),
                                                   (jint)channel, jstr(env, host), err);
        if (!(*env)->ExceptionCheck(env)) {
            (*env)->GetIntArrayRegion(env, err, 0, 1, (jint *)err_code);
            ok = copy_out(env, body, out);
        }
    }
    if (leave(&f)) ok = 0;
    return ok;
}

static int cb_buf2resp(void *ud, const mars_task_ref *t, int channel, const uint8_t *body,
                       size_t body_len, int *err_code) {
    frame f;
    if (!enter(&f, ud)) return MARS_RESP_TASK_END;
    JNIEnv *env = f.env;
    int rc = MARS_RESP_TASK_END;
    jintArray err = (*env)->NewIntArray(env, 1);
    jbyteArray b = mj_bytes(env, body, body_len);
    if (err && b) {
        rc = (*env)->CallIntMethod(env, DISPATCHER(ud), mj_stn.buf2resp, TOKEN(t), (jint)t->taskid,
                                   (jint)t->cmdid, jstr(env, t->user_id), (jint)channel, b, err);
        if (!(*env)->ExceptionCheck(env)) (*env)->GetIntArrayRegion(env, err, 0, 1, (jint *)err_code);
    }
    if (leave(&f)) rc = MARS_RESP_TASK_END; /* Mars: an exception in buf2Resp ends the task */
    return rc;
}

/* Profile fields the library's struct_size covers; others read as 0/"". */
#define PF(p, f, dflt) \
    ((offsetof(mars_task_profile, f) + sizeof((p)->f) <= (p)->struct_size) ? (p)->f : (dflt))

static int profile_arrays(JNIEnv *env, const mars_task_profile *p, jlongArray *lo, jobjectArray *so) {
    jlong v[] = {
        PF(p, taskid, 0), PF(p, cmdid, 0), PF(p, channel, 0), PF(p, attempts, 0),
        PF(p, err_type, 0), PF(p, err_code, 0), PF(p, start_time_ms, 0), PF(p, start_send_time_ms, 0),
        PF(p, read_finish_time_ms, 0), PF(p, end_time_ms, 0), PF(p, send_bytes, 0), PF(p, recv_bytes, 0),
        PF(p, connect_port, 0), PF(p, connect_start_ms, 0), PF(p, connect_done_ms, 0),
        PF(p, first_pkg_timeout_ms, 0), PF(p, task_timeout_ms, 0), PF(p, weak_network, 0),
    };
    const char *s[] = {PF(p, cgi, ""), PF(p, user_id, ""), PF(p, report_arg, ""), PF(p, connect_ip, "")};
    *lo = (*env)->NewLongArray(env, sizeof v / sizeof v[0]);
    *so = (*env)->NewObjectArray(env, sizeof s / sizeof s[0], mj_string_cls, NULL);
    if (!*lo || !*so) return 0;
    (*env)->SetLongArrayRegion(env, *lo, 0, sizeof v / sizeof v[0], v);
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        (*env)->SetObjectArrayElement(env, *so, (jsize)i, jstr(env, s[i]));
    return !(*env)->ExceptionCheck(env);
}

static int cb_task_end(void *ud, const mars_task_ref *t, int err_type, int err_code,
                       const mars_task_profile *p) {
    frame f;
    if (!enter(&f, ud)) return 0;
    JNIEnv *env = f.env;
    jlongArray lo = NULL;
    jobjectArray so = NULL;
    int rc = 0;
    if (!p || profile_arrays(env, p, &lo, &so)) {
        rc = (*env)->CallIntMethod(env, DISPATCHER(ud), mj_stn.task_end, TOKEN(t), (jint)t->taskid,
                                   (jint)t->cmdid, jstr(env, t->user_id), (jint)err_type,
                                   (jint)err_code, lo, so);
    }
    if (leave(&f)) rc = 0;
    return rc;
}

static void cb_push(void *ud, const char *channel, uint32_t cmdid, uint32_t taskid, const uint8_t *body,
                    size_t body_len) {
    frame f;
    if (!enter(&f, ud)) return;
    JNIEnv *env = f.env;
    jbyteArray b = mj_bytes(env, body, body_len);
    if (b)
        (*env)->CallVoidMethod(env, DISPATCHER(ud), mj_stn.push, jstr(env, channel), (jint)cmdid,
                               (jint)taskid, b);
    leave(&f);
}

/* add_all appends a String[] a callback returned (null: nothing) to out. */
static void add_all(JNIEnv *env, jobjectArray a, mars_str_list *out) {
    if (!a || (*env)->ExceptionCheck(env)) return;
    mj_strs list;
    if (mj_strs_get(env, a, &list) != MARS_OK) return;
    for (size_t i = 0; i < list.len; i++) mars_str_list_add(out, list.ptrs[i]);
    mj_strs_release(env, &list);
}

static void cb_new_dns(void *ud, const char *host, int longlink, mars_str_list *out_ips) {
    frame f;
    if (!enter(&f, ud)) return;
    add_all(f.env, (*f.env)->CallObjectMethod(f.env, DISPATCHER(ud), mj_stn.new_dns, jstr(f.env, host),
                                              (jboolean)(longlink != 0)),
            out_ips);
    leave(&f);
}

static void cb_ll_new_dns(void *ud, const char *name, const char *host, mars_str_list *out_ips) {
    frame f;
    if (!enter(&f, ud)) return;
    add_all(f.env, (*f.env)->CallObjectMethod(f.env, DISPATCHER(ud), mj_stn.ll_new_dns, jstr(f.env, name),
                                              jstr(f.env, host)),
            out_ips);
    leave(&f);
}

static int cb_authed(void *ud, const char *host, const char *user_id) {
    frame f;
    if (!enter(&f, ud)) return 0;
    JNIEnv *env = f.env;
    jboolean ok = (*env)->CallBooleanMethod(env, DISPATCHER(ud), mj_stn.authed, jstr(env, host),
                                            jstr(env, user_id));
    if (leave(&f)) ok = JNI_FALSE;
    return ok ? 1 : 0;
}

static void cb_connect_status(void *ud, int status, int longlink_status) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.connect_status, (jint)status,
                             (jint)longlink_status);
    leave(&f);
}

static void cb_ll_status(void *ud, int status) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.ll_status, (jint)status);
    leave(&f);
}

static void cb_ll_net_error(void *ud, int err_type, int err_code, const char *ip, int port) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.ll_net_error, (jint)err_type, (jint)err_code,
                             jstr(f.env, ip), (jint)port);
    leave(&f);
}

static void cb_ll_status_of(void *ud, const char *name, int status) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.ll_status_of, jstr(f.env, name), (jint)status);
    leave(&f);
}

static void cb_ll_net_error_of(void *ud, const char *name, int err_type, int err_code, const char *ip,
                               int port) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.ll_net_error_of, jstr(f.env, name), (jint)err_type,
                             (jint)err_code, jstr(f.env, ip), (jint)port);
    leave(&f);
}

static void cb_sl_net_error(void *ud, int err_type, int err_code, const char *ip, int port) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.sl_net_error, (jint)err_type, (jint)err_code,
                             jstr(f.env, ip), (jint)port);
    leave(&f);
}

static int cb_identify_buf(void *ud, const char *channel, mars_buf *buf, mars_buf *hash,
                           uint32_t *cmdid) {
    frame f;
    if (!enter(&f, ud)) return MARS_IDENTIFY_CHECK_NEVER;
    JNIEnv *env = f.env;
    int mode = MARS_IDENTIFY_CHECK_NEVER;
    jobjectArray out = (*env)->NewObjectArray(env, 2, mj_stn.bytes_cls, NULL);
    jintArray cmd = (*env)->NewIntArray(env, 1);
    if (out && cmd) {
        mode = (*env)->CallIntMethod(env, DISPATCHER(ud), mj_stn.identify_buf, jstr(env, channel), out, cmd);
        if (!(*env)->ExceptionCheck(env) && mode == MARS_IDENTIFY_CHECK_NOW) {
            jint c = 0;
            (*env)->GetIntArrayRegion(env, cmd, 0, 1, &c);
            *cmdid = (uint32_t)c;
            jbyteArray b = (*env)->GetObjectArrayElement(env, out, 0);
            jbyteArray h = (*env)->GetObjectArrayElement(env, out, 1);
            if ((b && !copy_out(env, b, buf)) || (h && !copy_out(env, h, hash)))
                mode = MARS_IDENTIFY_CHECK_NEVER;
        }
    }
    if (leave(&f)) mode = MARS_IDENTIFY_CHECK_NEVER; /* Mars: an exception means never */
    return mode;
}

static int cb_identify_resp(void *ud, const char *channel, const uint8_t *resp, size_t resp_len,
                            const uint8_t *hash, size_t hash_len) {
    frame f;
    if (!enter(&f, ud)) return 1;
    JNIEnv *env = f.env;
    jboolean ok = JNI_TRUE;
    jbyteArray r = mj_bytes(env, resp, resp_len);
    jbyteArray h = mj_bytes(env, hash, hash_len);
    if (r && h)
        ok = (*env)->CallBooleanMethod(env, DISPATCHER(ud), mj_stn.identify_resp, jstr(env, channel), r, h);
    if (leave(&f)) ok = JNI_TRUE;
    return ok ? 1 : 0;
}

static void cb_traffic(void *ud, int64_t send, int64_t recv) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.traffic, (jlong)send, (jlong)recv);
    leave(&f);
}

static void cb_task_profile(void *ud, const mars_task_profile *p) {
    frame f;
    if (!p || !enter(&f, ud)) return;
    jlongArray lo = NULL;
    jobjectArray so = NULL;
    if (profile_arrays(f.env, p, &lo, &so))
        (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.task_profile, lo, so);
    leave(&f);
}

static void cb_task_limited(void *ud, int check_type, const mars_task_ref *t, int param) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.task_limited, (jint)check_type, TOKEN(t),
                             (jint)t->taskid, (jint)param);
    leave(&f);
}

static void cb_request_sync(void *ud) {
    frame f;
    if (!enter(&f, ud)) return;
    (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.request_sync);
    leave(&f);
}

/* Quality fields the library's struct_size covers; others read as 0. */
#define QF(q, f) ((offsetof(mars_network_quality, f) + sizeof((q)->f) <= (q)->struct_size) ? (q)->f : 0)

static void cb_net_quality(void *ud, const mars_network_quality *q) {
    frame f;
    if (!q || !enter(&f, ud)) return;
    jlong v[] = {QF(q, level), QF(q, dynamic_timeout), QF(q, rtt_ms), QF(q, throughput), QF(q, weak_marked)};
    jlongArray a = (*f.env)->NewLongArray(f.env, sizeof v / sizeof v[0]);
    if (a) {
        (*f.env)->SetLongArrayRegion(f.env, a, 0, sizeof v / sizeof v[0], v);
        (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.net_quality, a);
    }
    leave(&f);
}

static int cb_is_logoned(void *ud) {
    frame f;
    if (!enter(&f, ud)) return 0;
    jboolean ok = (*f.env)->CallBooleanMethod(f.env, DISPATCHER(ud), mj_stn.is_logoned);
    if (leave(&f)) ok = JNI_FALSE;
    return ok ? 1 : 0;
}

static void cb_netcheck_hosts(void *ud, mars_str_list *out) {
    frame f;
    if (!enter(&f, ud)) return;
    add_all(f.env, (*f.env)->CallObjectMethod(f.env, DISPATCHER(ud), mj_stn.netcheck_hosts), out);
    leave(&f);
}

static void cb_netcheck_result(void *ud, const char *json, size_t len) {
    frame f;
    if (!enter(&f, ud)) return;
    jbyteArray b = mj_bytes(f.env, (const uint8_t *)json, len);
    if (b) (*f.env)->CallVoidMethod(f.env, DISPATCHER(ud), mj_stn.netcheck_result, b);
    leave(&f);
}

/* copy_field copies a Java string into a mars_proxy_info field; 0 if it
 * does not fit (the answer is then not used). */
static int copy_field(JNIEnv *env, jobjectArray a, jsize i, char *dst, size_t room) {
    jstring j = (*env)->GetObjectArrayElement(env, a, i);
    mj_str s;
    if (mj_str_get(env, j, &s) != MARS_OK) return 0;
    const char *v = s.s ? s.s : "";
    int ok = strlen(v) < room;
    if (ok) memcpy(dst, v, strlen(v) + 1);
    mj_str_release(env, &s);
    return ok;
}

static int cb_proxy_info(void *ud, const char *host, int longlink, mars_proxy_info *out) {
    frame f;
    if (!enter(&f, ud)) return 0;
    JNIEnv *env = f.env;
    int answered = 0;
    jintArray kind = (*env)->NewIntArray(env, 1);
    if (kind) {
        jobjectArray s = (*env)->CallObjectMethod(env, DISPATCHER(ud), mj_stn.proxy_info, jstr(env, host),
                                                  (jboolean)(longlink != 0), kind);
        if (s && !(*env)->ExceptionCheck(env) && (*env)->GetArrayLength(env, s) == 3) {
            jint k = 0;
            (*env)->GetIntArrayRegion(env, kind, 0, 1, &k);
            out->kind = k;
            answered = copy_field(env, s, 0, out->addr, sizeof out->addr) &&
                       copy_field(env, s, 1, out->user, sizeof out->user) &&
                       copy_field(env, s, 2, out->password, sizeof out->password);
        }
    }
    if (leave(&f)) answered = 0; /* an exception: the config's proxy */
    return answered;
}

static void cb_dns_profile(void *ud, const mars_dns_profile *p) {
    frame f;
    if (!p || !enter(&f, ud)) return;
    JNIEnv *env = f.env;
    jobjectArray ips = (*env)->NewObjectArray(env, (jsize)p->ip_count, mj_string_cls, NULL);
    for (size_t i = 0; ips && i < p->ip_count; i++)
        (*env)->SetObjectArrayElement(env, ips, (jsize)i, jstr(env, p->ips[i]));
    if (ips && !(*env)->ExceptionCheck(env))
        (*env)->CallVoidMethod(env, DISPATCHER(ud), mj_stn.dns_profile, jstr(env, p->host),
                               (jboolean)(p->longlink != 0), (jint)p->source, ips, (jlong)p->start_ms,
                               (jlong)p->cost_ms, (jint)p->err_type, (jint)p->err_code, jstr(env, p->error));
    leave(&f);
}

void mj_stn_fill_callbacks(mars_stn_callbacks *cb, int mask) {
#define ON(bit) (mask & (1 << (bit)))
    if (ON(CB_REQ2BUF)) cb->req2buf = cb_req2buf;
    if (ON(CB_BUF2RESP)) cb->buf2resp = cb_buf2resp;
    if (ON(CB_TASK_END)) cb->on_task_end = cb_task_end;
    if (ON(CB_PUSH)) cb->on_push = cb_push;
    if (ON(CB_NEW_DNS)) cb->on_new_dns = cb_new_dns;
    if (ON(CB_AUTHED)) cb->makesure_authed = cb_authed;
    if (ON(CB_CONNECT_STATUS)) cb->report_connect_status = cb_connect_status;
    if (ON(CB_LL_STATUS)) cb->on_longlink_status_change = cb_ll_status;
    if (ON(CB_LL_NET_ERROR)) cb->on_longlink_network_error = cb_ll_net_error;
    if (ON(CB_IDENTIFY)) {
        cb->get_identify_check_buffer = cb_identify_buf;
        cb->on_identify_response = cb_identify_resp;
    }
    if (ON(CB_TRAFFIC)) cb->traffic_data = cb_traffic;
    if (ON(CB_TASK_PROFILE)) cb->report_task_profile = cb_task_profile;
    if (ON(CB_TASK_LIMITED)) cb->report_task_limited = cb_task_limited;
    if (ON(CB_REQUEST_SYNC)) cb->request_sync = cb_request_sync;
    if (ON(CB_NET_QUALITY)) cb->on_network_quality_change = cb_net_quality;
    if (ON(CB_IS_LOGONED)) cb->is_logoned = cb_is_logoned;
    if (ON(CB_NETCHECK_HOSTS)) cb->request_netcheck_hosts = cb_netcheck_hosts;
    if (ON(CB_NETCHECK_RESULT)) cb->on_netcheck_result = cb_netcheck_result;
    if (ON(CB_SL_NET_ERROR)) cb->on_shortlink_network_error = cb_sl_net_error;
    if (ON(CB_LL_STATUS_OF)) cb->on_longlink_status_change_of = cb_ll_status_of;
    if (ON(CB_LL_NET_ERROR_OF)) cb->on_longlink_network_error_of = cb_ll_net_error_of;
    if (ON(CB_LL_NEW_DNS)) cb->on_longlink_new_dns = cb_ll_new_dns;
    if (ON(CB_PROXY_INFO)) cb->get_proxy_info = cb_proxy_info;
    if (ON(CB_DNS_PROFILE)) cb->report_dns_profile = cb_dns_profile;
#undef ON
}

int mj_init_stn_ids(JNIEnv *env) {
    jclass c = (*env)->FindClass(env, "com/marsgo/mars/stn/Dispatcher");
    if (!c) return -1;
    mj_stn.cls = (*env)->NewGlobalRef(env, c);
    (*env)->DeleteLocalRef(env, c);
    jclass b = (*env)->FindClass(env, "[B");
    if (!b) return -1;
    mj_stn.bytes_cls = (*env)->NewGlobalRef(env, b);
    (*env)->DeleteLocalRef(env, b);
    struct { jmethodID *id; const char *name, *sig; } m[] = {
        {&mj_stn.req2buf, "cbReq2Buf", "(JIILjava/lang/String;ILjava/lang/String;[I)[B"},
        {&mj_stn.buf2resp, "cbBuf2Resp", "(JIILjava/lang/String;I[B[I)I"},
        {&mj_stn.task_end, "cbTaskEnd", "(JIILjava/lang/String;II[J[Ljava/lang/String;)I"},
        {&mj_stn.push, "cbPush", "(Ljava/lang/String;II[B)V"},
        {&mj_stn.new_dns, "cbNewDns", "(Ljava/lang/String;Z)[Ljava/lang/String;"},
        {&mj_stn.authed, "cbMakesureAuthed", "(Ljava/lang/String;Ljava/lang/String;)Z"},
        {&mj_stn.connect_status, "cbReportConnectStatus", "(II)V"},
        {&mj_stn.ll_status, "cbLongLinkStatusChange", "(I)V"},
        {&mj_stn.ll_net_error, "cbLongLinkNetworkError", "(IILjava/lang/String;I)V"},
        {&mj_stn.identify_buf, "cbGetIdentifyCheckBuffer", "(Ljava/lang/String;[[B[I)I"},
        {&mj_stn.identify_resp, "cbIdentifyResponse", "(Ljava/lang/String;[B[B)Z"},
        {&mj_stn.traffic, "cbTrafficData", "(JJ)V"},
        {&mj_stn.task_profile, "cbReportTaskProfile", "([J[Ljava/lang/String;)V"},
        {&mj_stn.task_limited, "cbReportTaskLimited", "(IJII)V"},
        {&mj_stn.request_sync, "cbRequestSync", "()V"},
        {&mj_stn.net_quality, "cbNetworkQualityChange", "([J)V"},
        {&mj_stn.is_logoned, "cbIsLogoned", "()Z"},
        {&mj_stn.netcheck_hosts, "cbRequestNetCheckHosts", "()[Ljava/lang/String;"},
        {&mj_stn.netcheck_result, "cbNetCheckResult", "([B)V"},
        {&mj_stn.sl_net_error, "cbShortLinkNetworkError", "(IILjava/lang/String;I)V"},
        {&mj_stn.ll_status_of, "cbLongLinkStatusChangeOf", "(Ljava/lang/String;I)V"},
        {&mj_stn.ll_net_error_of, "cbLongLinkNetworkErrorOf", "(Ljava/lang/String;IILjava/lang/String;I)V"},
        {&mj_stn.ll_new_dns, "cbLongLinkNewDns", "(Ljava/lang/String;Ljava/lang/String;)[Ljava/lang/String;"},
        {&mj_stn.proxy_info, "cbGetProxyInfo", "(Ljava/lang/String;Z[I)[Ljava/lang/String;"},
        {&mj_stn.dns_profile, "cbReportDnsProfile",
         "(Ljava/lang/String;ZI[Ljava/lang/String;JJIILjava/lang/String;)V"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        *m[i].id = (*env)->GetMethodID(env, mj_stn.cls, m[i].name, m[i].sig);
        if (!*m[i].id) return -1;
    }
    return 0;
}

mj_stn_ids mj_stn;
