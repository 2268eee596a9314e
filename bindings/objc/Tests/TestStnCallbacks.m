/* TestStnCallbacks.m — the delegate methods beyond the task path, each
 * through the real library against marsd: host DNS, auth gate, link status,
 * network events, traffic, task profiles, and the identify handshake (marsd
 * echoes the identify request, so the response must equal the buffer). */
#import "TestDelegate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static NSString *const kFakeHost = @"marsd.objc.test";

@interface ProbeDelegate : TestDelegate {
@public
    MarsEvent identified, profiled;
    int resolved, authChecks, connectedSeen, connectOKSeen, userMatched;
    int64_t trafficBytes;
    NSData *identifyResponse;
}
@end

@implementation ProbeDelegate

- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    MarsEventInit(&identified);
    MarsEventInit(&profiled);
    return self;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [identifyResponse release];
    [super dealloc];
#endif
}

- (NSArray *)stn:(MarsStn *)s resolveHost:(NSString *)host longLink:(BOOL)longLink {
    if (![host isEqualToString:kFakeHost]) return nil;
    __atomic_add_fetch(&resolved, 1, __ATOMIC_SEQ_CST);
    return [NSArray arrayWithObject:[NSString stringWithUTF8String:gMarsd.longHost]];
}

- (BOOL)stn:(MarsStn *)s isAuthedForHost:(NSString *)host userID:(NSString *)userID {
    __atomic_add_fetch(&authChecks, 1, __ATOMIC_SEQ_CST);
    if ([userID isEqualToString:@"alice"]) __atomic_store_n(&userMatched, 1, __ATOMIC_SEQ_CST);
    return YES;
}

- (void)stn:(MarsStn *)s longLinkStatusDidChange:(MarsLongLinkStatus)status {
    if (status == MarsLongLinkConnected) __atomic_add_fetch(&connectedSeen, 1, __ATOMIC_SEQ_CST);
}

- (void)stn:(MarsStn *)s longLinkNetworkError:(MarsTaskErrorType)errorType code:(int32_t)code
         ip:(NSString *)ip port:(int32_t)port {
    if (errorType == MarsTaskErrorOK && port == gMarsd.longPort)
        __atomic_add_fetch(&connectOKSeen, 1, __ATOMIC_SEQ_CST);
}

- (void)stn:(MarsStn *)s trafficSent:(int64_t)sent received:(int64_t)received {
    __atomic_add_fetch(&trafficBytes, sent + received, __ATOMIC_SEQ_CST);
}

- (void)stn:(MarsStn *)s reportTaskProfile:(MarsTaskProfile *)profile {
    if (profile.errorType == MarsTaskErrorOK && profile.recvBytes > 0) MarsEventSignal(&profiled);
}

- (MarsIdentifyMode)stn:(MarsStn *)s identifyCheckForChannel:(NSString *)channel
                 buffer:(NSMutableData *)buffer hash:(NSMutableData *)hash cmdID:(uint32_t *)cmdID {
    [buffer appendData:[@"identify-me" dataUsingEncoding:NSUTF8StringEncoding]];
    [hash appendData:[@"h1" dataUsingEncoding:NSUTF8StringEncoding]];
    *cmdID = 2000;
    return MarsIdentifyCheckNow;
}

- (BOOL)stn:(MarsStn *)s identifyResponse:(NSData *)response hash:(NSData *)hash channel:(NSString *)channel {
    pthread_mutex_lock(&mu);
    id old = identifyResponse;
    identifyResponse = MARS_RETAIN(response);
    MARS_RELEASE(old);
    pthread_mutex_unlock(&mu);
    MarsEventSignal(&identified);
    return YES;
}

@end

TEST(test_delegate_resolves_the_host_and_sees_the_link) {
    ProbeDelegate *d = MARS_AUTORELEASE([[ProbeDelegate alloc] init]);
    MarsStnConfig *c = TestConfig();
    c.longLinkHost = kFakeHost; /* only the delegate knows it */
    NSError *err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:d error:&err]);
    CHECK(s != nil);
    d->stn = s;
    MarsTask *t = TestTask(kCmdEcho);
    t.needAuthed = YES;
    t.userID = @"alice";
    CHECK([s startTask:t error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 1);
    CHECK(MarsEventWait(&d->profiled, 1, kTestTimeoutMs));
    CHECK(__atomic_load_n(&d->resolved, __ATOMIC_SEQ_CST) >= 1);
    CHECK(__atomic_load_n(&d->authChecks, __ATOMIC_SEQ_CST) >= 1);
    CHECK_EQ(__atomic_load_n(&d->userMatched, __ATOMIC_SEQ_CST), 1);
    CHECK(__atomic_load_n(&d->connectedSeen, __ATOMIC_SEQ_CST) >= 1);
    CHECK(__atomic_load_n(&d->connectOKSeen, __ATOMIC_SEQ_CST) >= 1);
    CHECK(__atomic_load_n(&d->trafficBytes, __ATOMIC_SEQ_CST) > 0);
    [s close];
}

/* Records Mars's OnShortLinkNetworkError. */
@interface ShortNetDelegate : TestDelegate {
@public
    MarsEvent netError;
    int errorType, port;
}
@end

@implementation ShortNetDelegate
- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    MarsEventInit(&netError);
    return self;
}

- (void)stn:(MarsStn *)s shortLinkNetworkError:(MarsTaskErrorType)type code:(int32_t)code
         ip:(NSString *)ip port:(int32_t)p {
    __atomic_store_n(&errorType, (int)type, __ATOMIC_SEQ_CST);
    __atomic_store_n(&port, (int)p, __ATOMIC_SEQ_CST);
    MarsEventSignal(&netError);
}
@end

/* A short-link address that refuses the connect reaches the delegate. */
TEST(test_short_link_connect_failure_is_reported) {
    int fd = socket(AF_INET, SOCK_STREAM, 0); /* bound, never listening: refused */
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
          getsockname(fd, (struct sockaddr *)&a, &n) == 0);
    ShortNetDelegate *d = MARS_AUTORELEASE([[ShortNetDelegate alloc] init]);
    MarsStnConfig *c = TestConfig();
    c.shortLinkPort = ntohs(a.sin_port);
    c.shortLinkDebugIP = @"127.0.0.1";
    NSError *err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:d error:&err]);
    CHECK(s != nil);
    MarsTask *t = MARS_AUTORELEASE([[MarsTask alloc] init]);
    t.channelSelect = MarsChannelShort;
    t.cgi = @"/mars/echo";
    t.shortLinkHosts = [NSArray arrayWithObject:@"short.example"];
    t.retryCount = 0;
    CHECK([s startTask:t error:NULL] != 0);
    CHECK(MarsEventWait(&d->netError, 1, kTestTimeoutMs));
    CHECK_EQ(__atomic_load_n(&d->errorType, __ATOMIC_SEQ_CST), MarsTaskErrorSocket);
    CHECK_EQ(__atomic_load_n(&d->port, __ATOMIC_SEQ_CST), ntohs(a.sin_port));
    [s close];
    close(fd);
}

TEST(test_identify_check_round_trip) {
    ProbeDelegate *d = MARS_AUTORELEASE([[ProbeDelegate alloc] init]);
    NSError *err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:TestConfig() delegate:d error:&err]);
    CHECK(s != nil);
    d->stn = s;
    CHECK([s makesureLongLinkConnected:&err]);
    CHECK(MarsEventWait(&d->identified, 1, kTestTimeoutMs));
    pthread_mutex_lock(&d->mu);
    BOOL same = [d->identifyResponse isEqualToData:[@"identify-me" dataUsingEncoding:NSUTF8StringEncoding]];
    pthread_mutex_unlock(&d->mu);
    CHECK(same);
    [s close];
}

/* Answers stn:proxyForHost:longLink: with answer, resolves kFakeHost to
 * marsd and records the delegate's own DNS answer's report. */
@interface ProxyDnsDelegate : TestDelegate {
@public
    MarsProxyInfo *answer;
    int proxyAsked, proxyLongLink, dnsReports, dnsOK;
}
@end

@implementation ProxyDnsDelegate
- (NSArray *)stn:(MarsStn *)s resolveHost:(NSString *)host longLink:(BOOL)longLink {
    return [NSArray arrayWithObject:[NSString stringWithUTF8String:gMarsd.longHost]];
}

- (MarsProxyInfo *)stn:(MarsStn *)s proxyForHost:(NSString *)host longLink:(BOOL)longLink {
    if ([host isEqualToString:kFakeHost]) __atomic_add_fetch(&proxyAsked, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&proxyLongLink, longLink ? 1 : 0, __ATOMIC_SEQ_CST);
    return answer;
}

- (void)stn:(MarsStn *)s reportDnsProfile:(MarsDnsProfile *)p {
    if (p.source != MarsDnsSourceNewDns) return;
    BOOL ok = [p.host isEqualToString:kFakeHost] && p.longLink && [p.ips count] == 1 &&
              [[p.ips objectAtIndex:0] isEqualToString:[NSString stringWithUTF8String:gMarsd.longHost]] &&
              p.errorType == 0 && [p.error length] == 0;
    __atomic_store_n(&dnsOK, ok ? 1 : 0, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&dnsReports, 1, __ATOMIC_SEQ_CST);
}

- (void)dealloc {
    MARS_RELEASE(answer);
#if !__has_feature(objc_arc)
    [super dealloc];
#endif
}
@end

static MarsStn *proxyEngine(ProxyDnsDelegate *d, MarsProxyInfo *answer) {
    d->answer = MARS_RETAIN(answer);
    MarsStnConfig *c = TestConfig();
    c.longLinkHost = kFakeHost;
    return MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:d error:NULL]);
}

/* A direct answer connects, and the delegate's DNS answer is reported. */
TEST(test_proxy_for_host_direct_and_dns_profile) {
    ProxyDnsDelegate *d = MARS_AUTORELEASE([[ProxyDnsDelegate alloc] init]);
    MarsStn *s = proxyEngine(d, [MarsProxyInfo direct]);
    CHECK(s != nil);
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 1);
    [s close]; /* every report is delivered by now */
    CHECK(__atomic_load_n(&d->proxyAsked, __ATOMIC_SEQ_CST) >= 1);
    CHECK_EQ(__atomic_load_n(&d->proxyLongLink, __ATOMIC_SEQ_CST), 1);
    CHECK(__atomic_load_n(&d->dnsReports, __ATOMIC_SEQ_CST) >= 1);
    CHECK_EQ(__atomic_load_n(&d->dnsOK, __ATOMIC_SEQ_CST), 1);
}

/* The proxy named carries the connect: nobody listens there, so the task
 * ends with the proxy's own code. */
TEST(test_proxy_for_host_routes_the_connect) {
    ProxyDnsDelegate *d = MARS_AUTORELEASE([[ProxyDnsDelegate alloc] init]);
    MarsStn *s = proxyEngine(d, [MarsProxyInfo proxyWithKind:MarsProxyHTTP address:@"127.0.0.1:1" user:nil
                                                    password:nil]);
    CHECK(s != nil);
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->failedEnds, 1);
    CHECK_EQ(d->lastErrorType, MarsTaskErrorSocket);
    CHECK_EQ(d->lastErrorCode, -10097); /* MARS_ECT_SOCKET_PROXY_REFUSED */
    [s close];
}

TEST(test_proxy_is_available) {
    int32_t code = 7;
    NSError *err = nil;
    MarsProxyInfo *dead = [MarsProxyInfo proxyWithKind:MarsProxyHTTP address:@"127.0.0.1:1" user:nil password:nil];
    CHECK(![MarsStn proxyIsAvailable:dead testHost:@"127.0.0.1" port:80 timeoutMs:2000 errorCode:&code error:&err]);
    CHECK(err == nil);
    CHECK_EQ(code, -10097); /* MARS_ECT_SOCKET_PROXY_REFUSED */
    CHECK(![MarsStn proxyIsAvailable:[MarsProxyInfo direct] testHost:@"127.0.0.1" port:80 timeoutMs:100
                            errorCode:NULL error:&err]);
    CHECK(err != nil && [err code] == MarsErrorInvalidArgument);
}
