/* TestDelegate.m — see TestDelegate.h. */
#import "TestDelegate.h"
#include "mars.h"

MarsStnConfig *TestConfig(void) {
    MarsStnConfig *c = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
    c.clientVersion = kClientVersion;
    c.longLinkHost = [NSString stringWithUTF8String:gMarsd.longHost];
    c.longLinkPorts = [NSArray arrayWithObject:[NSNumber numberWithInt:gMarsd.longPort]];
    return c;
}

MarsTask *TestTask(uint32_t cmdID) {
    MarsTask *t = MARS_AUTORELEASE([[MarsTask alloc] init]);
    t.cmdID = cmdID;
    t.channelSelect = MarsChannelLong;
    return t;
}

static NSData *bodyFor(uint32_t taskID) {
    return [[NSString stringWithFormat:@"task %u", taskID] dataUsingEncoding:NSUTF8StringEncoding];
}

@implementation TestDelegate

- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    MarsEventInit(&ended);
    MarsEventInit(&pushed);
    MarsEventInit(&released);
    pthread_mutex_init(&mu, NULL);
    return self;
}

- (void)dealloc {
    MarsEvent *e = deallocEvent;
#if !__has_feature(objc_arc)
    [lastPush release];
    [lastContext release];
    [super dealloc];
#endif
    if (e != NULL) MarsEventSignal(e);
}

- (NSData *)stn:(MarsStn *)s requestBodyForTask:(MarsTaskRef *)task channel:(MarsChannel)channel
           host:(NSString *)host errorCode:(int32_t *)errorCode {
    if (__atomic_exchange_n(&throwInRequest, 0, __ATOMIC_SEQ_CST))
        [NSException raise:@"TestException" format:@"thrown in requestBody"];
    if ([s hasTask:task.taskID]) __atomic_add_fetch(&hasTaskInRequest, 1, __ATOMIC_SEQ_CST);
    *errorCode = 0;
    return bodyFor(task.taskID);
}

- (MarsDecodeResult)stn:(MarsStn *)s decodeResponse:(NSData *)body forTask:(MarsTaskRef *)task
                channel:(MarsChannel)channel errorCode:(int32_t *)errorCode {
    if (![body isEqualToData:bodyFor(task.taskID)]) {
        *errorCode = 77;
        return MarsDecodeTaskEnd;
    }
    *errorCode = 0;
    return MarsDecodeOK;
}

- (int32_t)stn:(MarsStn *)s taskDidEnd:(MarsTaskRef *)task errorType:(MarsTaskErrorType)errorType
     errorCode:(int32_t)errorCode profile:(MarsTaskProfile *)profile {
    pthread_mutex_lock(&mu);
    if (errorType == MarsTaskErrorOK) okEnds++;
    else failedEnds++;
    lastErrorType = errorType;
    lastErrorCode = errorCode;
    lastTaskID = task.taskID;
    if (profile != nil && profile.taskID == task.taskID && profile.errorType == errorType) profileOK++;
    if ([NSThread currentThread] != nil && ![NSThread isMainThread]) offMainThread++;
    if ([NSThread isMainThread]) onMainThread++;
    lastChannel = profile != nil ? profile.channel : -1;
    if (errorType == MarsTaskErrorLocal && errorCode == MARS_ECT_LOCAL_RESET) resetsSeen++;
    id old = lastContext;
    lastContext = MARS_RETAIN(task.context);
    MARS_RELEASE(old);
    pthread_mutex_unlock(&mu);
    BOOL chain = __atomic_exchange_n(&startTaskInEnd, 0, __ATOMIC_SEQ_CST);
    BOOL close = __atomic_exchange_n(&closeInEnd, 0, __ATOMIC_SEQ_CST);
    BOOL fail = __atomic_exchange_n(&throwInEnd, 0, __ATOMIC_SEQ_CST);
    if (chain) [s startTask:TestTask(kCmdEcho) error:NULL];
    if (close) [s close];
    MarsEventSignal(&ended);
    if (fail) [NSException raise:@"TestException" format:@"thrown in taskDidEnd"];
    return 0;
}

- (void)stn:(MarsStn *)s didReceivePush:(NSData *)body cmdID:(uint32_t)cmdID taskID:(uint32_t)taskID
    channel:(NSString *)channel {
    pthread_mutex_lock(&mu);
    id old = lastPush;
    lastPush = MARS_RETAIN(body);
    MARS_RELEASE(old);
    pushCmdID = cmdID;
    pthread_mutex_unlock(&mu);
    if (__atomic_exchange_n(&resetInPush, 0, __ATOMIC_SEQ_CST)) [s reset:NULL];
    MarsEventSignal(&pushed);
}

@end

@implementation DeallocProbe
- (void)dealloc {
    MarsEvent *e = event;
    MARS_SUPER_DEALLOC();
    if (e != NULL) MarsEventSignal(e);
}
@end
