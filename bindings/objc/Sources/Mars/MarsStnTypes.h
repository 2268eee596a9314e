/* MarsStnTypes.h — the values that cross between the app and the STN
 * engine: enums with mars.h's numbers, the engine configuration, a task, and
 * what callbacks receive about a task. Plain value objects; no I/O. */
#import "MarsCompat.h"

NS_ASSUME_NONNULL_BEGIN

/* Task channel_select bits (MARS_CHANNEL_*). */
typedef NS_ENUM(int32_t, MarsChannel) {
    MarsChannelShort = 1,
    MarsChannelLong = 2,
    MarsChannelBoth = 3,
    MarsChannelMinorLong = 4, /* not implemented; never selected */
    MarsChannelNormal = 5,
    MarsChannelAll = 7,
};

/* MARS_CHANNEL_STRATEGY_*. */
typedef NS_ENUM(int32_t, MarsChannelStrategy) {
    MarsChannelStrategyNormal = 0,
    MarsChannelStrategyFast = 1,
};

/* MARS_NET_*. */
typedef NS_ENUM(int32_t, MarsNetworkType) {
    MarsNetworkNone = -1,
    MarsNetworkWifi = 1,
    MarsNetworkMobile = 2,
};

/* MARS_LONGLINK_*. */
typedef NS_ENUM(int32_t, MarsLongLinkStatus) {
    MarsLongLinkIdle = 0,
    MarsLongLinkConnecting = 1,
    MarsLongLinkConnected = 2,
    MarsLongLinkDisconnected = 3,
    MarsLongLinkConnectFailed = 4,
};

/* A task outcome's class (MARS_ECT_*, Mars's ErrCmdType). The codes that go
 * with each class are mars.h's MARS_ECT_LOCAL_* etc. */
typedef NS_ENUM(int32_t, MarsTaskErrorType) {
    MarsTaskErrorOK = 0,
    MarsTaskErrorFalse = 1,
    MarsTaskErrorDial = 2,
    MarsTaskErrorDNS = 3,
    MarsTaskErrorSocket = 4,
    MarsTaskErrorHTTP = 5,
    MarsTaskErrorNetMsgXP = 6,
    MarsTaskErrorEnDecode = 7,
    MarsTaskErrorServer = 8,
    MarsTaskErrorLocal = 9,
    MarsTaskErrorCanceled = 10,
};

/* What a response decoder returns (MARS_RESP_*). */
typedef NS_ENUM(int32_t, MarsDecodeResult) {
    MarsDecodeOK = 0,
    MarsDecodeError = -1,
    MarsDecodeRetryAllTasks = -12,
    MarsDecodeSessionTimeout = -13,
    MarsDecodeTaskEnd = -14,
    MarsDecodeSilentTaskEnd = -16,
};

/* MARS_IDENTIFY_CHECK_*. */
typedef NS_ENUM(int32_t, MarsIdentifyMode) {
    MarsIdentifyCheckNow = 0,
    MarsIdentifyCheckNext = 1,
    MarsIdentifyCheckNever = 2,
};

/* MARS_QUALITY_*: the engine's coarse verdict on the current network. */
typedef NS_ENUM(int32_t, MarsNetworkQualityLevel) {
    MarsQualityUnknown = 0, /* no sample yet on this network */
    MarsQualityWeak = 1,    /* RTT >= 2 s, < 4 KiB/s, or a recent weak-network mark */
    MarsQualityOK = 2,
    MarsQualityGood = 3,    /* RTT <= 300 ms */
};

/* MARS_DYNAMIC_TIMEOUT_*: the dynamic timeout's state (Mars's kEValuating,
 * kExcellent, kBad). */
typedef NS_ENUM(int32_t, MarsDynamicTimeout) {
    MarsDynamicTimeoutEvaluating = 1,
    MarsDynamicTimeoutExcellent = 2, /* first-packet timeouts shrink */
    MarsDynamicTimeoutBad = 3,       /* 4 or more of the last 10 tasks failed */
};

/* The err_code a callback that threw an exception reports where it must
 * report one (request or response coding). */
enum { MarsCallbackExceptionCode = -20000 };

/* A request (mars_task). -init gives Mars's defaults (mars_task_init).
 * startTask: copies what it needs, so a task object may be reused. */
@interface MarsTask : NSObject <NSCopying> {
    uint32_t _taskID, _cmdID;
    MarsChannel _channelSelect;
    MarsChannelStrategy _channelStrategy;
    NSString *_channelName, *_cgi, *_userID, *_reportArg;
    BOOL _sendOnly, _needAuthed, _limitFlow, _limitFrequency, _networkStatusSensitive;
    int32_t _priority, _retryCount;
    int64_t _serverProcessCostMs, _totalTimeoutMs;
    id _context;
    NSArray *_shortLinkHosts, *_longLinkHosts;
    NSDictionary *_headers;
    BOOL _longPolling;
    int64_t _longPollingTimeoutMs;
}
/* 0: the engine assigns one; startTask: stores it here. */
@property (nonatomic) uint32_t taskID;
@property (nonatomic) uint32_t cmdID;                   /* 0 drops the long-link bit */
@property (nonatomic) MarsChannel channelSelect;        /* default Both */
@property (nonatomic) MarsChannelStrategy channelStrategy;
@property (nonatomic, copy) NSString *_Nullable channelName; /* nil: "default-longlink" */
@property (nonatomic, copy) NSString *_Nullable cgi;    /* short-link path; nil drops the short-link bit */
@property (nonatomic) BOOL sendOnly;
@property (nonatomic) BOOL needAuthed;
@property (nonatomic) BOOL limitFlow;                   /* default YES */
@property (nonatomic) BOOL limitFrequency;              /* default YES */
@property (nonatomic) BOOL networkStatusSensitive;
@property (nonatomic) int32_t priority;                 /* 0..5, default 3 */
@property (nonatomic) int32_t retryCount;               /* -1 (default) = 1; > 30 rejected */
@property (nonatomic) int64_t serverProcessCostMs;      /* -1 (default) = unknown */
@property (nonatomic) int64_t totalTimeoutMs;           /* -1 (default) = no cap */
/* Any object: kept (retained) by the engine until the task ends, is
 * stopped or cleared, and handed back in MarsTaskRef.context. */
@property (nonatomic, MARS_STRONG) id _Nullable context;
@property (nonatomic, copy) NSString *_Nullable userID;
@property (nonatomic, copy) NSString *_Nullable reportArg;
@property (nonatomic, copy) MARS_ARRAY(NSString *) *_Nullable shortLinkHosts; /* at most 64 */
@property (nonatomic, copy) MARS_ARRAY(NSString *) *_Nullable longLinkHosts;  /* at most 64 */
@property (nonatomic, copy) MARS_DICT(NSString *, NSString *) *_Nullable headers; /* short-link HTTP headers */
/* Short-link long polling: the server may hold the request up to
 * longPollingTimeoutMs (required, 1..600000, with longPolling). */
@property (nonatomic) BOOL longPolling;
@property (nonatomic) int64_t longPollingTimeoutMs;
@end

/* Which task a callback concerns (mars_task_ref). */
@interface MarsTaskRef : NSObject {
    uint32_t _taskID, _cmdID, _clientSequenceID;
    NSString *_userID;
    id _context;
}
@property (nonatomic, readonly) uint32_t taskID;
@property (nonatomic, readonly) uint32_t cmdID;
@property (nonatomic, readonly) uint32_t clientSequenceID;
@property (nonatomic, readonly, copy) NSString *userID;
@property (nonatomic, readonly, MARS_STRONG) id _Nullable context; /* MarsTask.context */
@end

/* A task's statistics (mars_task_profile). Times are Unix milliseconds, 0
 * when the step did not happen. */
@interface MarsTaskProfile : NSObject {
    uint32_t _taskID, _cmdID;
    NSString *_cgi, *_userID, *_reportArg, *_connectIP;
    int32_t _channel, _attempts, _errorType, _errorCode, _connectPort;
    int64_t _startTimeMs, _startSendTimeMs, _readFinishTimeMs, _endTimeMs;
    int64_t _sendBytes, _recvBytes, _connectStartMs, _connectDoneMs;
    int64_t _firstPkgTimeoutMs, _taskTimeoutMs;
    BOOL _weakNetwork;
}
@property (nonatomic, readonly) uint32_t taskID;
@property (nonatomic, readonly) uint32_t cmdID;
@property (nonatomic, readonly, copy) NSString *cgi;
@property (nonatomic, readonly, copy) NSString *userID;
@property (nonatomic, readonly, copy) NSString *reportArg;
@property (nonatomic, readonly) int32_t channel;      /* MarsChannelShort/Long of the last attempt; 0 if none */
@property (nonatomic, readonly) int32_t attempts;
@property (nonatomic, readonly) int32_t errorType;    /* MarsTaskErrorType */
@property (nonatomic, readonly) int32_t errorCode;
@property (nonatomic, readonly) int64_t startTimeMs;
@property (nonatomic, readonly) int64_t startSendTimeMs;
@property (nonatomic, readonly) int64_t readFinishTimeMs;
@property (nonatomic, readonly) int64_t endTimeMs;
@property (nonatomic, readonly) int64_t sendBytes;
@property (nonatomic, readonly) int64_t recvBytes;
@property (nonatomic, readonly, copy) NSString *connectIP;
@property (nonatomic, readonly) int32_t connectPort;
@property (nonatomic, readonly) int64_t connectStartMs;
@property (nonatomic, readonly) int64_t connectDoneMs;
@property (nonatomic, readonly) int64_t firstPkgTimeoutMs;
@property (nonatomic, readonly) int64_t taskTimeoutMs;
/* A weak-network mark was active when the task ended (Mars's
 * is_weak_network); NO from a library too old to report it. */
@property (nonatomic, readonly) BOOL weakNetwork;
@end

/* The engine's estimate of the current network (mars_network_quality),
 * from -[MarsStn networkQuality:] and networkQualityDidChange. It starts
 * afresh at every networkDidChange. */
@interface MarsNetworkQuality : NSObject {
    MarsNetworkQualityLevel _level;
    MarsDynamicTimeout _dynamicTimeout;
    int64_t _rttMs, _throughput;
    BOOL _weakMarked;
}
@property (nonatomic, readonly) MarsNetworkQualityLevel level;
@property (nonatomic, readonly) MarsDynamicTimeout dynamicTimeout;
@property (nonatomic, readonly) int64_t rttMs;      /* smoothed round trip; 0: no sample yet */
@property (nonatomic, readonly) int64_t throughput; /* smoothed bytes/s of large responses; 0: none yet */
@property (nonatomic, readonly) BOOL weakMarked;    /* a Mars weak-network mark is active */
@end

/* A proxy (mars_proxy_info): what stn:proxyForHost:longLink: answers for
 * one connect (Mars's GetProxyInfo) and what +[MarsStn proxyIsAvailable:...]
 * checks. kind MarsProxyNone (+direct) means "connect directly". kind is a
 * MarsProxyKind (MarsStnConfig.h). */
@interface MarsProxyInfo : NSObject {
    int32_t _kind;
    NSString *_address, *_user, *_password;
}
@property (nonatomic, readonly) int32_t kind;
@property (nonatomic, readonly, copy) NSString *address; /* "host:port" */
@property (nonatomic, readonly, copy) NSString *user;
@property (nonatomic, readonly, copy) NSString *password;
+ (MarsProxyInfo *)direct;
+ (MarsProxyInfo *)proxyWithKind:(int32_t)kind
                         address:(NSString *)address
                            user:(nullable NSString *)user
                        password:(nullable NSString *)password;
@end

/* MARS_DNS_*: where a DNS answer came from (Mars's dnstype 1 and 2, then
 * ours). */
typedef NS_ENUM(int32_t, MarsDnsSource) {
    MarsDnsSourceNewDns = 1, /* the delegate's stn:resolveHost:longLink: */
    MarsDnsSourceSystem = 2, /* the system resolver */
    MarsDnsSourceDoH = 3,    /* the config's DoH URL */
    MarsDnsSourceDebug = 4,  /* a debug IP stood in for the lookup */
};

/* One DNS lookup behind a link's connect candidates (mars_dns_profile,
 * Mars's ReportDnsProfile). */
@interface MarsDnsProfile : NSObject {
    NSString *_host, *_error;
    BOOL _longLink;
    MarsDnsSource _source;
    NSArray *_ips;
    int64_t _startMs, _costMs;
    int32_t _errorType, _errorCode;
}
@property (nonatomic, readonly, copy) NSString *host;
@property (nonatomic, readonly) BOOL longLink;
@property (nonatomic, readonly) MarsDnsSource source;
@property (nonatomic, readonly, copy) MARS_ARRAY(NSString *) *ips;
@property (nonatomic, readonly) int64_t startMs;
@property (nonatomic, readonly) int64_t costMs;
@property (nonatomic, readonly) int32_t errorType; /* 0; MarsTaskErrorLocal (9) with -1 when it failed (Mars) */
@property (nonatomic, readonly) int32_t errorCode;
@property (nonatomic, readonly, copy) NSString *error; /* "" when answered */
@end

NS_ASSUME_NONNULL_END
