/* MarsStnCallbacks.m — the C functions the library calls (mars_stn_callbacks)
 * and how each reaches the delegate: register the library thread with
 * GNUstep, open an autorelease pool, mark which engine this thread is
 * serving, call the delegate inside @try, and turn an exception into the
 * documented fallback value. No exception ever returns into the library. */
#import "MarsStnState.h"

static __thread void *tCurrentEngine;

void *MarsStnCurrentEngine(void) {
    return tCurrentEngine;
}

static void noteException(MarsStn *stn, id exception, const char *callback) {
    __atomic_add_fetch(&MarsStnStateOf(stn)->exceptions, 1, __ATOMIC_SEQ_CST);
    NSLog(@"mars: exception in delegate method %s caught (fallback value used): %@", callback, exception);
}

/* CB_BEGIN/CB_END bracket every callback body. `stn`, `st` and `delegate`
 * are in scope between them; the body sets the result variable last. */
#define CB_BEGIN(ud)                                                        \
    MarsCallbackEnter();                                                    \
    MarsStn *stn = (MARS_BRIDGE MarsStn *)(ud);                             \
    MarsStnState *st = MarsStnStateOf(stn);                                 \
    void *savedEngine_ = tCurrentEngine;                                    \
    tCurrentEngine = (MARS_BRIDGE void *)stn;                               \
    MARS_POOL_BEGIN                                                         \
    @try {                                                                  \
        id<MarsStnDelegate> delegate = (MARS_BRIDGE id)st->delegate;        \
        (void)delegate;

#define CB_END                                                              \
    } @catch (id e) {                                                       \
        noteException(stn, e, __func__);                                    \
    }                                                                       \
    MARS_POOL_END                                                           \
    tCurrentEngine = savedEngine_;

static MarsTaskRef *refOf(MarsStnState *st, const mars_task_ref *t, BOOL remove) {
    return [MarsTaskRef marsRefWith:t context:MarsStnContext(st, t->taskid, remove)];
}

static NSData *borrowedData(const uint8_t *p, size_t n) {
    /* The bytes are valid only during the callback: copy them. */
    return p != NULL && n > 0 ? [NSData dataWithBytes:p length:n] : [NSData data];
}

static int onReq2Buf(void *ud, const mars_task_ref *t, int channel, const char *host, mars_buf *out,
                     int *err_code) {
    int ok = 0;
    *err_code = MarsCallbackExceptionCode;
    CB_BEGIN(ud)
    int32_t code = 0;
    NSData *body = [delegate stn:stn requestBodyForTask:refOf(st, t, NO) channel:channel
                            host:MarsString(host) errorCode:&code];
    *err_code = code;
    if (body != nil) ok = mars_buf_append(out, [body bytes], [body length]) == MARS_OK;
    CB_END
    return ok;
}

static int onBuf2Resp(void *ud, const mars_task_ref *t, int channel, const uint8_t *body, size_t n,
                      int *err_code) {
    int result = MARS_RESP_TASK_END;
    *err_code = MarsCallbackExceptionCode;
    CB_BEGIN(ud)
    int32_t code = 0;
    MarsDecodeResult r = [delegate stn:stn decodeResponse:borrowedData(body, n) forTask:refOf(st, t, NO)
                               channel:channel errorCode:&code];
    *err_code = code;
    result = r;
    /* No taskDidEnd follows a silent end, so the context goes now. */
    if (r == MarsDecodeSilentTaskEnd && channel == MARS_CHANNEL_LONG) MarsStnContext(st, t->taskid, YES);
    CB_END
    return result;
}

static int onTaskEnd(void *ud, const mars_task_ref *t, int err_type, int err_code,
                     const mars_task_profile *p) {
    int result = 0;
    CB_BEGIN(ud)
    MarsTaskRef *ref = refOf(st, t, YES);
    if (st->impl & MarsImplTaskEnd)
        result = [delegate stn:stn taskDidEnd:ref errorType:err_type errorCode:err_code
                       profile:[MarsTaskProfile marsProfileWith:p]];
    CB_END
    return result;
}

static void onPush(void *ud, const char *channel, uint32_t cmdid, uint32_t taskid, const uint8_t *body,
                   size_t n) {
    CB_BEGIN(ud)
    [delegate stn:stn didReceivePush:borrowedData(body, n) cmdID:cmdid taskID:taskid
          channel:MarsString(channel)];
    CB_END
}

static void onNewDns(void *ud, const char *host, int longlink, mars_str_list *out) {
    CB_BEGIN(ud)
    NSArray *ips = [delegate stn:stn resolveHost:MarsString(host) longLink:longlink != 0];
    for (id ip in ips) mars_str_list_add(out, MarsCString([ip description]));
    CB_END
}

static int onAuthed(void *ud, const char *host, const char *user_id) {
    int authed = 0;
    CB_BEGIN(ud)
    authed = [delegate stn:stn isAuthedForHost:MarsString(host) userID:MarsString(user_id)] ? 1 : 0;
    CB_END
    return authed;
}

static void onConnectStatus(void *ud, int status, int longlink_status) {
    CB_BEGIN(ud)
    [delegate stn:stn connectStatusDidChange:status longLinkStatus:longlink_status];
    CB_END
}

static void onLongLinkStatus(void *ud, int status) {
    CB_BEGIN(ud)
    [delegate stn:stn longLinkStatusDidChange:status];
    CB_END
}

static void onNetworkError(void *ud, int err_type, int err_code, const char *ip, int port) {
    CB_BEGIN(ud)
    [delegate stn:stn longLinkNetworkError:err_type code:err_code ip:MarsString(ip) port:port];
    CB_END
}

static void onLongLinkStatusOf(void *ud, const char *name, int status) {
    CB_BEGIN(ud)
    [delegate stn:stn longLink:MarsString(name) statusDidChange:status];
    CB_END
}

static void onNetworkErrorOf(void *ud, const char *name, int err_type, int err_code, const char *ip, int port) {
    CB_BEGIN(ud)
    [delegate stn:stn longLink:MarsString(name) networkError:err_type code:err_code ip:MarsString(ip) port:port];
    CB_END
}

static void onLongLinkNewDns(void *ud, const char *name, const char *host, mars_str_list *out) {
    CB_BEGIN(ud)
    NSArray *ips = [delegate stn:stn resolveLongLink:MarsString(name) host:MarsString(host)];
    for (id ip in ips) mars_str_list_add(out, MarsCString([ip description]));
    CB_END
}

static void onShortLinkNetworkError(void *ud, int err_type, int err_code, const char *ip, int port) {
    CB_BEGIN(ud)
    [delegate stn:stn shortLinkNetworkError:err_type code:err_code ip:MarsString(ip) port:port];
    CB_END
}

static int onIdentifyCheck(void *ud, const char *channel, mars_buf *buf, mars_buf *hash,
                           uint32_t *cmdid) {
    int mode = MARS_IDENTIFY_CHECK_NEVER;
    CB_BEGIN(ud)
    NSMutableData *b = [NSMutableData data], *h = [NSMutableData data];
    uint32_t cmd = 0;
    MarsIdentifyMode m = [delegate stn:stn identifyCheckForChannel:MarsString(channel) buffer:b
                                  hash:h cmdID:&cmd];
    if (m == MarsIdentifyCheckNow) {
        *cmdid = cmd;
        if (mars_buf_append(buf, [b bytes], [b length]) == MARS_OK &&
            mars_buf_append(hash, [h bytes], [h length]) == MARS_OK)
            mode = m;
    } else {
        mode = m;
    }
    CB_END
    return mode;
}

static int onIdentifyResponse(void *ud, const char *channel, const uint8_t *resp, size_t resp_len,
                              const uint8_t *hash, size_t hash_len) {
    int stop = 1;
    CB_BEGIN(ud)
    stop = [delegate stn:stn identifyResponse:borrowedData(resp, resp_len)
                    hash:borrowedData(hash, hash_len) channel:MarsString(channel)] ? 1 : 0;
    CB_END
    return stop;
}

static void onTraffic(void *ud, int64_t send, int64_t recv) {
    CB_BEGIN(ud)
    [delegate stn:stn trafficSent:send received:recv];
    CB_END
}

static void onProfile(void *ud, const mars_task_profile *p) {
    CB_BEGIN(ud)
    MarsTaskProfile *profile = [MarsTaskProfile marsProfileWith:p];
    if (profile != nil) [delegate stn:stn reportTaskProfile:profile];
    CB_END
}

static void onLimited(void *ud, int check_type, const mars_task_ref *t, int param) {
    CB_BEGIN(ud)
    [delegate stn:stn taskLimited:refOf(st, t, NO) checkType:check_type param:param];
    CB_END
}

static void onSync(void *ud) {
    CB_BEGIN(ud)
    [delegate stnRequestSync:stn];
    CB_END
}

static void onQuality(void *ud, const mars_network_quality *q) {
    CB_BEGIN(ud)
    MarsNetworkQuality *quality = [MarsNetworkQuality marsQualityWith:q];
    if (quality != nil) [delegate stn:stn networkQualityDidChange:quality];
    CB_END
}

static int onLogoned(void *ud) {
    int logoned = 0;
    CB_BEGIN(ud)
    logoned = [delegate stnIsLogoned:stn] ? 1 : 0;
    CB_END
    return logoned;
}

static void onNetCheckHosts(void *ud, mars_str_list *out) {
    CB_BEGIN(ud)
    NSArray *hosts = [delegate stnNetCheckHosts:stn];
    for (id host in hosts) mars_str_list_add(out, MarsCString([host description]));
    CB_END
}

static void onNetCheckResult(void *ud, const char *json, size_t len) {
    CB_BEGIN(ud)
    /* The bytes are valid only during the call: both objects copy them. */
    NSData *data = json != NULL ? [NSData dataWithBytes:json length:len] : [NSData data];
    NSString *text = MARS_AUTORELEASE([[NSString alloc] initWithData:data encoding:NSUTF8StringEncoding]);
    id report = [NSJSONSerialization JSONObjectWithData:data options:0 error:NULL];
    if (![report isKindOfClass:[NSDictionary class]]) report = nil;
    [delegate stn:stn didFinishNetCheck:report json:text != nil ? text : MarsString(json)];
    CB_END
}

static int onProxyInfo(void *ud, const char *host, int longlink, mars_proxy_info *out) {
    int answered = 0;
    CB_BEGIN(ud)
    MarsProxyInfo *proxy = [delegate stn:stn proxyForHost:MarsString(host) longLink:longlink != 0];
    if (proxy != nil) answered = [proxy marsFill:out] ? 1 : 0;
    CB_END
    return answered;
}

static void onDnsProfile(void *ud, const mars_dns_profile *p) {
    CB_BEGIN(ud)
    MarsDnsProfile *profile = [MarsDnsProfile marsDnsProfileWith:p];
    if (profile != nil) [delegate stn:stn reportDnsProfile:profile];
    CB_END
}

void MarsStnInstallCallbacks(mars_stn_callbacks *cb, unsigned impl) {
    /* on_task_end is always installed: it also forgets the task's context. */
    cb->on_task_end = onTaskEnd;
    if (impl & MarsImplReq2Buf) cb->req2buf = onReq2Buf;
    if (impl & MarsImplBuf2Resp) cb->buf2resp = onBuf2Resp;
    if (impl & MarsImplPush) cb->on_push = onPush;
    if (impl & MarsImplDns) cb->on_new_dns = onNewDns;
    if (impl & MarsImplAuthed) cb->makesure_authed = onAuthed;
    if (impl & MarsImplConnectStatus) cb->report_connect_status = onConnectStatus;
    if (impl & MarsImplLongLinkStatus) cb->on_longlink_status_change = onLongLinkStatus;
    if (impl & MarsImplNetworkError) cb->on_longlink_network_error = onNetworkError;
    if (impl & MarsImplShortLinkNetworkError) cb->on_shortlink_network_error = onShortLinkNetworkError;
    if (impl & MarsImplIdentifyCheck) cb->get_identify_check_buffer = onIdentifyCheck;
    if (impl & MarsImplIdentifyResponse) cb->on_identify_response = onIdentifyResponse;
    if (impl & MarsImplTraffic) cb->traffic_data = onTraffic;
    if (impl & MarsImplProfile) cb->report_task_profile = onProfile;
    if (impl & MarsImplLimited) cb->report_task_limited = onLimited;
    if (impl & MarsImplSync) cb->request_sync = onSync;
    if (impl & MarsImplQuality) cb->on_network_quality_change = onQuality;
    if (impl & MarsImplLogoned) cb->is_logoned = onLogoned;
    if (impl & MarsImplNetCheckHosts) cb->request_netcheck_hosts = onNetCheckHosts;
    if (impl & MarsImplNetCheckResult) cb->on_netcheck_result = onNetCheckResult;
    if (impl & MarsImplLongLinkStatusOf) cb->on_longlink_status_change_of = onLongLinkStatusOf;
    if (impl & MarsImplNetworkErrorOf) cb->on_longlink_network_error_of = onNetworkErrorOf;
    if (impl & MarsImplLongLinkDns) cb->on_longlink_new_dns = onLongLinkNewDns;
    if (impl & MarsImplProxyInfo) cb->get_proxy_info = onProxyInfo;
    if (impl & MarsImplDnsProfile) cb->report_dns_profile = onDnsProfile;
}
