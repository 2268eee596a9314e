/* MarsLongLinkConfig.h — one named long link of an engine (Mars's
 * LonglinkConfig, mars_longlink_config) as a value object, for
 * -[MarsStn createLongLink:error:]. A property left 0/nil takes the
 * engine's value (its MarsStnConfig), except where it says otherwise. */
#import "MarsStnConfig.h"

NS_ASSUME_NONNULL_BEGIN

@interface MarsLongLinkConfig : NSObject <NSCopying> {
    NSString *_name, *_host, *_debugIP;
    NSArray *_ports, *_backupIPs;
    uint32_t _clientVersion;
    BOOL _useTLS;
    NSString *_tlsServerName, *_tlsRootCAPEM;
    NSArray *_tlsPinnedSPKISHA256;
    MarsProxyKind _proxyKind;
    NSString *_proxyAddress, *_proxyUser, *_proxyPassword;
    MarsHeartbeatMode _heartbeatMode;
    int64_t _heartbeatIntervalMs;
    BOOL _identifyCheck, _keepAlive, _isMain;
}
/* A configuration for the link called name, every other property at its
 * default. */
+ (instancetype)configWithName:(NSString *)name;

/* Required, unique per engine; tasks pick the link by MarsTask.channelName. */
@property (nonatomic, copy) NSString *_Nullable name;
/* The link's server; nil: the engine's long-link host. */
@property (nonatomic, copy) NSString *_Nullable host;
@property (nonatomic, copy) MARS_ARRAY(NSNumber *) *_Nullable ports; /* tried in order; at most 64 */
@property (nonatomic, copy) NSString *_Nullable debugIP;              /* used instead of host */
@property (nonatomic, copy) MARS_ARRAY(NSString *) *_Nullable backupIPs; /* at most 64 */
@property (nonatomic) uint32_t clientVersion;                         /* 0: the engine's */
/* YES: TLS on this link (a link cannot turn the engine's TLS off); the TLS
 * properties below need it. */
@property (nonatomic) BOOL useTLS;
@property (nonatomic, copy) NSString *_Nullable tlsServerName;
@property (nonatomic, copy) NSString *_Nullable tlsRootCAPEM;
@property (nonatomic, copy) MARS_ARRAY(NSData *) *_Nullable tlsPinnedSPKISHA256; /* 32 bytes each */
@property (nonatomic) MarsProxyKind proxyKind;                        /* None: the engine's proxy */
@property (nonatomic, copy) NSString *_Nullable proxyAddress;
@property (nonatomic, copy) NSString *_Nullable proxyUser;
@property (nonatomic, copy) NSString *_Nullable proxyPassword;
@property (nonatomic) MarsHeartbeatMode heartbeatMode;                /* default Fixed (not the engine's) */
@property (nonatomic) int64_t heartbeatIntervalMs;                    /* 0: the engine's */
/* Default YES: each connection asks identifyCheckForChannel: with this name. */
@property (nonatomic) BOOL identifyCheck;
/* Mars's is_keep_alive, default YES: kept connected and reconnected after a
 * drop. NO: connects only when a task needs it (or on
 * makesureLongLinkConnected:error:) and is not reconnected after a drop. */
@property (nonatomic) BOOL keepAlive;
/* YES: becomes the main link at once. Default NO. */
@property (nonatomic) BOOL isMain;
@end

NS_ASSUME_NONNULL_END
