/* MarsStnConfig.h — an engine's configuration (mars_stn_config) as a value
 * object. -init takes every default from the library
 * (mars_stn_config_init); durations are milliseconds, 0 means the default. */
#import "MarsStnTypes.h"
#import "MarsXlog.h"

NS_ASSUME_NONNULL_BEGIN

/* MARS_PROXY_*: how long-link connects reach the server. */
typedef NS_ENUM(int32_t, MarsProxyKind) {
    MarsProxyNone = 0,
    MarsProxyHTTP = 1,   /* HTTP CONNECT */
    MarsProxySOCKS5 = 2,
};

/* MARS_HEARTBEAT_*: how the heartbeat interval is chosen. */
typedef NS_ENUM(int32_t, MarsHeartbeatMode) {
    MarsHeartbeatFixed = 0,   /* heartbeatIntervalMs */
    MarsHeartbeatSmart = 1,   /* learned per network label (appFileDir/Heartbeat.ini) */
    MarsHeartbeatPassive = 2, /* none periodic; -[MarsStn trigNoop:] sends one */
};

@interface MarsStnConfig : NSObject <NSCopying> {
    uint32_t _clientVersion;
    NSString *_longLinkHost;
    NSArray *_longLinkPorts;
    NSString *_longLinkDebugIP;
    uint16_t _shortLinkPort;
    NSString *_shortLinkDebugIP;
    NSString *_appFileDir;
    MarsNetworkType _networkType;
    NSString *_networkLabel;
    int64_t _heartbeatIntervalMs, _noopTimeoutMs, _noopTimeoutLateMs, _noopLateThresholdMs;
    int64_t _connectTimeoutMs, _taskConnectIntervalMs, _autoConnectIntervalMs, _reconnectDelayMs;
    int64_t _newDnsTimeoutMs, _retryIntervalMs, _authPollIntervalMs;
    int64_t _baseFirstPacketTimeoutMs, _maxFirstPacketTimeoutMs, _packageIntervalMs, _taskDelayMs;
    int32_t _minRate;
    MarsXlog *_log;
    BOOL _pollEvents;
    int64_t _resolverTimeoutMs, _connectIntervalMs, _minConnectIntervalMs;
    int32_t _maxConnecting;
    BOOL _exactMarsTiming, _noMSSClamp, _useTLS;
    NSString *_tlsServerName, *_tlsRootCAPEM;
    NSArray *_tlsPinnedSPKISHA256;
    MarsProxyKind _proxyKind;
    NSString *_proxyAddress, *_proxyUser, *_proxyPassword;
    MarsHeartbeatMode _heartbeatMode;
    int64_t _signallingPeriodMs, _signallingKeepTimeMs;
    BOOL _timingSync, _shortLinkTLS, _dohAllowHTTP;
    NSString *_dohURL, *_shortLinkTLSServerName, *_shortLinkTLSRootCAPEM;
    NSArray *_shortLinkTLSPinnedSPKISHA256;
    NSString *_netCheckCGI;
    BOOL _netCheckOff;
    int32_t _netCheckWindow, _netCheckBadBelow, _netCheckGoodAbove;
    int32_t _maxInFlight;
    uint32_t _maxPacketSize;
}
@property (nonatomic) uint32_t clientVersion;           /* long-link header version; default 0 */
@property (nonatomic, copy) NSString *_Nullable longLinkHost;
@property (nonatomic, copy) MARS_ARRAY(NSNumber *) *_Nullable longLinkPorts; /* tried in order; at most 64 */
@property (nonatomic, copy) NSString *_Nullable longLinkDebugIP;
@property (nonatomic) uint16_t shortLinkPort;
@property (nonatomic, copy) NSString *_Nullable shortLinkDebugIP;
/* Where the engine keeps its per-network IP history; nil: memory only. */
@property (nonatomic, copy) NSString *_Nullable appFileDir;
@property (nonatomic) MarsNetworkType networkType;      /* default Wi-Fi */
@property (nonatomic, copy) NSString *_Nullable networkLabel; /* e.g. the SSID; keys the IP history */
@property (nonatomic) int64_t heartbeatIntervalMs;      /* default 210000; negative: no heartbeat */
@property (nonatomic) int64_t noopTimeoutMs;            /* default 8000 */
@property (nonatomic) int64_t noopTimeoutLateMs;        /* default 5000 */
@property (nonatomic) int64_t noopLateThresholdMs;      /* default 900000 */
@property (nonatomic) int64_t connectTimeoutMs;         /* default 10000 */
@property (nonatomic) int64_t taskConnectIntervalMs;    /* default 5000 */
@property (nonatomic) int64_t autoConnectIntervalMs;    /* default 15000 */
@property (nonatomic) int64_t reconnectDelayMs;         /* default 500 */
@property (nonatomic) int64_t newDnsTimeoutMs;          /* default 2000 */
@property (nonatomic) int64_t retryIntervalMs;          /* default 1000 */
@property (nonatomic) int64_t authPollIntervalMs;       /* default 1000 */
@property (nonatomic) int64_t baseFirstPacketTimeoutMs; /* 0: by network type; negative rejected */
@property (nonatomic) int64_t maxFirstPacketTimeoutMs;
@property (nonatomic) int64_t packageIntervalMs;
@property (nonatomic) int64_t taskDelayMs;
@property (nonatomic) int32_t minRate;                  /* bytes per second */
/* An open appender for the engine's own log lines (tag "mars.stn"); the
 * engine retains it until -close. nil: no engine logging. */
@property (nonatomic, MARS_STRONG) MarsXlog *_Nullable log;
/* YES: notification methods (taskDidEnd, push, status, traffic, profile,
 * limited, sync, networkQualityDidChange, didFinishNetCheck) run only inside -[MarsStn poll...] on the polling thread,
 * in order; the methods that must answer still run on library threads.
 * taskDidEnd's return value is then ignored. */
@property (nonatomic) BOOL pollEvents;
/* Connect strategy: staggered racing connects. */
@property (nonatomic) int64_t resolverTimeoutMs;        /* one system DNS lookup; default 1000 */
@property (nonatomic) int32_t maxConnecting;            /* attempts at once; default 3 */
@property (nonatomic) int64_t connectIntervalMs;        /* stagger, Mars's 2500 */
@property (nonatomic) int64_t minConnectIntervalMs;     /* shortest adaptive stagger; default 250 */
@property (nonatomic) BOOL exactMarsTiming;             /* always connectIntervalMs */
@property (nonatomic) BOOL noMSSClamp;                  /* keep the system MSS on Wi-Fi */
/* TLS 1.3 on the long link (not in Mars; the server must speak it). */
@property (nonatomic) BOOL useTLS;
@property (nonatomic, copy) NSString *_Nullable tlsServerName; /* nil: the long-link host */
@property (nonatomic, copy) NSString *_Nullable tlsRootCAPEM;  /* nil: the system roots */
/* SHA-256 hashes (32 bytes each) of DER SubjectPublicKeyInfo; a chain must
 * contain one. At most 64. */
@property (nonatomic, copy) MARS_ARRAY(NSData *) *_Nullable tlsPinnedSPKISHA256;
/* A proxy for long-link connects. */
@property (nonatomic) MarsProxyKind proxyKind;
@property (nonatomic, copy) NSString *_Nullable proxyAddress; /* "host:port" */
@property (nonatomic, copy) NSString *_Nullable proxyUser;
@property (nonatomic, copy) NSString *_Nullable proxyPassword;
@property (nonatomic) MarsHeartbeatMode heartbeatMode;  /* default fixed */
/* Signalling keeper (-[MarsStn keepSignalling:]); defaults 5000 and 20000. */
@property (nonatomic) int64_t signallingPeriodMs;
@property (nonatomic) int64_t signallingKeepTimeMs;
/* Mars's timing sync: stnRequestSync while the long link is down. */
@property (nonatomic) BOOL timingSync;
/* A DNS-over-HTTPS server (RFC 8484) for the long-link host when
 * resolveHost has no answer; nil: none. It must be an https URL (else
 * creation fails with MarsErrorInvalidArgument) unless dohAllowHTTP. */
@property (nonatomic, copy) NSString *_Nullable dohURL;
/* Accept an http:// dohURL. For tests only: its answers are not
 * authenticated. Default NO. */
@property (nonatomic) BOOL dohAllowHTTP;
/* HTTPS for the short link (not in Mars); fields as for the long link. */
@property (nonatomic) BOOL shortLinkTLS;
@property (nonatomic, copy) NSString *_Nullable shortLinkTLSServerName; /* nil: the task's host */
@property (nonatomic, copy) NSString *_Nullable shortLinkTLSRootCAPEM;
@property (nonatomic, copy) MARS_ARRAY(NSData *) *_Nullable shortLinkTLSPinnedSPKISHA256;
/* The automatic network check (Mars's net-check heuristic): when fewer than
 * netCheckBadBelow of the newest netCheckWindow results (long-link network
 * events, short-link attempts) succeeded after more than netCheckGoodAbove
 * of the window before, the engine checks DNS, TCP, a long-link heartbeat
 * and HTTP by itself and reports to stn:didFinishNetCheck:json:. At most 2
 * checks an hour. */
@property (nonatomic, copy) NSString *_Nullable netCheckCGI; /* path to GET on stnNetCheckHosts:' hosts;
                                                                nil: no HTTP check */
@property (nonatomic) BOOL netCheckOff;          /* YES: no automatic check; default NO (as Mars) */
@property (nonatomic) int32_t netCheckWindow;    /* results per window, 1..16; default 8 */
@property (nonatomic) int32_t netCheckBadBelow;  /* default 3 */
@property (nonatomic) int32_t netCheckGoodAbove; /* default 5 */
/* Task requests on the long link awaiting their response at once; 1 suits a
 * server that cannot pipeline. Default 0: no limit, as Mars. */
@property (nonatomic) int32_t maxInFlight;
/* The largest long-link packet, header included, both ways; a request over
 * it ends (Local, MARS_ECT_LOCAL_PACKET_TOO_LARGE) unsent. Default 1048576,
 * Mars's receive limit. */
@property (nonatomic) uint32_t maxPacketSize;
@end

NS_ASSUME_NONNULL_END
