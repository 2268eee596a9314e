/* MarsStn.m — the engine object: creation, close, and the thin methods over
 * mars_stn_*. Callbacks live in MarsStnCallbacks.m. */
#import "MarsStnState.h"
#include <stdlib.h>
#include <string.h>

void *MarsRetained(id obj) {
    if (obj == nil) return NULL;
#if __has_feature(objc_arc)
    return (__bridge_retained void *)obj;
#else
    return (void *)[obj retain];
#endif
}

void MarsReleasePtr(void *p) {
    if (p == NULL) return;
#if __has_feature(objc_arc)
    (void)(__bridge_transfer id)p; /* the transferred reference ends here */
#else
    [(id)p release];
#endif
}

id MarsStnContext(MarsStnState *st, uint32_t taskID, BOOL remove) {
    id context = nil;
    pthread_mutex_lock(&st->mu);
    NSMutableDictionary *contexts = (MARS_BRIDGE NSMutableDictionary *)st->contexts;
    if ([contexts count] > 0) {
        NSNumber *key = [NSNumber numberWithUnsignedInt:taskID];
        context = MARS_AUTORELEASE(MARS_RETAIN([contexts objectForKey:key]));
        if (remove && context != nil) [contexts removeObjectForKey:key];
    }
    pthread_mutex_unlock(&st->mu);
    return context;
}

static void storeContext(MarsStnState *st, uint32_t taskID, id context) {
    pthread_mutex_lock(&st->mu);
    NSMutableDictionary *contexts = (MARS_BRIDGE NSMutableDictionary *)st->contexts;
    [contexts setObject:context forKey:[NSNumber numberWithUnsignedInt:taskID]];
    pthread_mutex_unlock(&st->mu);
}

static void clearContexts(MarsStnState *st) {
    pthread_mutex_lock(&st->mu);
    [(MARS_BRIDGE NSMutableDictionary *)st->contexts removeAllObjects];
    pthread_mutex_unlock(&st->mu);
}

/* Which delegate methods exist: only those get a C callback. */
static unsigned implementedMethods(id delegate) {
    struct { SEL sel; unsigned bit; } table[] = {
        {@selector(stn:requestBodyForTask:channel:host:errorCode:), MarsImplReq2Buf},
        {@selector(stn:decodeResponse:forTask:channel:errorCode:), MarsImplBuf2Resp},
        {@selector(stn:taskDidEnd:errorType:errorCode:profile:), MarsImplTaskEnd},
        {@selector(stn:didReceivePush:cmdID:taskID:channel:), MarsImplPush},
        {@selector(stn:resolveHost:longLink:), MarsImplDns},
        {@selector(stn:isAuthedForHost:userID:), MarsImplAuthed},
        {@selector(stn:connectStatusDidChange:longLinkStatus:), MarsImplConnectStatus},
        {@selector(stn:longLinkStatusDidChange:), MarsImplLongLinkStatus},
        {@selector(stn:longLinkNetworkError:code:ip:port:), MarsImplNetworkError},
        {@selector(stn:identifyCheckForChannel:buffer:hash:cmdID:), MarsImplIdentifyCheck},
        {@selector(stn:identifyResponse:hash:channel:), MarsImplIdentifyResponse},
        {@selector(stn:trafficSent:received:), MarsImplTraffic},
        {@selector(stn:reportTaskProfile:), MarsImplProfile},
        {@selector(stn:taskLimited:checkType:param:), MarsImplLimited},
        {@selector(stnRequestSync:), MarsImplSync},
        {@selector(stn:networkQualityDidChange:), MarsImplQuality},
        {@selector(stnIsLogoned:), MarsImplLogoned},
        {@selector(stnNetCheckHosts:), MarsImplNetCheckHosts},
        {@selector(stn:didFinishNetCheck:json:), MarsImplNetCheckResult},
        {@selector(stn:shortLinkNetworkError:code:ip:port:), MarsImplShortLinkNetworkError},
        {@selector(stn:longLink:statusDidChange:), MarsImplLongLinkStatusOf},
        {@selector(stn:longLink:networkError:code:ip:port:), MarsImplNetworkErrorOf},
        {@selector(stn:resolveLongLink:host:), MarsImplLongLinkDns},
        {@selector(stn:proxyForHost:longLink:), MarsImplProxyInfo},
        {@selector(stn:reportDnsProfile:), MarsImplDnsProfile},
    };
    unsigned impl = 0;
    if (delegate == nil) return 0;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if ([delegate respondsToSelector:table[i].sel]) impl |= table[i].bit;
    return impl;
}

@interface MarsStn ()
- (BOOL)marsCreate:(MarsStnConfig *)config delegate:(id)delegate error:(NSError **)error;
- (mars_stn *)marsHandle:(NSError **)error;
- (void)marsDestroy:(mars_stn *)h;
@end

NSString *const MarsDefaultLongLink = @MARS_DEFAULT_LONGLINK_NAME;

@implementation MarsStn

/* Inside the implementation so that it may read the protected ivar. */
MarsStnState *MarsStnStateOf(MarsStn *stn) {
    return (MarsStnState *)stn->_state;
}

/* Unavailable (NS_UNAVAILABLE); GCC does not enforce that, so it fails
 * loudly instead of making an object without a handle. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wobjc-designated-initializers"
#endif
- (instancetype)init {
    [self doesNotRecognizeSelector:_cmd];
    MARS_RELEASE(self);
    return nil;
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

- (instancetype)initWithConfig:(MarsStnConfig *)config
                      delegate:(id<MarsStnDelegate>)delegate
                         error:(NSError **)error {
    if ((self = [super init]) == nil) return nil;
    MarsStnState *st = calloc(1, sizeof *st);
    _state = st;
    pthread_mutex_init(&st->mu, NULL);
    st->contexts = MarsRetained([NSMutableDictionary dictionary]);
    if (!MarsEnsureLibrary(error) || ![self marsCreate:config delegate:delegate error:error]) {
        MARS_RELEASE(self);
        return nil;
    }
    st->selfRetain = MarsRetained(self);
    return self;
}

- (BOOL)marsCreate:(MarsStnConfig *)config delegate:(id)delegate error:(NSError **)error {
    MarsStnState *st = _state;
    st->impl = implementedMethods(delegate);
    st->delegate = MarsRetained(delegate);
    st->log = MarsRetained(config.log); /* must stay open while the engine logs to it */
    int rc = MARS_OK;
    BOOL filled;
    mars_stn *handle = NULL;
    /* No inner pool: the NSError below must outlive this method. */
    mars_stn_config cfg;
    mars_stn_config_init_sized(&cfg, sizeof cfg);
    mars_stn_callbacks cb;
    mars_stn_callbacks_init_sized(&cb, sizeof cb);
    cb.user_data = (MARS_BRIDGE void *)self;
    MarsStnInstallCallbacks(&cb, st->impl);
    filled = [config marsFill:&cfg error:error];
    if (filled) rc = mars_stn_create(&cfg, &cb, &handle);
    if (!filled || !MarsCheck(rc, MarsDetailStn, NULL, error)) return NO;
    __atomic_store_n(&st->handle, handle, __ATOMIC_SEQ_CST);
    return YES;
}

- (void)dealloc {
    MarsStnState *st = _state;
    if (st != NULL) {
        /* Only reached once closed (or never opened): the engine holds a
         * retain on itself while open. */
        MarsReleasePtr(st->delegate);
        MarsReleasePtr(st->log);
        MarsReleasePtr(st->contexts);
        pthread_mutex_destroy(&st->mu);
        free(st);
    }
    MARS_SUPER_DEALLOC();
}

- (id<MarsStnDelegate>)delegate {
    return (MARS_BRIDGE id)MarsStnStateOf(self)->delegate;
}

- (uint64_t)callbackExceptions {
    return __atomic_load_n(&MarsStnStateOf(self)->exceptions, __ATOMIC_SEQ_CST);
}

- (BOOL)isClosed {
    return __atomic_load_n(&MarsStnStateOf(self)->handle, __ATOMIC_SEQ_CST) == NULL;
}

/* The open handle, or NULL with MarsErrorClosed. */
- (mars_stn *)marsHandle:(NSError **)error {
    mars_stn *h = __atomic_load_n(&MarsStnStateOf(self)->handle, __ATOMIC_SEQ_CST);
    if (h == NULL) {
        MarsFail(MarsErrorClosed, @"the engine is closed", error);
        return NULL;
    }
    return MarsRefuseForkedChild(NO, error) ? NULL : h;
}

- (void)close {
    MarsStnState *st = _state;
    mars_stn *h = __atomic_exchange_n(&st->handle, NULL, __ATOMIC_SEQ_CST);
    if (h == NULL) return;
    if (MarsStnCurrentEngine() == (MARS_BRIDGE void *)self) {
        /* Inside our own callback the library would only start the shutdown;
         * a helper thread waits for its end before letting go of the
         * delegate. NSThread retains self until then. */
        [NSThread detachNewThreadSelector:@selector(marsFinishClose:)
                                 toTarget:self
                               withObject:[NSValue valueWithPointer:h]];
        return;
    }
    [self marsDestroy:h];
}

- (void)marsFinishClose:(NSValue *)handle {
    MARS_POOL_BEGIN
    [self marsDestroy:(mars_stn *)[handle pointerValue]];
    MARS_POOL_END
}

- (void)marsDestroy:(mars_stn *)h {
    MarsStnState *st = _state;
    /* In a forked child the engine is only let go: destroying it would wait
     * for Go threads the child does not have. */
    if (!MarsInForkedChild(NO)) {
        int rc = mars_stn_destroy(h);
        if (rc != MARS_OK) NSLog(@"mars: mars_stn_destroy: %s", mars_errstr(rc));
    }
    /* No callback runs any more: the delegate and contexts can go. */
    clearContexts(st);
    void *delegate = st->delegate, *selfRetain = st->selfRetain, *log = st->log;
    st->delegate = NULL;
    st->selfRetain = NULL;
    st->log = NULL;
    MarsReleasePtr(delegate);
    MarsReleasePtr(log);
    MarsReleasePtr(selfRetain); /* may free self: nothing follows */
}

- (uint32_t)startTask:(MarsTask *)task error:(NSError **)error {
    MarsStnState *st = _state;
    mars_stn *h = [self marsHandle:error];
    if (h == NULL) return 0;
    uint32_t taskID = task.taskID;
    if (taskID == 0 && !MarsCheck(mars_stn_gen_task_id(h, &taskID), MarsDetailStn, h, error)) return 0;
    id context = task.context;
    /* Stored before the start: a callback may run before startTask returns. */
    if (context != nil) storeContext(st, taskID, context);
    int rc = MARS_OK;
    NSError *refused = nil; /* a field the binding refused, kept past the pool */
    MARS_POOL_BEGIN
    mars_task t;
    mars_task_init_sized(&t, sizeof t);
    NSError *fillError = nil;
    if ([task marsFill:&t taskID:taskID error:&fillError])
        rc = mars_stn_start_task(h, &t, NULL);
    else
        refused = MARS_RETAIN(fillError);
    MARS_POOL_END
    if (refused != nil || rc != MARS_OK) {
        if (context != nil) MarsStnContext(st, taskID, YES);
        if (refused == nil) {
            MarsCheck(rc, MarsDetailStn, h, error);
        } else if (error != NULL) {
            *error = MARS_AUTORELEASE(refused);
        } else {
            MARS_RELEASE(refused);
        }
        return 0;
    }
    return taskID;
}

- (BOOL)stopTask:(uint32_t)taskID error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    if (h == NULL) return NO;
    MarsStnContext(_state, taskID, YES);
    return MarsCheck(mars_stn_stop_task(h, taskID), MarsDetailStn, h, error);
}

- (BOOL)hasTask:(uint32_t)taskID {
    mars_stn *h = [self marsHandle:NULL];
    int has = 0;
    return h != NULL && mars_stn_has_task(h, taskID, &has) == MARS_OK && has != 0;
}

- (uint32_t)generateTaskID:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    uint32_t taskID = 0;
    if (h == NULL || !MarsCheck(mars_stn_gen_task_id(h, &taskID), MarsDetailStn, h, error)) return 0;
    return taskID;
}

- (BOOL)setClientVersion:(uint32_t)version error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    return h != NULL && MarsCheck(mars_stn_set_client_version(h, version), MarsDetailStn, h, error);
}

- (BOOL)resetAndInitEncoderVersion:(uint32_t)version error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    return h != NULL && MarsCheck(mars_stn_reset_and_init_encoder_version(h, version), MarsDetailStn, h, error);
}

+ (uint32_t)generateSequenceID {
    uint32_t v = 0;
    mars_stn_gen_sequence_id(&v);
    return v;
}

/* MARS_SIMPLE defines a method that forwards to a mars_stn_* call taking
 * only the handle. */
#define MARS_SIMPLE(method, call)                                  \
    -(BOOL)method : (NSError **)error {                            \
        mars_stn *h = [self marsHandle:error];                     \
        return h != NULL && MarsCheck(call(h), MarsDetailStn, h, error); \
    }

MARS_SIMPLE(redoTasks, mars_stn_redo_tasks)
MARS_SIMPLE(touchTasks, mars_stn_touch_tasks)
MARS_SIMPLE(reset, mars_stn_reset)
MARS_SIMPLE(makesureLongLinkConnected, mars_stn_makesure_longlink_connected)
MARS_SIMPLE(disableLongLink, mars_stn_disable_longlink)
MARS_SIMPLE(keepSignalling, mars_stn_keep_signalling)
MARS_SIMPLE(stopSignalling, mars_stn_stop_signalling)
MARS_SIMPLE(trigNoop, mars_stn_trig_noop)

- (BOOL)setHeartbeatMode:(MarsHeartbeatMode)mode error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    return h != NULL && MarsCheck(mars_stn_set_heartbeat_mode(h, mode), MarsDetailStn, h, error);
}

- (BOOL)heartbeatIntervalMs:(int64_t *)ms error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    int64_t v = 0;
    if (h == NULL || !MarsCheck(mars_stn_heartbeat_interval(h, &v), MarsDetailStn, h, error)) return NO;
    if (ms != NULL) *ms = v;
    return YES;
}

- (MarsNetworkQuality *)networkQuality:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    if (h == NULL) return nil;
    mars_network_quality q;
    memset(&q, 0, sizeof q);
    q.struct_size = sizeof q;
    if (!MarsCheck(mars_stn_network_quality(h, &q), MarsDetailStn, h, error)) return nil;
    return [MarsNetworkQuality marsQualityWith:&q];
}

- (BOOL)pollWithTimeoutMs:(int64_t)timeoutMs ran:(NSInteger *)ran error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    if (h == NULL) return NO;
    int n = 0;
    /* The polled callbacks run on this thread, inside this call. */
    int rc = mars_stn_poll(h, timeoutMs, &n);
    if (ran != NULL) *ran = n;
    return MarsCheck(rc, MarsDetailStn, h, error);
}

- (BOOL)clearTasks:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    if (h == NULL) return NO;
    clearContexts(_state);
    return MarsCheck(mars_stn_clear_tasks(h), MarsDetailStn, h, error);
}

- (BOOL)isLongLinkConnected {
    mars_stn *h = [self marsHandle:NULL];
    int connected = 0;
    return h != NULL && mars_stn_longlink_is_connected(h, &connected) == MARS_OK && connected != 0;
}

- (BOOL)createLongLink:(MarsLongLinkConfig *)config error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    if (h == NULL) return NO;
    if (config == nil) return MarsFail(MarsErrorInvalidArgument, @"a nil long-link config", error);
    /* mars_longlink_config_init's defaults by hand (marsFill sets the two
     * that are not 0): it writes the library's sizeof, which a newer
     * library may have grown past this struct. */
    mars_longlink_config c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    return [config marsFill:&c error:error] &&
           MarsCheck(mars_stn_create_longlink(h, &c), MarsDetailStn, h, error);
}

/* MARS_NAMED defines a method that forwards to a mars_stn_* call taking
 * the handle and a link name. */
#define MARS_NAMED(method, call)                                                     \
    -(BOOL)method : (NSString *)name error : (NSError **)error {                      \
        mars_stn *h = [self marsHandle:error];                                        \
        const char *cname;                                                            \
        return h != NULL && MarsCStringChecked(name, "name", &cname, error) &&        \
               MarsCheck(call(h, cname), MarsDetailStn, h, error);                    \
    }

MARS_NAMED(destroyLongLink, mars_stn_destroy_longlink)
MARS_NAMED(markMainLongLink, mars_stn_mark_main_longlink)
MARS_NAMED(makesureLongLinkConnected, mars_stn_makesure_named_longlink_connected)

- (NSArray *)longLinks {
    NSMutableArray *names = [NSMutableArray array];
    mars_stn *h = [self marsHandle:NULL];
    char *block = NULL;
    size_t len = 0;
    if (h == NULL || mars_stn_longlinks(h, &block, &len) != MARS_OK) return names;
    for (size_t i = 0; i < len; i += strnlen(block + i, len - i) + 1) [names addObject:MarsString(block + i)];
    mars_free(block);
    return names;
}

- (NSString *)mainLongLink {
    mars_stn *h = [self marsHandle:NULL];
    char small[128];
    char *buf = small;
    size_t size = sizeof small;
    int rc = h != NULL ? mars_stn_main_longlink(h, buf, size) : MARS_EBADHANDLE;
    while (rc == MARS_ERANGE && size < ((size_t)1 << 24)) {
        size *= 4;
        char *bigger = buf == small ? malloc(size) : realloc(buf, size);
        if (bigger == NULL) break;
        buf = bigger;
        rc = mars_stn_main_longlink(h, buf, size);
    }
    NSString *name = rc == MARS_OK ? MarsString(buf) : nil;
    if (buf != small) free(buf);
    return name;
}

- (BOOL)isLongLinkConnected:(NSString *)name {
    mars_stn *h = [self marsHandle:NULL];
    const char *cname;
    int connected = 0;
    return h != NULL && MarsCStringChecked(name, "name", &cname, NULL) &&
           mars_stn_named_longlink_is_connected(h, cname, &connected) == MARS_OK && connected != 0;
}

- (BOOL)setLongLinkHost:(NSString *)host ports:(NSArray *)ports debugIP:(NSString *)debugIP
                  error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    if (h == NULL) return NO;
    const uint16_t *p;
    const char *chost, *cip;
    if (!MarsFillPorts(ports, @"ports", &p, error) || !MarsCStringChecked(host, "host", &chost, error) ||
        !MarsCStringChecked(debugIP, "debugIP", &cip, error))
        return NO;
    int rc = mars_stn_set_longlink_svr_addr(h, chost, p, [ports count], cip);
    return MarsCheck(rc, MarsDetailStn, h, error);
}

- (BOOL)setShortLinkPort:(uint16_t)port debugIP:(NSString *)debugIP error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    const char *cip;
    return h != NULL && MarsCStringChecked(debugIP, "debugIP", &cip, error) &&
           MarsCheck(mars_stn_set_shortlink_svr_addr(h, port, cip), MarsDetailStn, h, error);
}

- (BOOL)setDebugIP:(NSString *)ip forHost:(NSString *)host error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    const char *chost, *cip;
    return h != NULL && MarsCStringChecked(host, "host", &chost, error) &&
           MarsCStringChecked(ip, "ip", &cip, error) &&
           MarsCheck(mars_stn_set_debug_ip(h, chost, cip), MarsDetailStn, h, error);
}

- (BOOL)setBackupIPs:(NSArray *)ips forHost:(NSString *)host error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    if (h == NULL) return NO;
    const char *chost;
    const char *const *cips;
    if (!MarsCStringChecked(host, "host", &chost, error) || !MarsCStringArray(ips, "ips", &cips, error))
        return NO;
    int rc = mars_stn_set_backup_ips(h, chost, cips, [ips count]);
    return MarsCheck(rc, MarsDetailStn, h, error);
}

- (BOOL)setForeground:(BOOL)foreground error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    return h != NULL && MarsCheck(mars_stn_on_foreground(h, foreground ? 1 : 0), MarsDetailStn, h, error);
}

- (BOOL)setAccountUserName:(NSString *)userName error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    const char *cname;
    return h != NULL && MarsCStringChecked(userName, "userName", &cname, error) &&
           MarsCheck(mars_stn_set_account(h, cname), MarsDetailStn, h, error);
}

- (BOOL)networkDidChange:(MarsNetworkType)type label:(NSString *)label error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    const char *clabel;
    return h != NULL && MarsCStringChecked(label, "label", &clabel, error) &&
           MarsCheck(mars_stn_on_network_change(h, type, clabel), MarsDetailStn, h, error);
}

+ (BOOL)proxyIsAvailable:(MarsProxyInfo *)proxy
                testHost:(NSString *)testHost
                    port:(int32_t)testPort
               timeoutMs:(int32_t)timeoutMs
               errorCode:(int32_t *)errorCode
                   error:(NSError **)error {
    if (errorCode != NULL) *errorCode = -1;
    if (!MarsEnsureLibrary(error)) return NO;
    const char *host;
    if (!MarsCStringChecked(testHost, "testHost", &host, error)) return NO;
    mars_proxy_info p; /* not mars_proxy_info_init: a newer library's sizeof may be larger */
    memset(&p, 0, sizeof p);
    p.struct_size = sizeof p;
    if (proxy == nil || ![proxy marsFill:&p]) {
        MarsFail(MarsErrorInvalidArgument, @"proxy is nil, or a string of it holds a NUL or is too long", error);
        return NO;
    }
    int available = 0, code = -1;
    int rc = mars_proxy_is_available(&p, host, testPort, timeoutMs, &available, &code);
    if (!MarsCheck(rc, MarsDetailStn, NULL, error)) return NO;
    if (errorCode != NULL) *errorCode = code;
    return available != 0;
}

- (BOOL)setSignallingPeriodMs:(int64_t)periodMs keepTimeMs:(int64_t)keepTimeMs error:(NSError **)error {
    mars_stn *h = [self marsHandle:error];
    return h != NULL && MarsCheck(mars_stn_set_signalling_strategy(h, periodMs, keepTimeMs), MarsDetailStn,
                                  h, error);
}

@end
