/* MarsStnState.h — the state a MarsStn shares with its C callbacks. Kept in
 * a C struct behind MarsStn's one ivar so that the public header shows no
 * library types and the same code builds with and without ARC (object
 * pointers are held as retained void * through MarsRetained/MarsReleasePtr).
 * Not installed. */
#import "MarsStn.h"
#import "MarsStnTypesPrivate.h"
#include <pthread.h>

NS_ASSUME_NONNULL_BEGIN

/* Delegate methods the delegate implements, found once at creation. */
enum {
    MarsImplReq2Buf = 1 << 0,
    MarsImplBuf2Resp = 1 << 1,
    MarsImplTaskEnd = 1 << 2,
    MarsImplPush = 1 << 3,
    MarsImplDns = 1 << 4,
    MarsImplAuthed = 1 << 5,
    MarsImplConnectStatus = 1 << 6,
    MarsImplLongLinkStatus = 1 << 7,
    MarsImplNetworkError = 1 << 8,
    MarsImplIdentifyCheck = 1 << 9,
    MarsImplIdentifyResponse = 1 << 10,
    MarsImplTraffic = 1 << 11,
    MarsImplProfile = 1 << 12,
    MarsImplLimited = 1 << 13,
    MarsImplSync = 1 << 14,
    MarsImplQuality = 1 << 15,
    MarsImplLogoned = 1 << 16,
    MarsImplNetCheckHosts = 1 << 17,
    MarsImplNetCheckResult = 1 << 18,
    MarsImplShortLinkNetworkError = 1 << 19,
    MarsImplLongLinkStatusOf = 1 << 20,
    MarsImplNetworkErrorOf = 1 << 21,
    MarsImplLongLinkDns = 1 << 22,
    MarsImplProxyInfo = 1 << 23,
    MarsImplDnsProfile = 1 << 24,
};

typedef struct MarsStnState {
    mars_stn *_Nullable handle;   /* atomic; NULL once close started */
    void *_Nullable delegate;     /* retained id<MarsStnDelegate>; released after destroy */
    void *_Nullable selfRetain;   /* the engine's retain on itself while open */
    void *_Nullable log;          /* retained MarsXlog of config.log, until destroyed */
    unsigned impl;                /* MarsImpl* bits; immutable after creation */
    uint64_t exceptions;          /* atomic count of caught exceptions */
    pthread_mutex_t mu;           /* guards contexts */
    void *_Nullable contexts;     /* retained NSMutableDictionary: task id -> MarsTask.context */
} MarsStnState;

/* Retains obj and returns it as a plain pointer (nil: NULL). */
void *_Nullable MarsRetained(id _Nullable obj);
/* Releases what MarsRetained returned (NULL: nothing). */
void MarsReleasePtr(void *_Nullable p);

/* The state of stn. */
MarsStnState *MarsStnStateOf(MarsStn *stn);

/* The context stored for taskID (nil if none); remove also forgets it. */
id _Nullable MarsStnContext(MarsStnState *st, uint32_t taskID, BOOL remove);

/* Fills cb's function pointers for the methods st->impl lists. */
void MarsStnInstallCallbacks(mars_stn_callbacks *cb, unsigned impl);

/* The engine whose callback the current thread is running (NULL: none). */
void *_Nullable MarsStnCurrentEngine(void);

NS_ASSUME_NONNULL_END
