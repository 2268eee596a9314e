/* MarsLongLinkConfig.m — a named long link's configuration and its
 * mars_longlink_config. */
#import "MarsStnTypesPrivate.h"

@implementation MarsLongLinkConfig

@synthesize name = _name, host = _host, ports = _ports, debugIP = _debugIP, backupIPs = _backupIPs;
@synthesize clientVersion = _clientVersion, useTLS = _useTLS, tlsServerName = _tlsServerName;
@synthesize tlsRootCAPEM = _tlsRootCAPEM, tlsPinnedSPKISHA256 = _tlsPinnedSPKISHA256;
@synthesize proxyKind = _proxyKind, proxyAddress = _proxyAddress, proxyUser = _proxyUser;
@synthesize proxyPassword = _proxyPassword, heartbeatMode = _heartbeatMode;
@synthesize heartbeatIntervalMs = _heartbeatIntervalMs, identifyCheck = _identifyCheck;
@synthesize keepAlive = _keepAlive, isMain = _isMain;

/* mars_longlink_config_init's defaults (identify check and keep-alive on,
 * the rest 0/nil), set here: a value object must not need the library. */
- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    _identifyCheck = YES;
    _keepAlive = YES;
    return self;
}

+ (instancetype)configWithName:(NSString *)name {
    MarsLongLinkConfig *c = MARS_AUTORELEASE([[MarsLongLinkConfig alloc] init]);
    c.name = name;
    return c;
}

/* Every property, for NSCopying (through KVC). */
static NSArray *propertyNames(void) {
    return [NSArray arrayWithObjects:@"name", @"host", @"ports", @"debugIP", @"backupIPs", @"clientVersion",
        @"useTLS", @"tlsServerName", @"tlsRootCAPEM", @"tlsPinnedSPKISHA256", @"proxyKind", @"proxyAddress",
        @"proxyUser", @"proxyPassword", @"heartbeatMode", @"heartbeatIntervalMs", @"identifyCheck",
        @"keepAlive", @"isMain", nil];
}

- (id)copyWithZone:(NSZone *)zone {
    MarsLongLinkConfig *c = [[MarsLongLinkConfig allocWithZone:zone] init];
    for (NSString *key in propertyNames()) [c setValue:[self valueForKey:key] forKey:key];
    return c;
}

- (BOOL)marsFill:(mars_longlink_config *)c error:(NSError **)error {
    const uint16_t *ports;
    const char *const *ips;
    if (!MarsFillPorts(_ports, @"ports", &ports, error) ||
        !MarsCStringArray(_backupIPs, "backupIPs", &ips, error) ||
        !MarsFillPins(_tlsPinnedSPKISHA256, @"tlsPinnedSPKISHA256", &c->tls_pinned_spki_sha256,
                      &c->tls_pinned_spki_len, error) ||
        !MarsCStringChecked(_name, "name", &c->name, error) ||
        !MarsCStringChecked(_host, "host", &c->host, error) ||
        !MarsCStringChecked(_debugIP, "debugIP", &c->debug_ip, error) ||
        !MarsCStringChecked(_tlsServerName, "tlsServerName", &c->tls_server_name, error) ||
        !MarsCStringChecked(_tlsRootCAPEM, "tlsRootCAPEM", &c->tls_root_ca_pem, error) ||
        !MarsCStringChecked(_proxyAddress, "proxyAddress", &c->proxy_addr, error) ||
        !MarsCStringChecked(_proxyUser, "proxyUser", &c->proxy_user, error) ||
        !MarsCStringChecked(_proxyPassword, "proxyPassword", &c->proxy_password, error))
        return NO;
    c->ports = ports;
    c->ports_len = [_ports count];
    c->backup_ips = ips;
    c->backup_ips_len = [_backupIPs count];
    c->client_version = _clientVersion;
    c->tls = _useTLS;
    c->proxy_kind = _proxyKind;
    c->heartbeat_mode = _heartbeatMode;
    c->heartbeat_interval_ms = _heartbeatIntervalMs;
    c->identify_check = _identifyCheck;
    c->keep_alive = _keepAlive;
    c->main = _isMain;
    return YES;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [_name release];
    [_host release];
    [_ports release];
    [_debugIP release];
    [_backupIPs release];
    [_tlsServerName release];
    [_tlsRootCAPEM release];
    [_tlsPinnedSPKISHA256 release];
    [_proxyAddress release];
    [_proxyUser release];
    [_proxyPassword release];
    [super dealloc];
#endif
}

@end
