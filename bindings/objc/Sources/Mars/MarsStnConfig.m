/* MarsStnConfig.m — the engine configuration and its mars_stn_config. */
#import "MarsStnTypesPrivate.h"

_Static_assert(MarsHeartbeatPassive == MARS_HEARTBEAT_PASSIVE && MarsHeartbeatSmart == MARS_HEARTBEAT_SMART,
               "heartbeat modes");
_Static_assert(MarsProxySOCKS5 == MARS_PROXY_SOCKS5 && MarsProxyHTTP == MARS_PROXY_HTTP, "proxy");

enum { kSPKIHashLen = 32 };

@implementation MarsStnConfig

@synthesize clientVersion = _clientVersion, longLinkHost = _longLinkHost, longLinkPorts = _longLinkPorts;
@synthesize longLinkDebugIP = _longLinkDebugIP, shortLinkPort = _shortLinkPort;
@synthesize shortLinkDebugIP = _shortLinkDebugIP, appFileDir = _appFileDir, networkType = _networkType;
@synthesize networkLabel = _networkLabel, heartbeatIntervalMs = _heartbeatIntervalMs;
@synthesize noopTimeoutMs = _noopTimeoutMs, noopTimeoutLateMs = _noopTimeoutLateMs;
@synthesize noopLateThresholdMs = _noopLateThresholdMs, connectTimeoutMs = _connectTimeoutMs;
@synthesize taskConnectIntervalMs = _taskConnectIntervalMs, autoConnectIntervalMs = _autoConnectIntervalMs;
@synthesize reconnectDelayMs = _reconnectDelayMs, newDnsTimeoutMs = _newDnsTimeoutMs;
@synthesize retryIntervalMs = _retryIntervalMs, authPollIntervalMs = _authPollIntervalMs;
@synthesize baseFirstPacketTimeoutMs = _baseFirstPacketTimeoutMs;
@synthesize maxFirstPacketTimeoutMs = _maxFirstPacketTimeoutMs, packageIntervalMs = _packageIntervalMs;
@synthesize taskDelayMs = _taskDelayMs, minRate = _minRate, log = _log, pollEvents = _pollEvents;
@synthesize resolverTimeoutMs = _resolverTimeoutMs, maxConnecting = _maxConnecting;
@synthesize connectIntervalMs = _connectIntervalMs, minConnectIntervalMs = _minConnectIntervalMs;
@synthesize exactMarsTiming = _exactMarsTiming, noMSSClamp = _noMSSClamp, useTLS = _useTLS;
@synthesize tlsServerName = _tlsServerName, tlsRootCAPEM = _tlsRootCAPEM;
@synthesize tlsPinnedSPKISHA256 = _tlsPinnedSPKISHA256, proxyKind = _proxyKind;
@synthesize proxyAddress = _proxyAddress, proxyUser = _proxyUser, proxyPassword = _proxyPassword;
@synthesize heartbeatMode = _heartbeatMode, signallingPeriodMs = _signallingPeriodMs;
@synthesize signallingKeepTimeMs = _signallingKeepTimeMs, timingSync = _timingSync, dohURL = _dohURL;
@synthesize dohAllowHTTP = _dohAllowHTTP;
@synthesize shortLinkTLS = _shortLinkTLS, shortLinkTLSServerName = _shortLinkTLSServerName;
@synthesize shortLinkTLSRootCAPEM = _shortLinkTLSRootCAPEM;
@synthesize shortLinkTLSPinnedSPKISHA256 = _shortLinkTLSPinnedSPKISHA256;
@synthesize netCheckCGI = _netCheckCGI, netCheckOff = _netCheckOff, netCheckWindow = _netCheckWindow;
@synthesize netCheckBadBelow = _netCheckBadBelow, netCheckGoodAbove = _netCheckGoodAbove;
@synthesize maxInFlight = _maxInFlight, maxPacketSize = _maxPacketSize;

- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    mars_stn_config c;
    MARS_DEFAULTS(mars_stn_config_init_sized, c);
    _clientVersion = c.client_version;
    _shortLinkPort = c.shortlink_port;
    _networkType = c.network_type;
    _heartbeatIntervalMs = c.heartbeat_interval_ms;
    _noopTimeoutMs = c.noop_timeout_ms;
    _noopTimeoutLateMs = c.noop_timeout_late_ms;
    _noopLateThresholdMs = c.noop_late_threshold_ms;
    _connectTimeoutMs = c.connect_timeout_ms;
    _taskConnectIntervalMs = c.task_connect_interval_ms;
    _autoConnectIntervalMs = c.auto_connect_interval_ms;
    _reconnectDelayMs = c.reconnect_delay_ms;
    _newDnsTimeoutMs = c.new_dns_timeout_ms;
    _retryIntervalMs = c.retry_interval_ms;
    _authPollIntervalMs = c.auth_poll_interval_ms;
    _baseFirstPacketTimeoutMs = c.base_first_packet_timeout_ms;
    _maxFirstPacketTimeoutMs = c.max_first_packet_timeout_ms;
    _packageIntervalMs = c.package_interval_ms;
    _taskDelayMs = c.task_delay_ms;
    _minRate = c.min_rate;
    _pollEvents = c.poll_events != 0;
    _resolverTimeoutMs = c.resolver_timeout_ms;
    _maxConnecting = c.max_connecting;
    _connectIntervalMs = c.connect_interval_ms;
    _minConnectIntervalMs = c.min_connect_interval_ms;
    _exactMarsTiming = c.exact_mars_timing != 0;
    _noMSSClamp = c.no_mss_clamp != 0;
    _useTLS = c.tls != 0;
    _proxyKind = c.proxy_kind;
    _heartbeatMode = c.heartbeat_mode;
    _signallingPeriodMs = c.signalling_period_ms;
    _signallingKeepTimeMs = c.signalling_keep_time_ms;
    _timingSync = c.timing_sync != 0;
    _dohAllowHTTP = c.doh_allow_http != 0;
    _shortLinkTLS = c.shortlink_tls != 0;
    _netCheckOff = c.netcheck_off != 0;
    _netCheckWindow = c.netcheck_window;
    _netCheckBadBelow = c.netcheck_bad_below;
    _netCheckGoodAbove = c.netcheck_good_above;
    _maxInFlight = c.max_in_flight;
    _maxPacketSize = c.max_packet_size;
    return self;
}

/* Every property, for NSCopying: read through KVC so that a new property
 * needs only its name here. */
static NSArray *propertyNames(void) {
    return [NSArray arrayWithObjects:@"clientVersion", @"longLinkHost", @"longLinkPorts", @"longLinkDebugIP",
        @"shortLinkPort", @"shortLinkDebugIP", @"appFileDir", @"networkType", @"networkLabel",
        @"heartbeatIntervalMs", @"noopTimeoutMs", @"noopTimeoutLateMs", @"noopLateThresholdMs",
        @"connectTimeoutMs", @"taskConnectIntervalMs", @"autoConnectIntervalMs", @"reconnectDelayMs",
        @"newDnsTimeoutMs", @"retryIntervalMs", @"authPollIntervalMs", @"baseFirstPacketTimeoutMs",
        @"maxFirstPacketTimeoutMs", @"packageIntervalMs", @"taskDelayMs", @"minRate", @"log",
        @"pollEvents", @"resolverTimeoutMs", @"maxConnecting", @"connectIntervalMs",
        @"minConnectIntervalMs", @"exactMarsTiming", @"noMSSClamp", @"useTLS", @"tlsServerName",
        @"tlsRootCAPEM", @"tlsPinnedSPKISHA256", @"proxyKind", @"proxyAddress", @"proxyUser",
        @"proxyPassword", @"heartbeatMode", @"signallingPeriodMs", @"signallingKeepTimeMs", @"timingSync",
        @"dohURL", @"dohAllowHTTP", @"shortLinkTLS", @"shortLinkTLSServerName", @"shortLinkTLSRootCAPEM",
        @"shortLinkTLSPinnedSPKISHA256", @"netCheckCGI", @"netCheckOff", @"netCheckWindow",
        @"netCheckBadBelow", @"netCheckGoodAbove", @"maxInFlight", @"maxPacketSize", nil];
}

BOOL MarsFillPorts(NSArray *ports, NSString *name, const uint16_t **out, NSError **error) {
    NSUInteger n = [ports count];
    NSMutableData *mem = [NSMutableData dataWithLength:(n + 1) * sizeof(uint16_t)];
    uint16_t *p = (uint16_t *)[mem mutableBytes];
    for (NSUInteger i = 0; i < n; i++) {
        long port = [[ports objectAtIndex:i] longValue];
        if (port <= 0 || port > 65535)
            return MarsFail(MarsErrorInvalidArgument,
                            [NSString stringWithFormat:@"%@: a port is out of 1..65535", name], error);
        p[i] = (uint16_t)port;
    }
    *out = n ? p : NULL;
    return YES;
}

- (id)copyWithZone:(NSZone *)zone {
    MarsStnConfig *c = [[MarsStnConfig allocWithZone:zone] init];
    for (NSString *key in propertyNames()) [c setValue:[self valueForKey:key] forKey:key];
    return c;
}

BOOL MarsFillPins(NSArray *hashes, NSString *name, const uint8_t **out, size_t *len, NSError **error) {
    NSUInteger n = [hashes count];
    NSMutableData *pins = [NSMutableData dataWithCapacity:n * kSPKIHashLen];
    for (NSData *pin in hashes) {
        if (![pin isKindOfClass:[NSData class]] || [pin length] != kSPKIHashLen)
            return MarsFail(MarsErrorInvalidArgument,
                            [NSString stringWithFormat:@"%@: each hash must be 32 bytes", name], error);
        [pins appendData:pin];
    }
    *out = n ? (const uint8_t *)[pins bytes] : NULL;
    *len = n;
    return YES;
}

- (BOOL)marsFill:(mars_stn_config *)c error:(NSError **)error {
    const uint16_t *ports;
    if (!MarsFillPorts(_longLinkPorts, @"longLinkPorts", &ports, error)) return NO;
    NSUInteger nports = [_longLinkPorts count];
    if (!MarsFillPins(_tlsPinnedSPKISHA256, @"tlsPinnedSPKISHA256", &c->tls_pinned_spki_sha256,
                  &c->tls_pinned_spki_len, error) ||
        !MarsFillPins(_shortLinkTLSPinnedSPKISHA256, @"shortLinkTLSPinnedSPKISHA256",
                  &c->shortlink_tls_pinned_spki_sha256, &c->shortlink_tls_pinned_spki_len, error))
        return NO;
    if (!MarsCStringChecked(_longLinkHost, "longLinkHost", &c->longlink_host, error) ||
        !MarsCStringChecked(_longLinkDebugIP, "longLinkDebugIP", &c->longlink_debug_ip, error) ||
        !MarsCStringChecked(_shortLinkDebugIP, "shortLinkDebugIP", &c->shortlink_debug_ip, error) ||
        !MarsCStringChecked(_appFileDir, "appFileDir", &c->app_file_dir, error) ||
        !MarsCStringChecked(_networkLabel, "networkLabel", &c->network_label, error) ||
        !MarsCStringChecked(_tlsServerName, "tlsServerName", &c->tls_server_name, error) ||
        !MarsCStringChecked(_tlsRootCAPEM, "tlsRootCAPEM", &c->tls_root_ca_pem, error) ||
        !MarsCStringChecked(_proxyAddress, "proxyAddress", &c->proxy_addr, error) ||
        !MarsCStringChecked(_proxyUser, "proxyUser", &c->proxy_user, error) ||
        !MarsCStringChecked(_proxyPassword, "proxyPassword", &c->proxy_password, error) ||
        !MarsCStringChecked(_dohURL, "dohURL", &c->doh_url, error) ||
        !MarsCStringChecked(_shortLinkTLSServerName, "shortLinkTLSServerName", &c->shortlink_tls_server_name, error) ||
        !MarsCStringChecked(_shortLinkTLSRootCAPEM, "shortLinkTLSRootCAPEM", &c->shortlink_tls_root_ca_pem, error) ||
        !MarsCStringChecked(_netCheckCGI, "netCheckCGI", &c->netcheck_cgi, error))
        return NO;
    c->client_version = _clientVersion;
    c->longlink_ports = ports;
    c->longlink_ports_len = nports;
    c->shortlink_port = _shortLinkPort;
    c->network_type = _networkType;
    c->heartbeat_interval_ms = _heartbeatIntervalMs;
    c->noop_timeout_ms = _noopTimeoutMs;
    c->noop_timeout_late_ms = _noopTimeoutLateMs;
    c->noop_late_threshold_ms = _noopLateThresholdMs;
    c->connect_timeout_ms = _connectTimeoutMs;
    c->task_connect_interval_ms = _taskConnectIntervalMs;
    c->auto_connect_interval_ms = _autoConnectIntervalMs;
    c->reconnect_delay_ms = _reconnectDelayMs;
    c->new_dns_timeout_ms = _newDnsTimeoutMs;
    c->retry_interval_ms = _retryIntervalMs;
    c->auth_poll_interval_ms = _authPollIntervalMs;
    c->base_first_packet_timeout_ms = _baseFirstPacketTimeoutMs;
    c->max_first_packet_timeout_ms = _maxFirstPacketTimeoutMs;
    c->package_interval_ms = _packageIntervalMs;
    c->task_delay_ms = _taskDelayMs;
    c->min_rate = _minRate;
    c->log = [_log marsXlogHandle];
    c->poll_events = _pollEvents;
    c->resolver_timeout_ms = _resolverTimeoutMs;
    c->max_connecting = _maxConnecting;
    c->connect_interval_ms = _connectIntervalMs;
    c->min_connect_interval_ms = _minConnectIntervalMs;
    c->exact_mars_timing = _exactMarsTiming;
    c->no_mss_clamp = _noMSSClamp;
    c->tls = _useTLS;
    c->proxy_kind = _proxyKind;
    c->heartbeat_mode = _heartbeatMode;
    c->signalling_period_ms = _signallingPeriodMs;
    c->signalling_keep_time_ms = _signallingKeepTimeMs;
    c->timing_sync = _timingSync;
    c->doh_allow_http = _dohAllowHTTP;
    c->shortlink_tls = _shortLinkTLS;
    c->netcheck_off = _netCheckOff;
    c->netcheck_window = _netCheckWindow;
    c->netcheck_bad_below = _netCheckBadBelow;
    c->netcheck_good_above = _netCheckGoodAbove;
    c->max_in_flight = _maxInFlight;
    c->max_packet_size = _maxPacketSize;
    return YES;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [_longLinkHost release];
    [_longLinkPorts release];
    [_longLinkDebugIP release];
    [_shortLinkDebugIP release];
    [_appFileDir release];
    [_networkLabel release];
    [_log release];
    [_tlsServerName release];
    [_tlsRootCAPEM release];
    [_tlsPinnedSPKISHA256 release];
    [_proxyAddress release];
    [_proxyUser release];
    [_proxyPassword release];
    [_dohURL release];
    [_shortLinkTLSServerName release];
    [_shortLinkTLSRootCAPEM release];
    [_shortLinkTLSPinnedSPKISHA256 release];
    [_netCheckCGI release];
    [super dealloc];
#endif
}

@end
