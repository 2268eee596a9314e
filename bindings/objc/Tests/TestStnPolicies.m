/* TestStnPolicies.m — the engine's policies added to mars.h after the first
 * binding, each through the real library against marsd: the heartbeat
 * interval query, the network quality query and its delegate method, the
 * task profile's weak-network flag, stnIsLogoned (asked by the timing
 * sync), and the automatic network check (stnNetCheckHosts and its report,
 * provoked as tests/c/test_netcheck.c does: windows of 2 results, two
 * short-link successes, then attempts to a loopback port that refuses). */
#import "TestDelegate.h"
#include "mars.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* How long a net-check report may take (it runs DNS, TCP, heartbeat and HTTP
 * checks after the trigger; the C test allows the same). */
enum { kNetCheckTimeoutMs = 40000 };

@interface PolicyDelegate : TestDelegate {
@public
    MarsEvent quality, profiled, logoned, asked, reported;
    MarsNetworkQuality *lastQuality;
    NSString *reportJSON;
    NSDictionary *report;
    int qualityOnMainThread, profileWeak, throwInLogoned;
}
@end

@implementation PolicyDelegate

- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    MarsEventInit(&quality);
    MarsEventInit(&profiled);
    MarsEventInit(&logoned);
    MarsEventInit(&asked);
    MarsEventInit(&reported);
    profileWeak = -1;
    return self;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [lastQuality release];
    [reportJSON release];
    [report release];
    [super dealloc];
#endif
}

- (void)stn:(MarsStn *)s networkQualityDidChange:(MarsNetworkQuality *)q {
    pthread_mutex_lock(&mu);
    id old = lastQuality;
    lastQuality = MARS_RETAIN(q);
    MARS_RELEASE(old);
    if ([NSThread isMainThread]) qualityOnMainThread++;
    pthread_mutex_unlock(&mu);
    MarsEventSignal(&quality);
}

- (void)stn:(MarsStn *)s reportTaskProfile:(MarsTaskProfile *)profile {
    pthread_mutex_lock(&mu);
    profileWeak = profile.weakNetwork ? 1 : 0;
    pthread_mutex_unlock(&mu);
    MarsEventSignal(&profiled);
}

- (BOOL)stnIsLogoned:(MarsStn *)s {
    MarsEventSignal(&logoned);
    if (__atomic_exchange_n(&throwInLogoned, 0, __ATOMIC_SEQ_CST))
        [NSException raise:@"TestException" format:@"thrown in stnIsLogoned"];
    return YES;
}

- (NSArray *)stnNetCheckHosts:(MarsStn *)s {
    MarsEventSignal(&asked);
    return [NSArray arrayWithObject:[NSString stringWithUTF8String:gMarsd.shortHost]];
}

- (void)stn:(MarsStn *)s didFinishNetCheck:(NSDictionary *)r json:(NSString *)json {
    pthread_mutex_lock(&mu);
    id oldJSON = reportJSON, oldReport = report;
    reportJSON = MARS_RETAIN(json);
    report = MARS_RETAIN(r);
    MARS_RELEASE(oldJSON);
    MARS_RELEASE(oldReport);
    pthread_mutex_unlock(&mu);
    MarsEventSignal(&reported);
}

@end

static MarsStn *policyEngine(PolicyDelegate *d, MarsStnConfig *c) {
    NSError *err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:d error:&err]);
    if (s == nil) fprintf(stderr, "  create: %s\n", [[err description] UTF8String]);
    d->stn = s;
    return s;
}

/* Runs one long-link echo task to its end; YES if it succeeded. */
static BOOL echoOK(MarsStn *s, TestDelegate *d) {
    int before = MarsEventCount(&d->ended);
    if ([s startTask:TestTask(kCmdEcho) error:NULL] == 0) return NO;
    if (!MarsEventWait(&d->ended, before + 1, kTestTimeoutMs)) return NO;
    pthread_mutex_lock(&d->mu);
    BOOL ok = d->lastErrorType == MarsTaskErrorOK;
    pthread_mutex_unlock(&d->mu);
    return ok;
}

static int64_t intervalOf(MarsStn *s) {
    int64_t ms = -1;
    NSError *err = nil;
    if (![s heartbeatIntervalMs:&ms error:&err]) fprintf(stderr, "  interval: %s\n", [[err description] UTF8String]);
    return ms;
}

TEST(test_heartbeat_interval_follows_the_mode) {
    PolicyDelegate *d = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    MarsStnConfig *c = TestConfig();
    c.heartbeatIntervalMs = 30000;
    MarsStn *s = policyEngine(d, c);
    CHECK(s != nil);
    CHECK_EQ(intervalOf(s), 30000);
    CHECK([s setHeartbeatMode:MarsHeartbeatPassive error:NULL]);
    CHECK_EQ(intervalOf(s), 0);
    CHECK([s setHeartbeatMode:MarsHeartbeatSmart error:NULL]);
    CHECK(intervalOf(s) > 0);
    CHECK([s setHeartbeatMode:MarsHeartbeatFixed error:NULL]);
    CHECK_EQ(intervalOf(s), 30000);
    [s close];
    NSError *err = nil;
    int64_t ms = 7;
    CHECK(![s heartbeatIntervalMs:&ms error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
    CHECK_EQ(ms, 7); /* untouched on failure */

    PolicyDelegate *d2 = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    c = TestConfig();
    c.heartbeatIntervalMs = -1; /* no heartbeat */
    s = policyEngine(d2, c);
    CHECK(s != nil);
    CHECK_EQ(intervalOf(s), 0);
    [s close];
}

TEST(test_set_account_takes_a_name_or_nobody) {
    PolicyDelegate *d = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    MarsStn *s = policyEngine(d, TestConfig());
    CHECK(s != nil);
    CHECK([s setAccountUserName:@"alice" error:NULL]);
    CHECK([s setAccountUserName:nil error:NULL]);
    CHECK([s setAccountUserName:@"" error:NULL]);
    [s close];
    NSError *err = nil;
    CHECK(![s setAccountUserName:@"alice" error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
}

TEST(test_network_quality_after_a_task) {
    PolicyDelegate *d = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    MarsStn *s = policyEngine(d, TestConfig());
    CHECK(s != nil);
    NSError *err = nil;
    MarsNetworkQuality *q = [s networkQuality:&err];
    CHECK(q != nil);
    CHECK_EQ(q.level, MarsQualityUnknown); /* no sample yet */
    CHECK_EQ(q.rttMs, 0);
    CHECK_EQ(q.throughput, 0);
    CHECK(!q.weakMarked);

    CHECK(echoOK(s, d));
    CHECK(MarsEventWait(&d->quality, 1, kTestTimeoutMs));
    CHECK(MarsEventWait(&d->profiled, 1, kTestTimeoutMs)); /* runs after taskDidEnd */
    pthread_mutex_lock(&d->mu);
    MarsNetworkQuality *seen = MARS_AUTORELEASE(MARS_RETAIN(d->lastQuality));
    int weak = d->profileWeak;
    pthread_mutex_unlock(&d->mu);
    CHECK(seen != nil);
    CHECK(seen.level == MarsQualityOK || seen.level == MarsQualityGood);
    CHECK_EQ(weak, 0); /* no weak-network mark on loopback */

    q = [s networkQuality:&err];
    CHECK(q != nil);
    CHECK(q.level == MarsQualityOK || q.level == MarsQualityGood);
    CHECK(q.rttMs >= 0 && q.rttMs < 2000);
    CHECK(q.dynamicTimeout >= MarsDynamicTimeoutEvaluating && q.dynamicTimeout <= MarsDynamicTimeoutBad);
    CHECK(!q.weakMarked && q.throughput >= 0);
    CHECK([[q description] rangeOfString:@"level="].location != NSNotFound);
    [s close];
    err = nil;
    CHECK([s networkQuality:&err] == nil);
    CHECK_ERR(err, MarsErrorClosed);
}

/* With pollEvents the quality change is a notification: it runs inside
 * poll on the polling thread. */
TEST(test_quality_change_is_polled) {
    PolicyDelegate *d = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    MarsStnConfig *c = TestConfig();
    c.pollEvents = YES;
    MarsStn *s = policyEngine(d, c);
    CHECK(s != nil);
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    NSDate *deadline = [NSDate dateWithTimeIntervalSinceNow:kTestTimeoutMs / 1000.0];
    while (MarsEventCount(&d->quality) == 0 && [deadline timeIntervalSinceNow] > 0)
        CHECK([s pollWithTimeoutMs:100 ran:NULL error:NULL]);
    CHECK(MarsEventCount(&d->quality) >= 1);
    pthread_mutex_lock(&d->mu);
    int onMain = d->qualityOnMainThread;
    pthread_mutex_unlock(&d->mu);
    CHECK_EQ(onMain, MarsEventCount(&d->quality));
    [s close];
}

/* The timing sync asks stnIsLogoned at once; an exception there is caught
 * and counted (the answer is then NO). Without timingSync nobody asks. */
TEST(test_is_logoned_asked_by_timing_sync) {
    PolicyDelegate *d = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    d->throwInLogoned = 1;
    MarsStnConfig *c = TestConfig();
    c.timingSync = YES;
    MarsStn *s = policyEngine(d, c);
    CHECK(s != nil);
    CHECK(MarsEventWait(&d->logoned, 1, kTestTimeoutMs));
    [s close]; /* no delegate method runs after this */
    CHECK(s.callbackExceptions >= 1);

    PolicyDelegate *d2 = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    s = policyEngine(d2, TestConfig());
    CHECK(s != nil);
    CHECK(echoOK(s, d2));
    [s close];
    CHECK_EQ(MarsEventCount(&d2->logoned), 0);
}

TEST(test_netcheck_config_defaults_copy_and_checks) {
    MarsStnConfig *fresh = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
    CHECK(fresh.netCheckCGI == nil && !fresh.netCheckOff);
    CHECK_EQ(fresh.netCheckWindow, 8); /* the library's defaults */
    CHECK_EQ(fresh.netCheckBadBelow, 3);
    CHECK_EQ(fresh.netCheckGoodAbove, 5);
    MarsStnConfig *c = TestConfig();
    c.netCheckCGI = @"/netcheck";
    c.netCheckOff = YES;
    c.netCheckWindow = 4;
    c.netCheckBadBelow = 1;
    c.netCheckGoodAbove = 2;
    MarsStnConfig *copy = MARS_AUTORELEASE([c copy]);
    CHECK([copy.netCheckCGI isEqualToString:@"/netcheck"]);
    CHECK(copy.netCheckOff);
    CHECK_EQ(copy.netCheckWindow, 4);
    CHECK_EQ(copy.netCheckBadBelow, 1);
    CHECK_EQ(copy.netCheckGoodAbove, 2);
    c.netCheckWindow = -1;
    NSError *err = nil;
    CHECK([[MarsStn alloc] initWithConfig:c delegate:nil error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
}

/* A loopback port bound but not listening: every connect is refused while
 * *fd stays open. 0 on failure. */
static uint16_t refusingPort(int *fd) {
    *fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (*fd < 0 || bind(*fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(*fd, (struct sockaddr *)&a, &len) != 0)
        return 0;
    return ntohs(a.sin_port);
}

/* An engine on marsd's long and short link with windows of 2 results: two
 * successes then two failures start a check. */
static MarsStn *netCheckEngine(PolicyDelegate *d, BOOL off) {
    MarsStnConfig *c = TestConfig();
    c.shortLinkPort = gMarsd.shortPort;
    c.retryIntervalMs = 20;
    c.netCheckCGI = @"/netcheck";
    c.netCheckOff = off;
    c.netCheckWindow = 2;
    c.netCheckBadBelow = 1;
    c.netCheckGoodAbove = 1;
    return policyEngine(d, c);
}

/* Runs one short-link task with the given retries to its end. */
static BOOL shortTaskEnds(MarsStn *s, TestDelegate *d, int32_t retries) {
    MarsTask *t = MARS_AUTORELEASE([[MarsTask alloc] init]);
    t.channelSelect = MarsChannelShort;
    t.cgi = @"/mars/echo";
    t.shortLinkHosts = [NSArray arrayWithObject:[NSString stringWithUTF8String:gMarsd.shortHost]];
    t.retryCount = retries;
    t.limitFrequency = NO;
    int before = MarsEventCount(&d->ended);
    return [s startTask:t error:NULL] != 0 && MarsEventWait(&d->ended, before + 1, kTestTimeoutMs);
}

/* Two successes on marsd's short port, then one task whose two attempts are
 * refused. */
static BOOL breakNetwork(MarsStn *s, TestDelegate *d, int *fd) {
    if (!shortTaskEnds(s, d, 0) || !shortTaskEnds(s, d, 0)) return NO;
    pthread_mutex_lock(&d->mu);
    int ok = d->okEnds;
    pthread_mutex_unlock(&d->mu);
    if (ok != 2) return NO;
    uint16_t bad = refusingPort(fd);
    return bad != 0 && [s setShortLinkPort:bad debugIP:nil error:NULL] && shortTaskEnds(s, d, 1);
}

/* The pattern starts one check: the delegate is asked for hosts, and the
 * report covers marsd's long link and the net-check CGI on the host given. */
TEST(test_netcheck_report_arrives) {
    PolicyDelegate *d = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    MarsStn *s = netCheckEngine(d, NO);
    CHECK(s != nil);
    int fd = -1;
    BOOL broken = breakNetwork(s, d, &fd);
    BOOL arrived = broken && MarsEventWait(&d->reported, 1, kNetCheckTimeoutMs);
    [s close];
    if (fd >= 0) close(fd);
    CHECK(broken);
    CHECK_EQ(MarsEventCount(&d->asked), 1);
    CHECK(arrived);
    CHECK_EQ(MarsEventCount(&d->reported), 1);
    NSString *target = [NSString stringWithFormat:@"%s:%u", gMarsd.longHost, gMarsd.longPort];
    NSMutableSet *kinds = [NSMutableSet set];
    BOOL longLinkTarget = NO, cgiSeen = NO;
    for (NSDictionary *r in [d->report objectForKey:@"results"]) {
        [kinds addObject:[r objectForKey:@"kind"]];
        if ([[r objectForKey:@"target"] isEqual:target]) longLinkTarget = YES;
        if ([[[r objectForKey:@"target"] description] hasSuffix:@"/netcheck"]) cgiSeen = YES;
    }
    if (![kinds containsObject:@"longlink"] || ![kinds containsObject:@"http"] || !longLinkTarget || !cgiSeen)
        fprintf(stderr, "  report: %.400s\n", [d->reportJSON UTF8String]);
    CHECK([d->reportJSON hasPrefix:@"{"]);
    CHECK([d->reportJSON rangeOfString:@"\"kind\":\"longlink\""].location != NSNotFound);
    CHECK([kinds containsObject:@"longlink"] && [kinds containsObject:@"http"]);
    CHECK(longLinkTarget && cgiSeen);
}

/* netCheckOff: the same pattern starts nothing. */
TEST(test_netcheck_off_starts_nothing) {
    PolicyDelegate *d = MARS_AUTORELEASE([[PolicyDelegate alloc] init]);
    MarsStn *s = netCheckEngine(d, YES);
    CHECK(s != nil);
    int fd = -1;
    BOOL broken = breakNetwork(s, d, &fd);
    [s close];
    if (fd >= 0) close(fd);
    CHECK(broken);
    CHECK_EQ(MarsEventCount(&d->asked), 0); /* it would have been asked before the task ended */
    CHECK_EQ(MarsEventCount(&d->reported), 0);
}
