/* TestDelegate.h — a MarsStnDelegate for the tests: the request body is
 * "task <id>", responses must echo it, and switches make it call back into
 * the engine or throw from inside callbacks. */
#import "MarsTestHarness.h"

/* marsd's request cmdids (go doc ./marsd). */
enum {
    kCmdEcho = 100,
    kCmdPush = 10001,
    kCmdPushEcho = 10002,
    kCmdSilence = 10004,
    kClientVersion = 200,
};

@interface TestDelegate : NSObject <MarsStnDelegate> {
@public
    MarsEvent ended, pushed, released;
    MarsEvent *deallocEvent; /* signalled from -dealloc when set */
    MarsStn *stn;            /* not retained: the engine retains us */
    pthread_mutex_t mu;
    int okEnds, failedEnds, lastErrorType, lastErrorCode;
    uint32_t lastTaskID, pushCmdID;
    int profileOK, hasTaskInRequest;
    int offMainThread; /* taskDidEnd ran on a registered, non-main NSThread */
    int onMainThread;  /* ... on the main thread (poll mode) */
    int lastChannel, resetsSeen;
    NSData *lastPush;
    id lastContext;
    /* reentrancy and failure switches, each used once */
    int startTaskInEnd, closeInEnd, throwInRequest, throwInEnd, resetInPush;
}
@end

/* An object that signals an event when freed. */
@interface DeallocProbe : NSObject {
@public
    MarsEvent *event;
}
@end

/* A config pointing at gMarsd's long link. */
MarsStnConfig *TestConfig(void);
/* A long-link task for cmdID. */
MarsTask *TestTask(uint32_t cmdID);
