/* TestLongLinks.m — several named long links through MarsStn: the default
 * link on marsd's long listener and "second" on its extra one (--long-extra
 * second=...). The named delegate methods say which link connected where. */
#import "TestDelegate.h"
#import "MarsPrivate.h"

static NSString *const kSecond = @"second";
static NSString *const kSecondHost = @"second.objc.test"; /* only the delegate resolves it */

@interface LinkDelegate : TestDelegate {
@public
    MarsEvent secondConnected, secondStatus;
    int secondConnectPort, namedDnsAsked, secondStatusOnMain;
    NSString *pushChannel;
}
@end

@implementation LinkDelegate

- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    MarsEventInit(&secondConnected);
    MarsEventInit(&secondStatus);
    return self;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [pushChannel release];
    [super dealloc];
#endif
}

- (void)stn:(MarsStn *)s longLink:(NSString *)name networkError:(MarsTaskErrorType)errorType
       code:(int32_t)code ip:(NSString *)ip port:(int32_t)port {
    if ([name isEqualToString:kSecond] && errorType == MarsTaskErrorOK) {
        __atomic_store_n(&secondConnectPort, port, __ATOMIC_SEQ_CST);
        MarsEventSignal(&secondConnected);
    }
}

- (void)stn:(MarsStn *)s longLink:(NSString *)name statusDidChange:(MarsLongLinkStatus)status {
    if (![name isEqualToString:kSecond] || status != MarsLongLinkConnected) return;
    if ([NSThread isMainThread]) __atomic_add_fetch(&secondStatusOnMain, 1, __ATOMIC_SEQ_CST);
    MarsEventSignal(&secondStatus);
}

- (NSArray *)stn:(MarsStn *)s resolveLongLink:(NSString *)name host:(NSString *)host {
    if (![host isEqualToString:kSecondHost]) return nil;
    if ([name isEqualToString:kSecond]) __atomic_add_fetch(&namedDnsAsked, 1, __ATOMIC_SEQ_CST);
    return [NSArray arrayWithObject:[NSString stringWithUTF8String:gMarsd.longHost]];
}

- (void)stn:(MarsStn *)s didReceivePush:(NSData *)body cmdID:(uint32_t)cmdID taskID:(uint32_t)taskID
    channel:(NSString *)channel {
    pthread_mutex_lock(&mu);
    id old = pushChannel;
    pushChannel = [channel copy];
    MARS_RELEASE(old);
    pthread_mutex_unlock(&mu);
    [super stn:s didReceivePush:body cmdID:cmdID taskID:taskID channel:channel];
}

@end

static MarsStn *linkEngine(LinkDelegate **out) {
    LinkDelegate *d = MARS_AUTORELEASE([[LinkDelegate alloc] init]);
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:TestConfig() delegate:d error:NULL]);
    if (s != nil) d->stn = s;
    *out = d;
    return s;
}

static MarsLongLinkConfig *secondConfig(void) {
    MarsLongLinkConfig *c = [MarsLongLinkConfig configWithName:kSecond];
    c.host = [NSString stringWithUTF8String:gMarsd.longHost];
    c.ports = [NSArray arrayWithObject:[NSNumber numberWithInt:gMarsd.secondPort]];
    return c;
}

static MarsTask *taskOn(uint32_t cmdID, NSString *channel) {
    MarsTask *t = TestTask(cmdID);
    t.channelName = channel;
    return t;
}

TEST(test_longlinks_a_named_link_carries_its_tasks) {
    CHECK([MarsLibrary hasFeature:@"longlinks"]);
    LinkDelegate *d;
    MarsStn *s = linkEngine(&d);
    CHECK(s != nil);
    CHECK([[s longLinks] isEqualToArray:[NSArray arrayWithObject:MarsDefaultLongLink]]);
    NSError *err = nil;
    CHECK([s createLongLink:secondConfig() error:&err]);
    NSArray *both = [NSArray arrayWithObjects:MarsDefaultLongLink, kSecond, nil];
    CHECK([[s longLinks] isEqualToArray:both]);
    CHECK([[s mainLongLink] isEqualToString:MarsDefaultLongLink]);
    CHECK([s startTask:taskOn(kCmdEcho, kSecond) error:&err] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 1);
    CHECK(MarsEventWait(&d->secondConnected, 1, kTestTimeoutMs));
    CHECK_EQ(__atomic_load_n(&d->secondConnectPort, __ATOMIC_SEQ_CST), gMarsd.secondPort);
    CHECK(MarsEventWait(&d->secondStatus, 1, kTestTimeoutMs));
    CHECK([s isLongLinkConnected:kSecond]);
    CHECK(![s isLongLinkConnected:@"nobody"]);
    [s close];
    CHECK(![s isLongLinkConnected:kSecond]);
    CHECK_EQ([[s longLinks] count], 0);
    CHECK([s mainLongLink] == nil);
}

TEST(test_longlinks_push_names_its_link) {
    LinkDelegate *d;
    MarsStn *s = linkEngine(&d);
    CHECK(s != nil);
    CHECK([s createLongLink:secondConfig() error:NULL]);
    CHECK([s startTask:taskOn(kCmdPushEcho, kSecond) error:NULL] != 0);
    CHECK(MarsEventWait(&d->pushed, 1, kTestTimeoutMs));
    pthread_mutex_lock(&d->mu);
    BOOL same = [d->pushChannel isEqualToString:kSecond];
    pthread_mutex_unlock(&d->mu);
    CHECK(same);
    [s close];
}

TEST(test_longlinks_refusals) {
    LinkDelegate *d;
    MarsStn *s = linkEngine(&d);
    CHECK(s != nil);
    NSError *err = nil;
    CHECK(![s createLongLink:[MarsLongLinkConfig configWithName:@""] error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    CHECK(![s createLongLink:MARS_AUTORELEASE([[MarsLongLinkConfig alloc] init]) error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    MarsLongLinkConfig *bad = secondConfig();
    bad.ports = [NSArray arrayWithObject:[NSNumber numberWithInt:70000]];
    CHECK(![s createLongLink:bad error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    bad = secondConfig();
    bad.useTLS = YES;
    bad.tlsPinnedSPKISHA256 = [NSArray arrayWithObject:[NSMutableData dataWithLength:31]];
    CHECK(![s createLongLink:bad error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    MarsLongLinkConfig *nul = [MarsLongLinkConfig configWithName:[NSString stringWithFormat:@"a%Cb", (unichar)0]];
    CHECK(![s createLongLink:nul error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([s createLongLink:secondConfig() error:NULL]);
    err = nil;
    CHECK(![s createLongLink:secondConfig() error:&err]);
    CHECK_ERR(err, MarsErrorState);
    err = nil;
    CHECK(![s destroyLongLink:@"nobody" error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    CHECK(![s destroyLongLink:MarsDefaultLongLink error:&err]);
    CHECK_ERR(err, MarsErrorState);
    err = nil;
    CHECK(![s markMainLongLink:@"nobody" error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK_EQ([[s longLinks] count], 2);

    CHECK([s startTask:taskOn(kCmdEcho, @"nobody") error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->lastErrorType, MarsTaskErrorLocal);
    CHECK_EQ(d->lastErrorCode, MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE);

    [s close];
    err = nil;
    CHECK(![s createLongLink:secondConfig() error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
    err = nil;
    CHECK(![s markMainLongLink:kSecond error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
}

TEST(test_longlinks_destroy_ends_the_links_tasks) {
    LinkDelegate *d;
    MarsStn *s = linkEngine(&d);
    CHECK(s != nil);
    CHECK([s createLongLink:secondConfig() error:NULL]);
    MarsTask *t = taskOn(kCmdSilence, kSecond); /* marsd never answers it */
    DeallocProbe *probe = MARS_AUTORELEASE([[DeallocProbe alloc] init]);
    t.context = probe;
    uint32_t taskID = [s startTask:t error:NULL];
    CHECK(taskID != 0);
    NSError *err = nil;
    CHECK([s destroyLongLink:kSecond error:&err]);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->lastTaskID, taskID);
    CHECK_EQ(d->lastErrorType, MarsTaskErrorLocal);
    CHECK_EQ(d->lastErrorCode, MARS_ECT_LOCAL_LONGLINK_RELEASED);
    pthread_mutex_lock(&d->mu);
    BOOL sameContext = d->lastContext == probe;
    pthread_mutex_unlock(&d->mu);
    CHECK(sameContext);
    CHECK([[s longLinks] isEqualToArray:[NSArray arrayWithObject:MarsDefaultLongLink]]);
    [s close];
}

TEST(test_longlinks_mark_main_moves_unnamed_tasks) {
    LinkDelegate *d;
    MarsStn *s = linkEngine(&d);
    CHECK(s != nil);
    MarsLongLinkConfig *c = secondConfig();
    c.isMain = YES;
    CHECK([s createLongLink:c error:NULL]);
    CHECK([[s mainLongLink] isEqualToString:kSecond]);
    CHECK([s startTask:taskOn(kCmdEcho, nil) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 1);
    CHECK(MarsEventWait(&d->secondConnected, 1, kTestTimeoutMs));
    NSError *err = nil;
    CHECK([s markMainLongLink:MarsDefaultLongLink error:&err]);
    CHECK([[s mainLongLink] isEqualToString:MarsDefaultLongLink]);
    CHECK([s destroyLongLink:kSecond error:&err]);
    [s close];
}

TEST(test_longlinks_resolver_is_asked_with_the_links_name) {
    LinkDelegate *d;
    MarsStn *s = linkEngine(&d);
    CHECK(s != nil);
    MarsLongLinkConfig *c = secondConfig();
    c.host = kSecondHost;
    CHECK([s createLongLink:c error:NULL]);
    CHECK([s startTask:taskOn(kCmdEcho, kSecond) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 1);
    CHECK(__atomic_load_n(&d->namedDnsAsked, __ATOMIC_SEQ_CST) >= 1);
    [s close];
}

TEST(test_longlinks_not_kept_alive_connects_on_makesure) {
    LinkDelegate *d;
    MarsStn *s = linkEngine(&d);
    CHECK(s != nil);
    MarsLongLinkConfig *c = secondConfig();
    c.keepAlive = NO;
    c.identifyCheck = NO;
    CHECK([s createLongLink:c error:NULL]);
    CHECK(![s isLongLinkConnected:kSecond]);
    NSError *err = nil;
    CHECK([s makesureLongLinkConnected:kSecond error:&err]);
    CHECK(MarsEventWait(&d->secondConnected, 1, kTestTimeoutMs));
    CHECK([s isLongLinkConnected:kSecond]);
    [s close];
}

/* With pollEvents the named status is queued and runs inside poll, on the
 * polling (main) thread. */
TEST(test_longlinks_named_status_is_polled) {
    LinkDelegate *d = MARS_AUTORELEASE([[LinkDelegate alloc] init]);
    MarsStnConfig *c = TestConfig();
    c.pollEvents = YES;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:d error:NULL]);
    CHECK(s != nil);
    d->stn = s;
    CHECK([s createLongLink:secondConfig() error:NULL]);
    CHECK([s makesureLongLinkConnected:kSecond error:NULL]);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do { /* each poll waits up to 100 ms for the next queued callback */
        CHECK([s pollWithTimeoutMs:100 ran:NULL error:NULL]);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (MarsEventCount(&d->secondStatus) == 0 && now.tv_sec - start.tv_sec < kTestTimeoutMs / 1000);
    CHECK(MarsEventCount(&d->secondStatus) >= 1);
    CHECK_EQ(__atomic_load_n(&d->secondStatusOnMain, __ATOMIC_SEQ_CST), MarsEventCount(&d->secondStatus));
    [s close];
}

TEST(test_longlink_config_defaults_and_copy) {
    MarsLongLinkConfig *c = MARS_AUTORELEASE([[MarsLongLinkConfig alloc] init]);
    CHECK(c.name == nil);
    CHECK(c.identifyCheck);
    CHECK(c.keepAlive);
    CHECK(!c.isMain);
    CHECK_EQ(c.heartbeatMode, MarsHeartbeatFixed);
    c.name = kSecond;
    c.ports = [NSArray arrayWithObject:[NSNumber numberWithInt:9]];
    c.keepAlive = NO;
    c.heartbeatIntervalMs = 1234;
    MarsLongLinkConfig *copy = MARS_AUTORELEASE([c copy]);
    CHECK([copy.name isEqualToString:kSecond]);
    CHECK([copy.ports isEqualToArray:c.ports]);
    CHECK(!copy.keepAlive);
    CHECK_EQ(copy.heartbeatIntervalMs, 1234);
}
