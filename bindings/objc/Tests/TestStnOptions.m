/* TestStnOptions.m — the engine's optional modes and the diagnosis: poll
 * mode, engine logging into an appender, configuration copies and checks,
 * and MarsSdt against marsd. */
#import "TestDelegate.h"
#include "mars.h"

static MarsStn *engineWith(TestDelegate *d, MarsStnConfig *c) {
    NSError *err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:d error:&err]);
    if (s == nil) fprintf(stderr, "  create: %s\n", [[err description] UTF8String]);
    d->stn = s;
    return s;
}

/* Polls s on this thread until d saw n task ends or the deadline passed. */
static BOOL pollUntilEnded(MarsStn *s, TestDelegate *d, int n) {
    NSDate *deadline = [NSDate dateWithTimeIntervalSinceNow:kTestTimeoutMs / 1000.0];
    while (MarsEventCount(&d->ended) < n && [deadline timeIntervalSinceNow] > 0)
        if (![s pollWithTimeoutMs:100 ran:NULL error:NULL]) return NO;
    return MarsEventCount(&d->ended) >= n;
}

TEST(test_poll_mode_runs_taskDidEnd_on_the_polling_thread) {
    TestDelegate *d = MARS_AUTORELEASE([[TestDelegate alloc] init]);
    MarsStnConfig *c = TestConfig();
    c.pollEvents = YES;
    MarsStn *s = engineWith(d, c);
    CHECK(s != nil);
    CHECK([s startTask:TestTask(kCmdPushEcho) error:NULL] != 0);
    CHECK(pollUntilEnded(s, d, 1));
    CHECK_EQ(d->okEnds, 1);
    CHECK_EQ(d->onMainThread, 1);
    CHECK_EQ(d->offMainThread, 0);
    NSInteger ran = -1;
    CHECK([s pollWithTimeoutMs:0 ran:&ran error:NULL]);
    CHECK(ran >= 0);
    [s close];
}

TEST(test_close_inside_a_polled_taskDidEnd) {
    static MarsEvent gone; /* static: a late dealloc may signal it after a failed test */
    MarsEventInit(&gone);
    MarsStn *s;
    TestDelegate *d;
    MARS_POOL_BEGIN
    d = MARS_AUTORELEASE([[TestDelegate alloc] init]);
    d->deallocEvent = &gone;
    d->closeInEnd = 1;
    MarsStnConfig *c = TestConfig();
    c.pollEvents = YES;
    s = MARS_RETAIN(engineWith(d, c));
    [s startTask:TestTask(kCmdEcho) error:NULL];
    MARS_POOL_END
    CHECK(s != nil);
    BOOL ended = pollUntilEnded(s, d, 1);
    BOOL closed = s.isClosed;
    NSError *err = nil;
    BOOL polled = [s pollWithTimeoutMs:0 ran:NULL error:&err];
    MARS_RELEASE(s);
    CHECK(ended && closed && !polled);
    CHECK_ERR(err, MarsErrorClosed);
    CHECK(MarsEventWait(&gone, 1, kTestTimeoutMs)); /* the helper thread let go of the delegate */
}

TEST(test_poll_without_poll_mode_is_a_state_error) {
    TestDelegate *d = MARS_AUTORELEASE([[TestDelegate alloc] init]);
    MarsStn *s = engineWith(d, TestConfig());
    CHECK(s != nil);
    NSError *err = nil;
    CHECK(![s pollWithTimeoutMs:0 ran:NULL error:&err]);
    CHECK_ERR(err, MarsErrorState);
    [s close];
}

TEST(test_engine_logs_into_an_appender) {
    NSString *dir = MarsTempDir();
    MarsXlogConfig *lc = MARS_AUTORELEASE([[MarsXlogConfig alloc] init]);
    lc.logDir = dir;
    lc.namePrefix = @"engine";
    NSError *err = nil;
    MarsXlog *log = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:lc error:&err]);
    CHECK(log != nil);
    TestDelegate *d = MARS_AUTORELEASE([[TestDelegate alloc] init]);
    MarsStnConfig *c = TestConfig();
    c.log = log;
    MarsStn *s = engineWith(d, c);
    CHECK(s != nil);
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    [s close];
    CHECK([log close:&err]);
    NSString *path = nil;
    for (NSString *name in [[NSFileManager defaultManager] contentsOfDirectoryAtPath:dir error:NULL])
        if ([name hasSuffix:@".xlog"]) path = [dir stringByAppendingPathComponent:name];
    CHECK(path != nil);
    NSString *text = [MarsXlog decodedTextOfFileAtPath:path privateKey:nil error:&err];
    CHECK([text rangeOfString:@"mars.stn"].location != NSNotFound);
}

TEST(test_config_copy_keeps_every_field) {
    MarsStnConfig *c = TestConfig();
    c.networkLabel = @"wifi-lab";
    c.maxConnecting = 5;
    c.shortLinkPort = 8081;
    c.exactMarsTiming = YES;
    c.proxyKind = MarsProxySOCKS5;
    c.heartbeatMode = MarsHeartbeatSmart;
    c.dohURL = @"https://doh.example/dns-query";
    c.tlsPinnedSPKISHA256 = [NSArray arrayWithObject:[NSMutableData dataWithLength:32]];
    MarsStnConfig *copy = MARS_AUTORELEASE([c copy]);
    CHECK([copy.longLinkHost isEqualToString:c.longLinkHost]);
    CHECK([copy.longLinkPorts isEqual:c.longLinkPorts]);
    CHECK([copy.networkLabel isEqualToString:@"wifi-lab"]);
    CHECK_EQ(copy.maxConnecting, 5);
    CHECK_EQ(copy.shortLinkPort, 8081);
    CHECK(copy.exactMarsTiming);
    CHECK_EQ(copy.proxyKind, MarsProxySOCKS5);
    CHECK_EQ(copy.heartbeatMode, MarsHeartbeatSmart);
    CHECK([copy.dohURL isEqualToString:c.dohURL]);
    CHECK_EQ(copy.clientVersion, kClientVersion);
    CHECK_EQ([copy.tlsPinnedSPKISHA256 count], 1);
    MarsStnConfig *fresh = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
    CHECK_EQ(fresh.heartbeatIntervalMs, 210000); /* the library's defaults */
    CHECK_EQ(fresh.maxConnecting, 3);
    CHECK_EQ(fresh.signallingPeriodMs, 5000);
}

TEST(test_bad_tls_pin_and_proxy_are_errors) {
    MarsStnConfig *c = TestConfig();
    c.tlsPinnedSPKISHA256 = [NSArray arrayWithObject:[NSMutableData dataWithLength:31]];
    NSError *err = nil;
    CHECK([[MarsStn alloc] initWithConfig:c delegate:nil error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    c = TestConfig();
    c.shortLinkTLSPinnedSPKISHA256 = [NSArray arrayWithObject:@"not data"];
    err = nil;
    CHECK([[MarsStn alloc] initWithConfig:c delegate:nil error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    c = TestConfig();
    c.proxyKind = MarsProxyHTTP; /* without proxyAddress */
    err = nil;
    CHECK([[MarsStn alloc] initWithConfig:c delegate:nil error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
}

/* A plain-HTTP dohURL is refused unless dohAllowHTTP says it is a test. */
TEST(test_doh_url_must_be_https_unless_allowed) {
    MarsStnConfig *c = TestConfig();
    c.dohURL = @"http://127.0.0.1:1/dns-query";
    NSError *err = nil;
    CHECK([[MarsStn alloc] initWithConfig:c delegate:nil error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    c.dohAllowHTTP = YES;
    MarsStnConfig *copy = MARS_AUTORELEASE([c copy]);
    CHECK(copy.dohAllowHTTP);
    err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:nil error:&err]);
    CHECK(s != nil);
    [s close];
}

TEST(test_sdt_check_against_marsd) {
    NSString *server = [NSString stringWithFormat:@"%s:%u", gMarsd.longHost, gMarsd.longPort];
    NSDictionary *request = [NSDictionary dictionaryWithObjectsAndKeys:
        [NSArray arrayWithObject:server], @"servers",
        [NSNumber numberWithInt:MarsSdtCheckTCP | MarsSdtCheckLongLink], @"checks",
        [NSNumber numberWithInt:5000], @"timeout_ms", nil];
    NSError *err = nil;
    NSDictionary *report = [MarsSdt checkRequest:request clientVersion:kClientVersion error:&err];
    CHECK(report != nil);
    CHECK([[report objectForKey:@"ok"] boolValue]);
    NSArray *results = [report objectForKey:@"results"];
    CHECK([results count] >= 2);
    NSMutableSet *kinds = [NSMutableSet set];
    for (NSDictionary *r in results) [kinds addObject:[r objectForKey:@"kind"]];
    CHECK([kinds containsObject:@"tcp"]);
}

TEST(test_sdt_bad_request_is_an_error) {
    NSError *err = nil;
    CHECK([MarsSdt checkJSON:@"{\"no_such_field\":1}" clientVersion:0 error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    CHECK([MarsSdt checkJSON:@"not json" clientVersion:0 error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
}

TEST(test_heartbeat_and_signalling_controls) {
    TestDelegate *d = MARS_AUTORELEASE([[TestDelegate alloc] init]);
    MarsStnConfig *c = TestConfig();
    c.heartbeatMode = MarsHeartbeatPassive;
    MarsStn *s = engineWith(d, c);
    CHECK(s != nil);
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0); /* connects */
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    NSError *err = nil;
    CHECK([s trigNoop:&err]);
    CHECK([s setHeartbeatMode:MarsHeartbeatSmart error:&err]);
    CHECK(![s setHeartbeatMode:(MarsHeartbeatMode)99 error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([s setSignallingPeriodMs:5000 keepTimeMs:20000 error:NULL]);
    CHECK([s keepSignalling:NULL]);
    CHECK([s stopSignalling:NULL]);
    /* The link still answers after the heartbeat. */
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 2, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 2);
    [s close];
}

/* longPolling reaches the library: without its timeout the task is invalid;
 * with one it goes over the short link. */
TEST(test_long_polling_task_fields) {
    MarsStnConfig *c = TestConfig();
    c.shortLinkPort = gMarsd.shortPort;
    c.shortLinkDebugIP = [NSString stringWithUTF8String:gMarsd.shortHost];
    TestDelegate *d = MARS_AUTORELEASE([[TestDelegate alloc] init]);
    MarsStn *s = engineWith(d, c);
    CHECK(s != nil);
    MarsTask *t = MARS_AUTORELEASE([[MarsTask alloc] init]);
    t.channelSelect = MarsChannelShort;
    t.cgi = @"/mars/poll";
    t.shortLinkHosts = [NSArray arrayWithObject:@"short.example"];
    t.retryCount = 0;
    t.longPolling = YES;
    CHECK([s startTask:t error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->lastErrorType, MarsTaskErrorLocal);
    CHECK_EQ(d->lastErrorCode, MARS_ECT_LOCAL_TASK_PARAM);
    t.longPollingTimeoutMs = 5000;
    CHECK([s startTask:t error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 2, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 1);
    CHECK_EQ(d->lastChannel, MarsChannelShort);
    [s close];
}
