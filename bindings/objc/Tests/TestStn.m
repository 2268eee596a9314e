/* TestStn.m — MarsStn against marsd on loopback: round trip, push, calls
 * from inside delegate methods, exceptions in delegate methods, close from a
 * callback, many threads, short link, and bad input as NSErrors. */
#import "TestDelegate.h"
#import "MarsPrivate.h"

/* A delegate and an engine over it; the engine holds the only retain on
 * the delegate, so the delegate's dealloc tells when the engine let go. */
static MarsStn *newEngine(TestDelegate **out, MarsStnConfig *config) {
    TestDelegate *d = MARS_AUTORELEASE([[TestDelegate alloc] init]);
    NSError *err = nil;
    MarsStn *s = [[MarsStn alloc] initWithConfig:config != nil ? config : TestConfig() delegate:d error:&err];
    if (s == nil) {
        fprintf(stderr, "  create: %s\n", [[err description] UTF8String]);
        return nil;
    }
    d->stn = s;
    *out = d;
    return MARS_AUTORELEASE(s);
}

TEST(test_version_matches_header) {
    NSError *err = nil;
    CHECK([MarsLibrary checkVersion:&err]);
    CHECK_EQ([MarsLibrary versionNumber], [MarsLibrary headerVersionNumber]);
    CHECK([[MarsLibrary version] length] >= 5);
    CHECK(![MarsLibrary checkVersionNumber:2001000 expectedMajor:1 error:&err]);
    CHECK_ERR(err, MarsErrorVersionMismatch);
    CHECK([MarsLibrary checkVersionNumber:1002003 expectedMajor:1 error:NULL]);
}

TEST(test_features_are_asked_of_the_library) {
    CHECK([MarsLibrary hasFeature:@"stn"]);
    CHECK([MarsLibrary hasFeature:@"receive_backlog"]);
    CHECK(![MarsLibrary hasFeature:@"no_such_feature"]);
    CHECK(![MarsLibrary hasFeature:nil]);
}

TEST(test_task_round_trip) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    MarsTask *t = TestTask(kCmdEcho);
    NSObject *context = MARS_AUTORELEASE([[NSObject alloc] init]);
    t.context = context;
    t.userID = @"alice";
    NSError *err = nil;
    uint32_t taskID = [s startTask:t error:&err];
    CHECK(taskID != 0);
    CHECK_EQ(t.taskID, 0); /* the task object is not changed */
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 1);
    CHECK_EQ(d->lastTaskID, taskID);
    CHECK_EQ(d->lastErrorType, MarsTaskErrorOK);
    CHECK_EQ(d->profileOK, 1);
    CHECK_EQ(d->offMainThread, 1);
    CHECK(d->lastContext == context);
    CHECK(s.isLongLinkConnected);
    CHECK(![s hasTask:taskID]);
    [s close];
    CHECK(s.isClosed);
}

/* Created at a version marsd refuses, a running engine takes marsd's in
 * place (Mars's SetClientVersion) and its next task round-trips. */
TEST(test_set_client_version_on_a_running_engine) {
    TestDelegate *d;
    MarsStnConfig *c = TestConfig();
    c.clientVersion = kClientVersion + 1;
    MarsStn *s = newEngine(&d, c);
    CHECK(s != nil);
    NSError *err = nil;
    CHECK([s setClientVersion:kClientVersion error:&err]);
    uint32_t taskID = [s startTask:TestTask(kCmdEcho) error:&err];
    CHECK(taskID != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->lastTaskID, taskID);
    CHECK_EQ(d->lastErrorType, MarsTaskErrorOK);
    CHECK([MarsStn generateSequenceID] <= 0xFFFF);
    [s close];
}

TEST(test_push_arrives_through_delegate) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    uint32_t taskID = [s startTask:TestTask(kCmdPushEcho) error:NULL];
    CHECK(taskID != 0);
    CHECK(MarsEventWait(&d->pushed, 1, kTestTimeoutMs));
    NSString *want = [NSString stringWithFormat:@"task %u", taskID];
    CHECK_EQ(d->pushCmdID, kCmdPush);
    CHECK([d->lastPush isEqualToData:[want dataUsingEncoding:NSUTF8StringEncoding]]);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    [s close];
}

TEST(test_start_task_inside_taskDidEnd) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    d->startTaskInEnd = 1;
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 2, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 2);
    [s close];
}

TEST(test_hasTask_inside_requestBody) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK(__atomic_load_n(&d->hasTaskInRequest, __ATOMIC_SEQ_CST) >= 1);
    [s close];
}

TEST(test_close_releases_delegate) {
    static MarsEvent gone; /* static: a late dealloc may signal it after a failed test */
    MarsEventInit(&gone);
    TestDelegate *d;
    MARS_POOL_BEGIN
    MarsStn *s = newEngine(&d, nil);
    d->deallocEvent = &gone;
    [s close];
    MARS_POOL_END
    /* Synchronous close outside a callback: freed once the pool drained. */
    CHECK_EQ(MarsEventCount(&gone), 1);
}

TEST(test_close_inside_taskDidEnd_finishes_on_a_helper_thread) {
    static MarsEvent gone; /* static: a late dealloc may signal it after a failed test */
    MarsEventInit(&gone);
    TestDelegate *d;
    MarsStn *s;
    NSError *err = nil;
    MARS_POOL_BEGIN
    s = MARS_RETAIN(newEngine(&d, nil));
    d->deallocEvent = &gone;
    d->closeInEnd = 1;
    [s startTask:TestTask(kCmdEcho) error:NULL];
    MARS_POOL_END
    CHECK(s != nil);
    /* The helper thread destroys the engine, then lets go of the delegate
     * (its last owner): waited for on the static event, since d itself may
     * be gone by the time this thread looks. */
    CHECK(MarsEventWait(&gone, 1, kTestTimeoutMs));
    CHECK(s.isClosed);
    CHECK_EQ([s startTask:TestTask(kCmdEcho) error:&err], 0);
    CHECK_ERR(err, MarsErrorClosed);
    MARS_RELEASE(s);
}

TEST(test_exception_in_requestBody_fails_the_task) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    d->throwInRequest = 1;
    MarsTask *t = TestTask(kCmdEcho);
    t.retryCount = 0;
    CHECK([s startTask:t error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->lastErrorType, MarsTaskErrorEnDecode);
    CHECK_EQ(d->lastErrorCode, MarsCallbackExceptionCode);
    CHECK_EQ(s.callbackExceptions, 1);
    [s close];
}

TEST(test_exception_in_taskDidEnd_is_caught) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    d->throwInEnd = 1;
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 2, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 2);
    CHECK_EQ(s.callbackExceptions, 1);
    [s close];
}

TEST(test_stop_task_releases_its_context) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    static MarsEvent gone; /* static: a late dealloc may signal it after a failed test */
    MarsEventInit(&gone);
    uint32_t taskID = 0;
    MARS_POOL_BEGIN
    DeallocProbe *probe = MARS_AUTORELEASE([[DeallocProbe alloc] init]);
    probe->event = &gone;
    MarsTask *t = TestTask(kCmdSilence);
    t.context = probe;
    taskID = [s startTask:t error:NULL];
    MARS_POOL_END
    CHECK(taskID != 0);
    CHECK_EQ(MarsEventCount(&gone), 0); /* the engine keeps the context */
    CHECK([s hasTask:taskID]);
    BOOL stopped;
    MARS_POOL_BEGIN
    stopped = [s stopTask:taskID error:NULL];
    MARS_POOL_END
    CHECK(stopped);
    CHECK(MarsEventWait(&gone, 1, kTestTimeoutMs));
    CHECK(![s hasTask:taskID]);
    CHECK_EQ(MarsEventCount(&d->ended), 0);
    [s close];
}

TEST(test_invalid_task_fields_end_with_task_param) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    MarsTask *t = TestTask(kCmdEcho);
    t.retryCount = 31;
    CHECK([s startTask:t error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->lastErrorType, MarsTaskErrorLocal);
    CHECK_EQ(d->lastErrorCode, MARS_ECT_LOCAL_TASK_PARAM);
    [s close];
}

/* Starts tasks from its own NSThread. */
@interface Starter : NSObject {
@public
    MarsStn *stn;
    MarsEvent *done;
    int failures;
}
@end
@implementation Starter
- (void)run:(id)unused {
    MARS_POOL_BEGIN
    for (int i = 0; i < 25; i++)
        if ([stn startTask:TestTask(kCmdEcho) error:NULL] == 0) __atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
    MARS_POOL_END
    MarsEventSignal(done);
}
@end

TEST(test_many_threads_start_tasks_at_once) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    MarsEvent done;
    MarsEventInit(&done);
    Starter *starters[4];
    for (int i = 0; i < 4; i++) {
        starters[i] = MARS_AUTORELEASE([[Starter alloc] init]);
        starters[i]->stn = s;
        starters[i]->done = &done;
        [NSThread detachNewThreadSelector:@selector(run:) toTarget:starters[i] withObject:nil];
    }
    CHECK(MarsEventWait(&done, 4, kTestTimeoutMs));
    CHECK(MarsEventWait(&d->ended, 100, 30000));
    for (int i = 0; i < 4; i++) CHECK_EQ(starters[i]->failures, 0);
    CHECK_EQ(d->okEnds, 100);
    [s close];
}

/* shortLinkEngine is an engine whose short link reaches marsd. */
static MarsStn *shortLinkEngine(TestDelegate **d) {
    MarsStnConfig *c = TestConfig();
    c.shortLinkPort = gMarsd.shortPort;
    c.shortLinkDebugIP = [NSString stringWithUTF8String:gMarsd.shortHost];
    return newEngine(d, c);
}

/* A short-link-only task goes over HTTP to marsd, which echoes the body. */
TEST(test_short_link_task_round_trip) {
    TestDelegate *d;
    MarsStn *s = shortLinkEngine(&d);
    CHECK(s != nil);
    MarsTask *t = MARS_AUTORELEASE([[MarsTask alloc] init]);
    t.channelSelect = MarsChannelShort;
    t.cgi = @"/mars/echo";
    t.shortLinkHosts = [NSArray arrayWithObject:@"short.example"];
    t.headers = [NSDictionary dictionaryWithObject:@"objc" forKey:@"X-Mars-Binding"];
    t.retryCount = 0;
    CHECK([s startTask:t error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    if (d->okEnds != 1) fprintf(stderr, "  short link: ended with (%d, %d)\n", d->lastErrorType, d->lastErrorCode);
    CHECK_EQ(d->okEnds, 1); /* decodeResponse checked the echoed body */
    CHECK_EQ(d->lastChannel, MarsChannelShort);
    [s close];
}

/* disableLongLink: a task that may use either link goes short, a long-only
 * one ends with (Local, MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE). */
TEST(test_disable_longlink_sends_tasks_short) {
    CHECK([MarsLibrary hasFeature:@"disable_longlink"]);
    TestDelegate *d;
    MarsStn *s = shortLinkEngine(&d);
    CHECK(s != nil);
    CHECK([s disableLongLink:NULL]);
    CHECK([s makesureLongLinkConnected:NULL]); /* does nothing now */
    MarsTask *t = TestTask(kCmdEcho);
    t.channelSelect = MarsChannelBoth;
    t.cgi = @"/mars/echo";
    t.shortLinkHosts = [NSArray arrayWithObject:@"short.example"];
    CHECK([s startTask:t error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 1, kTestTimeoutMs));
    CHECK_EQ(d->okEnds, 1);
    CHECK_EQ(d->lastChannel, MarsChannelShort);
    uint32_t longOnly = [s startTask:TestTask(kCmdEcho) error:NULL];
    CHECK(longOnly != 0);
    CHECK(MarsEventWait(&d->ended, 2, kTestTimeoutMs));
    CHECK_EQ(d->lastTaskID, longOnly);
    CHECK_EQ(d->lastErrorType, MarsTaskErrorLocal);
    CHECK_EQ(d->lastErrorCode, MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE);
    CHECK(!s.isLongLinkConnected);
    [s close];
}

/* A silent task waits; a push arrives and its handler resets the engine:
 * the silent task ends with (Local, RESET) and the engine still works. */
TEST(test_reset_inside_didReceivePush) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    d->resetInPush = 1;
    uint32_t silent = [s startTask:TestTask(kCmdSilence) error:NULL];
    CHECK(silent != 0);
    CHECK([s startTask:TestTask(kCmdPushEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->pushed, 1, kTestTimeoutMs));
    CHECK(MarsEventWait(&d->ended, 2, kTestTimeoutMs));
    CHECK(d->resetsSeen >= 1);
    CHECK(![s hasTask:silent]);
    CHECK([s startTask:TestTask(kCmdEcho) error:NULL] != 0);
    CHECK(MarsEventWait(&d->ended, 3, kTestTimeoutMs));
    [s close];
}

TEST(test_bad_config_is_an_error_with_detail) {
    MarsStnConfig *c = TestConfig();
    c.baseFirstPacketTimeoutMs = -1;
    NSError *err = nil;
    MarsStn *s = [[MarsStn alloc] initWithConfig:c delegate:nil error:&err];
    CHECK(s == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([[[err userInfo] objectForKey:MarsErrorDetailKey] length] > 0);
    c = TestConfig();
    c.longLinkPorts = [NSArray arrayWithObject:[NSNumber numberWithInt:70000]];
    err = nil;
    CHECK([[MarsStn alloc] initWithConfig:c delegate:nil error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
}

TEST(test_bad_arguments_are_errors) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    NSError *err = nil;
    NSMutableArray *many = [NSMutableArray array];
    for (int i = 0; i < 65; i++) [many addObject:[NSNumber numberWithInt:1000 + i]];
    CHECK(![s setLongLinkHost:@"h" ports:many debugIP:nil error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    CHECK(![s networkDidChange:(MarsNetworkType)99 label:nil error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    NSMutableArray *ips = [NSMutableArray array];
    for (int i = 0; i < 65; i++) [ips addObject:@"127.0.0.1"];
    CHECK(![s setBackupIPs:ips forHost:@"h" error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    CHECK(![s setSignallingPeriodMs:0 keepTimeMs:0 error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([s setDebugIP:@"127.0.0.1" forHost:@"h" error:NULL]);
    CHECK([s generateTaskID:NULL] != 0);
    [s close];
}

TEST(test_closed_engine_refuses_calls) {
    TestDelegate *d;
    MarsStn *s = newEngine(&d, nil);
    CHECK(s != nil);
    [s close];
    [s close]; /* a second close does nothing */
    NSError *err = nil;
    CHECK_EQ([s startTask:TestTask(kCmdEcho) error:&err], 0);
    CHECK_ERR(err, MarsErrorClosed);
    err = nil;
    CHECK(![s reset:&err]);
    CHECK_ERR(err, MarsErrorClosed);
    err = nil;
    CHECK_EQ([s generateTaskID:&err], 0);
    CHECK_ERR(err, MarsErrorClosed);
    err = nil;
    CHECK(![s setClientVersion:kClientVersion error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
    CHECK(![s hasTask:1]);
    CHECK(!s.isLongLinkConnected);
}

TEST(test_every_result_code_has_its_own_text) {
    NSMutableSet *texts = [NSMutableSet set];
    for (int rc = MARS_EINVAL; rc <= MARS_ENOMEM; rc++) {
        NSError *err = nil;
        CHECK(!MarsCheck(rc, MarsDetailNone, NULL, &err));
        CHECK_ERR(err, rc);
        NSString *text = [err localizedDescription];
        CHECK([text length] > 0 && ![text isEqualToString:@"unknown error"]);
        [texts addObject:text];
    }
    CHECK_EQ([texts count], MARS_ENOMEM);
    CHECK(MarsCheck(MARS_OK, MarsDetailNone, NULL, NULL));
    NSError *err = nil;
    CHECK(!MarsCheck(99, MarsDetailNone, NULL, &err)); /* a newer library's code passes through */
    CHECK_ERR(err, 99);
}

TEST(test_create_close_cycles_free_every_delegate) {
    static MarsEvent gone; /* static: a late dealloc may signal it after a failed test */
    MarsEventInit(&gone);
    for (int i = 0; i < 50; i++) {
        MARS_POOL_BEGIN
        TestDelegate *d;
        MarsStn *s = newEngine(&d, nil);
        if (s != nil) {
            d->deallocEvent = &gone;
            if (i % 2 == 0) [s startTask:TestTask(kCmdEcho) error:NULL]; /* some with a live link */
            [s close];
        }
        MARS_POOL_END
    }
    CHECK_EQ(MarsEventCount(&gone), 50);
}
