/* MarsStnTypes.m — value objects and their conversion to mars.h structs. */
#import "MarsStnTypesPrivate.h"

_Static_assert(MarsChannelShort == MARS_CHANNEL_SHORT && MarsChannelAll == MARS_CHANNEL_ALL, "channel");
_Static_assert(MarsNetworkNone == MARS_NET_NONE && MarsNetworkMobile == MARS_NET_MOBILE, "net");
_Static_assert(MarsLongLinkConnectFailed == MARS_LONGLINK_CONNECT_FAILED, "longlink status");
_Static_assert(MarsTaskErrorCanceled == MARS_ECT_CANCELED && MarsTaskErrorLocal == MARS_ECT_LOCAL, "ect");
_Static_assert(MarsDecodeSilentTaskEnd == MARS_RESP_SILENT_TASK_END &&
               MarsDecodeTaskEnd == MARS_RESP_TASK_END, "resp");
_Static_assert(MarsIdentifyCheckNever == MARS_IDENTIFY_CHECK_NEVER, "identify");
_Static_assert(MarsDnsSourceNewDns == MARS_DNS_NEWDNS && MarsDnsSourceDebug == MARS_DNS_DEBUG, "dns source");
_Static_assert(MarsQualityUnknown == MARS_QUALITY_UNKNOWN && MarsQualityWeak == MARS_QUALITY_WEAK &&
               MarsQualityOK == MARS_QUALITY_OK && MarsQualityGood == MARS_QUALITY_GOOD, "quality");
_Static_assert(MarsDynamicTimeoutEvaluating == MARS_DYNAMIC_TIMEOUT_EVALUATING &&
               MarsDynamicTimeoutExcellent == MARS_DYNAMIC_TIMEOUT_EXCELLENT &&
               MarsDynamicTimeoutBad == MARS_DYNAMIC_TIMEOUT_BAD, "dynamic timeout");

BOOL MarsCStringArray(NSArray *strings, const char *field, const char *const **out, NSError **error) {
    NSUInteger n = [strings count];
    *out = NULL;
    if (n == 0) return YES;
    NSMutableData *mem = [NSMutableData dataWithLength:n * sizeof(const char *)];
    const char **items = (const char **)[mem mutableBytes];
    for (NSUInteger i = 0; i < n; i++)
        if (!MarsCStringChecked([[strings objectAtIndex:i] description], field, &items[i], error)) return NO;
    *out = items;
    return YES;
}

@implementation MarsTask

@synthesize taskID = _taskID, cmdID = _cmdID, channelSelect = _channelSelect;
@synthesize channelStrategy = _channelStrategy, channelName = _channelName, cgi = _cgi;
@synthesize sendOnly = _sendOnly, needAuthed = _needAuthed, limitFlow = _limitFlow;
@synthesize limitFrequency = _limitFrequency, networkStatusSensitive = _networkStatusSensitive;
@synthesize priority = _priority, retryCount = _retryCount, serverProcessCostMs = _serverProcessCostMs;
@synthesize totalTimeoutMs = _totalTimeoutMs, context = _context, userID = _userID;
@synthesize reportArg = _reportArg, shortLinkHosts = _shortLinkHosts, longLinkHosts = _longLinkHosts;
@synthesize headers = _headers, longPolling = _longPolling, longPollingTimeoutMs = _longPollingTimeoutMs;

- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    mars_task t;
    MARS_DEFAULTS(mars_task_init_sized, t);
    _taskID = t.taskid;
    _cmdID = t.cmdid;
    _channelSelect = t.channel_select;
    _channelStrategy = t.channel_strategy;
    _sendOnly = t.send_only != 0;
    _needAuthed = t.need_authed != 0;
    _limitFlow = t.limit_flow != 0;
    _limitFrequency = t.limit_frequency != 0;
    _networkStatusSensitive = t.network_status_sensitive != 0;
    _priority = t.priority;
    _retryCount = t.retry_count;
    _serverProcessCostMs = t.server_process_cost_ms;
    _totalTimeoutMs = t.total_timeout_ms;
    _longPolling = t.long_polling != 0;
    _longPollingTimeoutMs = t.long_polling_timeout_ms;
    return self;
}

- (id)copyWithZone:(NSZone *)zone {
    MarsTask *t = [[MarsTask allocWithZone:zone] init];
    t.taskID = _taskID;
    t.cmdID = _cmdID;
    t.channelSelect = _channelSelect;
    t.channelStrategy = _channelStrategy;
    t.channelName = _channelName;
    t.cgi = _cgi;
    t.sendOnly = _sendOnly;
    t.needAuthed = _needAuthed;
    t.limitFlow = _limitFlow;
    t.limitFrequency = _limitFrequency;
    t.networkStatusSensitive = _networkStatusSensitive;
    t.priority = _priority;
    t.retryCount = _retryCount;
    t.serverProcessCostMs = _serverProcessCostMs;
    t.totalTimeoutMs = _totalTimeoutMs;
    t.context = _context;
    t.userID = _userID;
    t.reportArg = _reportArg;
    t.shortLinkHosts = _shortLinkHosts;
    t.longLinkHosts = _longLinkHosts;
    t.headers = _headers;
    t.longPolling = _longPolling;
    t.longPollingTimeoutMs = _longPollingTimeoutMs;
    return t;
}

- (BOOL)marsFill:(mars_task *)t taskID:(uint32_t)taskID error:(NSError **)error {
    t->taskid = taskID;
    t->cmdid = _cmdID;
    t->channel_select = _channelSelect;
    t->channel_strategy = _channelStrategy;
    if (!MarsCStringChecked(_channelName, "channelName", &t->channel_name, error) ||
        !MarsCStringChecked(_cgi, "cgi", &t->cgi, error) ||
        !MarsCStringChecked(_userID, "userID", &t->user_id, error) ||
        !MarsCStringChecked(_reportArg, "reportArg", &t->report_arg, error) ||
        !MarsCStringArray(_shortLinkHosts, "shortLinkHosts", &t->shortlink_hosts, error) ||
        !MarsCStringArray(_longLinkHosts, "longLinkHosts", &t->longlink_hosts, error))
        return NO;
    t->send_only = _sendOnly;
    t->need_authed = _needAuthed;
    t->limit_flow = _limitFlow;
    t->limit_frequency = _limitFrequency;
    t->network_status_sensitive = _networkStatusSensitive;
    t->priority = _priority;
    t->retry_count = _retryCount;
    t->server_process_cost_ms = _serverProcessCostMs;
    t->total_timeout_ms = _totalTimeoutMs;
    t->user_context = NULL; /* the binding finds the context by task id */
    t->shortlink_hosts_len = [_shortLinkHosts count];
    t->longlink_hosts_len = [_longLinkHosts count];
    NSArray *names = [[_headers allKeys] sortedArrayUsingSelector:@selector(compare:)];
    NSMutableArray *values = [NSMutableArray arrayWithCapacity:[names count]];
    for (NSString *name in names) [values addObject:[[_headers objectForKey:name] description]];
    if (!MarsCStringArray(names, "headers (a name)", &t->header_names, error) ||
        !MarsCStringArray(values, "headers (a value)", &t->header_values, error))
        return NO;
    t->headers_len = [names count];
    t->long_polling = _longPolling;
    t->long_polling_timeout_ms = _longPollingTimeoutMs;
    /* every list length is checked by the library (MARS_EINVAL) */
    return YES;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [_channelName release];
    [_cgi release];
    [_userID release];
    [_reportArg release];
    [_context release];
    [_shortLinkHosts release];
    [_longLinkHosts release];
    [_headers release];
    [super dealloc];
#endif
}

@end

@implementation MarsTaskRef

@synthesize taskID = _taskID, cmdID = _cmdID, clientSequenceID = _clientSequenceID;
@synthesize userID = _userID, context = _context;

+ (MarsTaskRef *)marsRefWith:(const mars_task_ref *)ref context:(id)context {
    MarsTaskRef *r = MARS_AUTORELEASE([[MarsTaskRef alloc] init]);
    r->_taskID = ref->taskid;
    r->_cmdID = ref->cmdid;
    r->_clientSequenceID = ref->client_sequence_id;
    r->_userID = MARS_RETAIN(MarsString(ref->user_id));
    r->_context = MARS_RETAIN(context);
    return r;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [_userID release];
    [_context release];
    [super dealloc];
#endif
}

@end

@implementation MarsTaskProfile

@synthesize taskID = _taskID, cmdID = _cmdID, cgi = _cgi, userID = _userID, reportArg = _reportArg;
@synthesize channel = _channel, attempts = _attempts, errorType = _errorType, errorCode = _errorCode;
@synthesize startTimeMs = _startTimeMs, startSendTimeMs = _startSendTimeMs;
@synthesize readFinishTimeMs = _readFinishTimeMs, endTimeMs = _endTimeMs, sendBytes = _sendBytes;
@synthesize recvBytes = _recvBytes, connectIP = _connectIP, connectPort = _connectPort;
@synthesize connectStartMs = _connectStartMs, connectDoneMs = _connectDoneMs;
@synthesize firstPkgTimeoutMs = _firstPkgTimeoutMs, taskTimeoutMs = _taskTimeoutMs;
@synthesize weakNetwork = _weakNetwork;

/* Reads only the fields the library's struct_size covers. */
#define MARS_HAS_FIELD(type, p, f) ((p)->struct_size >= offsetof(type, f) + sizeof((p)->f))

+ (MarsTaskProfile *)marsProfileWith:(const mars_task_profile *)p {
    if (p == NULL || !MARS_HAS_FIELD(mars_task_profile, p, task_timeout_ms)) return nil;
    MarsTaskProfile *r = MARS_AUTORELEASE([[MarsTaskProfile alloc] init]);
    r->_taskID = p->taskid;
    r->_cmdID = p->cmdid;
    r->_cgi = MARS_RETAIN(MarsString(p->cgi));
    r->_userID = MARS_RETAIN(MarsString(p->user_id));
    r->_reportArg = MARS_RETAIN(MarsString(p->report_arg));
    r->_channel = p->channel;
    r->_attempts = p->attempts;
    r->_errorType = p->err_type;
    r->_errorCode = p->err_code;
    r->_startTimeMs = p->start_time_ms;
    r->_startSendTimeMs = p->start_send_time_ms;
    r->_readFinishTimeMs = p->read_finish_time_ms;
    r->_endTimeMs = p->end_time_ms;
    r->_sendBytes = p->send_bytes;
    r->_recvBytes = p->recv_bytes;
    r->_connectIP = MARS_RETAIN(MarsString(p->connect_ip));
    r->_connectPort = p->connect_port;
    r->_connectStartMs = p->connect_start_ms;
    r->_connectDoneMs = p->connect_done_ms;
    r->_firstPkgTimeoutMs = p->first_pkg_timeout_ms;
    r->_taskTimeoutMs = p->task_timeout_ms;
    r->_weakNetwork = MARS_HAS_FIELD(mars_task_profile, p, weak_network) && p->weak_network != 0;
    return r;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [_cgi release];
    [_userID release];
    [_reportArg release];
    [_connectIP release];
    [super dealloc];
#endif
}

@end

@implementation MarsNetworkQuality

@synthesize level = _level, dynamicTimeout = _dynamicTimeout, rttMs = _rttMs, throughput = _throughput;
@synthesize weakMarked = _weakMarked;

+ (MarsNetworkQuality *)marsQualityWith:(const mars_network_quality *)q {
    if (q == NULL || !MARS_HAS_FIELD(mars_network_quality, q, dynamic_timeout)) return nil;
    MarsNetworkQuality *r = MARS_AUTORELEASE([[MarsNetworkQuality alloc] init]);
    r->_level = q->level;
    r->_dynamicTimeout = q->dynamic_timeout;
    /* A shorter (older) struct leaves the later fields at their zero. */
    if (MARS_HAS_FIELD(mars_network_quality, q, rtt_ms)) r->_rttMs = q->rtt_ms;
    if (MARS_HAS_FIELD(mars_network_quality, q, throughput)) r->_throughput = q->throughput;
    if (MARS_HAS_FIELD(mars_network_quality, q, weak_marked)) r->_weakMarked = q->weak_marked != 0;
    return r;
}

- (NSString *)description {
    return [NSString stringWithFormat:@"<MarsNetworkQuality level=%d dynamicTimeout=%d rtt=%lldms "
                                       "throughput=%lldB/s weak=%d>",
                                      (int)_level, (int)_dynamicTimeout, (long long)_rttMs,
                                      (long long)_throughput, (int)_weakMarked];
}

@end

@implementation MarsProxyInfo

@synthesize kind = _kind, address = _address, user = _user, password = _password;

+ (MarsProxyInfo *)direct {
    return [self proxyWithKind:0 /* MarsProxyNone */ address:@"" user:nil password:nil];
}

+ (MarsProxyInfo *)proxyWithKind:(int32_t)kind
                         address:(NSString *)address
                            user:(NSString *)user
                        password:(NSString *)password {
    MarsProxyInfo *r = MARS_AUTORELEASE([[MarsProxyInfo alloc] init]);
    r->_kind = kind;
    r->_address = [(address != nil ? address : @"") copy];
    r->_user = [(user != nil ? user : @"") copy];
    r->_password = [(password != nil ? password : @"") copy];
    return r;
}

/* copyField copies s with its NUL into dst of room bytes. */
static BOOL copyField(NSString *s, char *dst, size_t room) {
    const char *c = [s UTF8String];
    if (c == NULL) return NO;
    size_t n = strlen(c);
    if (n >= room || n != [s lengthOfBytesUsingEncoding:NSUTF8StringEncoding]) return NO; /* too long, or a NUL */
    memcpy(dst, c, n + 1);
    return YES;
}

- (BOOL)marsFill:(mars_proxy_info *)info {
    info->kind = _kind;
    return copyField(_address, info->addr, sizeof info->addr) && copyField(_user, info->user, sizeof info->user) &&
           copyField(_password, info->password, sizeof info->password);
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [_address release];
    [_user release];
    [_password release];
    [super dealloc];
#endif
}

@end

@implementation MarsDnsProfile

@synthesize host = _host, longLink = _longLink, source = _source, ips = _ips, startMs = _startMs;
@synthesize costMs = _costMs, errorType = _errorType, errorCode = _errorCode, error = _error;

+ (MarsDnsProfile *)marsDnsProfileWith:(const mars_dns_profile *)p {
    if (p == NULL || !MARS_HAS_FIELD(mars_dns_profile, p, error)) return nil;
    MarsDnsProfile *r = MARS_AUTORELEASE([[MarsDnsProfile alloc] init]);
    r->_host = MARS_RETAIN(MarsString(p->host));
    r->_longLink = p->longlink != 0;
    r->_source = p->source;
    NSMutableArray *ips = [NSMutableArray array];
    for (size_t i = 0; p->ips != NULL && i < p->ip_count; i++) [ips addObject:MarsString(p->ips[i])];
    r->_ips = [ips copy];
    r->_startMs = p->start_ms;
    r->_costMs = p->cost_ms;
    r->_errorType = p->err_type;
    r->_errorCode = p->err_code;
    r->_error = MARS_RETAIN(MarsString(p->error));
    return r;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [_host release];
    [_ips release];
    [_error release];
    [super dealloc];
#endif
}

@end
