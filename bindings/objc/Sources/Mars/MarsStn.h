/* MarsStn.h — one STN engine (a long link plus short links, its tasks and
 * its delegate) over mars.h's mars_stn_*. Every call may be made from any
 * thread, including from inside a delegate method. Every method with an
 * NSError ** can fail with MarsErrorClosed (closed, or racing close) and
 * MarsErrorForkedChild (called in a forked child); the README's "Error codes
 * per method" lists the rest. A string argument or property with a NUL is
 * MarsErrorInvalidArgument. */
#import "MarsStnTypes.h"
#import "MarsStnConfig.h"
#import "MarsLongLinkConfig.h"

NS_ASSUME_NONNULL_BEGIN

@class MarsStn;

/* The long link every engine starts with (MARS_DEFAULT_LONGLINK_NAME,
 * "default-longlink"). */
extern NSString *const MarsDefaultLongLink;

/* What the engine asks of and tells the app (Mars's Callback / Android
 * StnLogic.ICallBack). Every method is optional: one the delegate does not
 * implement gets mars.h's default, and costs nothing.
 *
 * Runs on: a library thread (never the caller's), registered with GNUstep
 * and inside its own autorelease pool. Methods of one engine do not run at
 * once, except resolveHost and traffic, which may run concurrently.
 * Return promptly. Objects passed in are yours to keep.
 *
 * Exceptions: the binding catches every exception a method throws, logs it,
 * counts it in MarsStn.callbackExceptions, and uses the value given with the
 * method. An exception never reaches the library. */
@protocol MarsStnDelegate <NSObject>
@optional

/* Req2Buf: the request body of one attempt (called once per attempt, so it
 * must give the same answer each time). nil fails the task with
 * (MarsTaskErrorEnDecode, *errorCode). Not implemented: an empty body.
 * Exception: fails the task with MarsCallbackExceptionCode. */
- (nullable NSData *)stn:(MarsStn *)stn
      requestBodyForTask:(MarsTaskRef *)task
                 channel:(MarsChannel)channel
                    host:(NSString *)host
               errorCode:(int32_t *)errorCode
    NS_SWIFT_NAME(stn(_:requestBodyFor:channel:host:errorCode:));

/* Buf2Resp: decode a response body. Not implemented: MarsDecodeOK.
 * Exception: MarsDecodeTaskEnd with MarsCallbackExceptionCode. */
- (MarsDecodeResult)stn:(MarsStn *)stn
         decodeResponse:(NSData *)body
                forTask:(MarsTaskRef *)task
                channel:(MarsChannel)channel
              errorCode:(int32_t *)errorCode
    NS_SWIFT_NAME(stn(_:decodeResponse:for:channel:errorCode:));

/* OnTaskEnd: exactly once per task (not for stopped or cleared tasks). On
 * success the return value becomes the profile's error code.
 * Exception: 0. */
- (int32_t)stn:(MarsStn *)stn
    taskDidEnd:(MarsTaskRef *)task
     errorType:(MarsTaskErrorType)errorType
     errorCode:(int32_t)errorCode
       profile:(nullable MarsTaskProfile *)profile
    NS_SWIFT_NAME(stn(_:taskDidEnd:errorType:errorCode:profile:));

/* OnPush: a server push (long-link packet with seq 0). */
- (void)stn:(MarsStn *)stn
    didReceivePush:(NSData *)body
             cmdID:(uint32_t)cmdID
            taskID:(uint32_t)taskID
           channel:(NSString *)channel
    NS_SWIFT_NAME(stn(_:didReceivePush:cmdID:taskID:channel:));

/* OnNewDns: IP strings for host (nil or empty: the system resolver). May run
 * concurrently with other methods; answers after newDnsTimeoutMs are
 * dropped. Exception: the system resolver. */
- (nullable MARS_ARRAY(NSString *) *)stn:(MarsStn *)stn
                             resolveHost:(NSString *)host
                                longLink:(BOOL)longLink
    NS_SWIFT_NAME(stn(_:resolveHost:longLink:));

/* MakesureAuthed: is userID logged in at host? Exception: NO. */
- (BOOL)stn:(MarsStn *)stn isAuthedForHost:(NSString *)host userID:(NSString *)userID
    NS_SWIFT_NAME(stn(_:isAuthedForHost:userID:));

/* ReportConnectStatus: Mars's (all, long link) NetStatus numbers. */
- (void)stn:(MarsStn *)stn connectStatusDidChange:(int32_t)status longLinkStatus:(int32_t)longLinkStatus
    NS_SWIFT_NAME(stn(_:connectStatusDidChange:longLinkStatus:));

/* The main long link's MarsLongLinkStatus. */
- (void)stn:(MarsStn *)stn longLinkStatusDidChange:(MarsLongLinkStatus)status
    NS_SWIFT_NAME(stn(_:longLinkStatusDidChange:));

/* Network events of the main long link (connect success is (OK, 0)). */
- (void)stn:(MarsStn *)stn
    longLinkNetworkError:(MarsTaskErrorType)errorType
                    code:(int32_t)code
                      ip:(NSString *)ip
                    port:(int32_t)port
    NS_SWIFT_NAME(stn(_:longLinkNetworkError:code:ip:port:));

/* MarsLongLinkStatus of the long link called name, for every link of the
 * engine, the main one included (longLinkStatusDidChange: keeps reporting
 * the main link alone). */
- (void)stn:(MarsStn *)stn longLink:(NSString *)name statusDidChange:(MarsLongLinkStatus)status
    NS_SWIFT_NAME(stn(_:longLink:statusDidChange:));

/* Network events of the long link called name, for every link (connect
 * success is (OK, 0)). */
- (void)stn:(MarsStn *)stn
        longLink:(NSString *)name
    networkError:(MarsTaskErrorType)errorType
            code:(int32_t)code
              ip:(NSString *)ip
            port:(int32_t)port
    NS_SWIFT_NAME(stn(_:longLink:networkError:code:ip:port:));

/* IP strings for host when the long link called name connects (Mars's
 * per-link dns_func; nil or empty: the system resolver). When implemented
 * it replaces resolveHost:longLink:YES for long-link connects; it runs as
 * that method does. Exception: the system resolver. */
- (nullable MARS_ARRAY(NSString *) *)stn:(MarsStn *)stn
                         resolveLongLink:(NSString *)name
                                    host:(NSString *)host
    NS_SWIFT_NAME(stn(_:resolveLongLink:host:));

/* A short-link address the built-in transport failed to connect to (Mars's
 * OnShortLinkNetworkError): errorType socket with the errno, a TLS code
 * (MARS_ECT_HANDSHAKE_PIN_MISMATCH, _CERTIFICATE, else _MISUNDERSTAND) or a
 * proxy's own code (MARS_ECT_SOCKET_PROXY_*; then ip and port are the
 * proxy's). */
- (void)stn:(MarsStn *)stn
    shortLinkNetworkError:(MarsTaskErrorType)errorType
                     code:(int32_t)code
                       ip:(NSString *)ip
                     port:(int32_t)port
    NS_SWIFT_NAME(stn(_:shortLinkNetworkError:code:ip:port:));

/* GetProxyInfo: the proxy of one connect to host (each long-link connect
 * attempt, each new short-link connection). +[MarsProxyInfo direct]:
 * connect directly; nil: the config's proxy. Runs on a library thread of
 * its own, concurrently with other methods; a connect waits for it at most
 * 2 s. Implementing it turns the signalling keeper off. Exception, or a
 * string that does not fit mars_proxy_info: the config's proxy. */
- (nullable MarsProxyInfo *)stn:(MarsStn *)stn proxyForHost:(NSString *)host longLink:(BOOL)longLink
    NS_SWIFT_NAME(stn(_:proxyForHost:longLink:));

/* ReportDnsProfile: one DNS lookup behind a link's connect candidates. */
- (void)stn:(MarsStn *)stn reportDnsProfile:(MarsDnsProfile *)profile
    NS_SWIFT_NAME(stn(_:reportDnsProfile:));

/* GetLongLinkIdentifyCheckBuffer: to check now, append the request to
 * buffer and its hash to hash, set *cmdID, return MarsIdentifyCheckNow.
 * Exception: MarsIdentifyCheckNever. */
- (MarsIdentifyMode)stn:(MarsStn *)stn
    identifyCheckForChannel:(NSString *)channel
                     buffer:(NSMutableData *)buffer
                       hash:(NSMutableData *)hash
                      cmdID:(uint32_t *)cmdID
    NS_SWIFT_NAME(stn(_:identifyCheckFor:buffer:hash:cmdID:));

/* OnLongLinkIdentifyResponse: YES stops further checks on this connection.
 * Exception: YES. */
- (BOOL)stn:(MarsStn *)stn
    identifyResponse:(NSData *)response
                hash:(NSData *)hash
             channel:(NSString *)channel
    NS_SWIFT_NAME(stn(_:identifyResponse:hash:channel:));

/* TrafficData: bytes of one socket write or read. Runs on an I/O thread,
 * concurrently with other methods; must not block and must not call
 * hasTask:. */
- (void)stn:(MarsStn *)stn trafficSent:(int64_t)sent received:(int64_t)received
    NS_SWIFT_NAME(stn(_:trafficSent:received:));

/* ReportTaskProfile: every ended task's statistics, after taskDidEnd. */
- (void)stn:(MarsStn *)stn reportTaskProfile:(MarsTaskProfile *)profile
    NS_SWIFT_NAME(stn(_:reportTaskProfile:));

/* ReportTaskLimited: an anti-avalanche rejection (checkType 1 frequency,
 * 2 flow). */
- (void)stn:(MarsStn *)stn taskLimited:(MarsTaskRef *)task checkType:(int32_t)checkType param:(int32_t)param
    NS_SWIFT_NAME(stn(_:taskLimited:checkType:param:));

/* RequestSync: the host should pull (timing sync while the link is down). */
- (void)stnRequestSync:(MarsStn *)stn;

/* Every change of the network quality level, with the whole estimate (not
 * in Mars; after Cronet's estimator). */
- (void)stn:(MarsStn *)stn networkQualityDidChange:(MarsNetworkQuality *)quality
    NS_SWIFT_NAME(stn(_:networkQualityDidChange:));

/* GetAccountInfo().is_logoned: is a user logged in? Asked by the timing
 * sync to choose its period (90 s logged in, else 4 min). Not implemented
 * or exception: NO. */
- (BOOL)stnIsLogoned:(MarsStn *)stn;

/* RequestNetCheckShortLinkHosts: host names to GET config.netCheckCGI on
 * when an automatic network check starts. nil or empty: no HTTP check.
 * Runs on a library thread even with pollEvents. Exception: no hosts. */
- (nullable MARS_ARRAY(NSString *) *)stnNetCheckHosts:(MarsStn *)stn;

/* The report of an automatic network check (Mars only logs it): json is the
 * report in MarsSdt's form, report the same parsed (nil if it is not a JSON
 * object). A check cancelled by reset, a network change or close reports
 * nothing. */
- (void)stn:(MarsStn *)stn
    didFinishNetCheck:(nullable MARS_DICT(NSString *, id) *)report
                 json:(NSString *)json NS_SWIFT_NAME(stn(_:didFinishNetCheck:json:));

@end

/* An engine. Create it with a configuration and a delegate; nothing
 * connects until a task needs the long link, makesureLongLinkConnected: or
 * setForeground:YES.
 *
 * Lifetime: the engine retains itself and its delegate while it is open,
 * because the library may call the delegate until then; -close releases
 * both. An engine that is never closed is never freed. */
@interface MarsStn : NSObject {
    void *_state; /* MarsStnState, private */
}

/* Creates an engine (mars_stn_create). nil with an NSError on failure:
 * MarsErrorInvalidArgument for a bad configuration (detail in
 * MarsErrorDetailKey), MarsErrorVersionMismatch, MarsErrorLimit. */
- (nullable instancetype)initWithConfig:(MarsStnConfig *)config
                               delegate:(nullable id<MarsStnDelegate>)delegate
                                  error:(NSError **)error NS_DESIGNATED_INITIALIZER;
- (instancetype)init NS_UNAVAILABLE;

/* The delegate given at creation (retained until -close). */
@property (nonatomic, readonly, MARS_STRONG) id<MarsStnDelegate> _Nullable delegate;

/* Exceptions thrown by delegate methods and caught by the binding. */
@property (nonatomic, readonly) uint64_t callbackExceptions;

/* YES once -close has started. */
@property (nonatomic, readonly) BOOL isClosed;

/* Stops the engine (mars_stn_destroy): pending tasks end with
 * (MarsTaskErrorLocal, MARS_ECT_LOCAL_RESET), links close. From any other
 * thread it returns once no delegate method runs any more; from inside a
 * delegate method of this engine it returns at once and a helper thread
 * finishes the shutdown. Later calls fail with MarsErrorClosed. A second
 * close does nothing. */
- (void)close;

/* StartTask: queues task (mars_stn_start_task) and returns its id: task.taskID,
 * or a fresh id when that is 0 (the task object is not changed, so it may be
 * reused). Every outcome, including invalid fields, arrives through
 * taskDidEnd. 0 with *error when the call itself fails. */
- (uint32_t)startTask:(MarsTask *)task error:(NSError **)error
    MARS_SWIFT_THROWS_ON_ZERO NS_SWIFT_NAME(start(_:));

/* StopTask: removes the task without taskDidEnd. */
- (BOOL)stopTask:(uint32_t)taskID error:(NSError **)error NS_SWIFT_NAME(stopTask(_:));

/* HasTask: NO also when the engine is closed. Waits for the engine. */
- (BOOL)hasTask:(uint32_t)taskID;

/* A fresh task id; 0 (with *error) when the engine is closed. */
- (uint32_t)generateTaskID:(NSError **)error MARS_SWIFT_THROWS_ON_ZERO NS_SWIFT_NAME(generateTaskID());

- (BOOL)redoTasks:(NSError **)error;
- (BOOL)touchTasks:(NSError **)error;
/* Drops every task without callbacks and disconnects the long link. */
- (BOOL)clearTasks:(NSError **)error;
/* Ends every pending task with (Local, MARS_ECT_LOCAL_RESET) and starts
 * afresh; address settings survive, and a kept long link reconnects as
 * after any drop. */
- (BOOL)reset:(NSError **)error;
/* Mars's SetClientVersion on a running engine: the long link stays
 * connected; packets from now on carry version and must carry it on
 * receive (an answer with the old version drops the link, as in Mars). */
- (BOOL)setClientVersion:(uint32_t)version error:(NSError **)error NS_SWIFT_NAME(setClientVersion(_:));
/* Mars's ResetAndInitEncoderVersion: reset, then the client version
 * becomes version before anything is sent again. */
- (BOOL)resetAndInitEncoderVersion:(uint32_t)version
                             error:(NSError **)error NS_SWIFT_NAME(resetAndInitEncoderVersion(_:));
/* Mars's GenSequenceId: a random client sequence id in 0..65535. */
+ (uint32_t)generateSequenceID;
- (BOOL)makesureLongLinkConnected:(NSError **)error;
/* Mars's DisableLongLink: the long link closes and never connects again for
 * this engine's life. Tasks whose channel allows the short link go short; a
 * long-only task ends with (Local, MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE).
 * Library feature "disable_longlink". */
- (BOOL)disableLongLink:(NSError **)error;

/* NO also when the engine is closed. */
@property (nonatomic, readonly) BOOL isLongLinkConnected;

/* Several long links (Mars's *_ext calls). Every engine starts with one,
 * MarsDefaultLongLink, the main link: the link of tasks whose channelName is
 * nil or empty, and the one the unnamed link methods concern. */

/* Adds the long link config describes (mars_stn_create_longlink); a task
 * whose channelName is its name goes on it. InvalidArgument for a nil or
 * empty name or a bad value, State when a link of that name exists. */
- (BOOL)createLongLink:(MarsLongLinkConfig *)config error:(NSError **)error NS_SWIFT_NAME(createLongLink(_:));

/* Removes the named link, synchronously: its waiting and running tasks end
 * with (MarsTaskErrorLocal, MARS_ECT_LOCAL_LONGLINK_RELEASED) first.
 * InvalidArgument for an unknown name, State for the main link (mark
 * another main first). */
- (BOOL)destroyLongLink:(NSString *)name error:(NSError **)error NS_SWIFT_NAME(destroyLongLink(_:));

/* The links' names, sorted; empty when the engine is closed. */
@property (nonatomic, readonly) MARS_ARRAY(NSString *) *longLinks;

/* The main link's name; nil when the engine is closed. */
@property (nonatomic, readonly, copy) NSString *_Nullable mainLongLink;

/* Makes the named link the main one. InvalidArgument for an unknown name. */
- (BOOL)markMainLongLink:(NSString *)name error:(NSError **)error NS_SWIFT_NAME(markMainLongLink(_:));

/* Whether the named link is connected; NO for an unknown name or a closed
 * engine. */
- (BOOL)isLongLinkConnected:(NSString *)name;

/* Connects the named link now unless it is connected or connecting
 * (asynchronous; an unknown name does nothing). */
- (BOOL)makesureLongLinkConnected:(NSString *)name
                            error:(NSError **)error NS_SWIFT_NAME(makesureLongLinkConnected(_:));

/* For an engine created with config.pollEvents: runs the queued
 * notification methods on the calling thread, in order (mars_stn_poll).
 * Waits up to timeoutMs for the first (0: no wait; negative: until one is
 * queued or the engine closes), runs at most 1024; *ran (optional) gets the
 * count. MarsErrorState without pollEvents. */
- (BOOL)pollWithTimeoutMs:(int64_t)timeoutMs
                      ran:(NSInteger *_Nullable)ran
                    error:(NSError **)error NS_SWIFT_NAME(poll(timeoutMs:ran:));

- (BOOL)setLongLinkHost:(NSString *)host
                  ports:(MARS_ARRAY(NSNumber *) *)ports
                debugIP:(nullable NSString *)debugIP
                  error:(NSError **)error NS_SWIFT_NAME(setLongLink(host:ports:debugIP:));
- (BOOL)setShortLinkPort:(uint16_t)port
                 debugIP:(nullable NSString *)debugIP
                   error:(NSError **)error NS_SWIFT_NAME(setShortLink(port:debugIP:));
/* ip nil removes the override. */
- (BOOL)setDebugIP:(nullable NSString *)ip
           forHost:(NSString *)host
             error:(NSError **)error NS_SWIFT_NAME(setDebugIP(_:forHost:));
- (BOOL)setBackupIPs:(MARS_ARRAY(NSString *) *)ips
             forHost:(NSString *)host
               error:(NSError **)error NS_SWIFT_NAME(setBackupIPs(_:forHost:));

- (BOOL)setForeground:(BOOL)foreground error:(NSError **)error NS_SWIFT_NAME(setForeground(_:));
/* The signed-in user's name (Mars's GetAccountInfo); nil or @"" means nobody
 * is signed in, which stretches the kept link's automatic reconnect
 * intervals as Mars does (mars_stn_set_account). */
- (BOOL)setAccountUserName:(nullable NSString *)userName
                     error:(NSError **)error NS_SWIFT_NAME(setAccount(userName:));
- (BOOL)networkDidChange:(MarsNetworkType)type
                   label:(nullable NSString *)label
                   error:(NSError **)error NS_SWIFT_NAME(networkDidChange(_:label:));

/* Mars's ProxyIsAvailable (mars_proxy_is_available): a GET / to
 * testHost:testPort (0: 80) through proxy; YES on status 200, 3xx or 497.
 * Blocks up to timeoutMs (0: 10 s): never call it from a delegate method.
 * *errorCode (may be NULL) is 0 when available, else the proxy's own code
 * (MARS_ECT_SOCKET_PROXY_*), the HTTP status of another answer, or -1.
 * NO with *error (MarsErrorInvalidArgument) for an unusable proxy (kind
 * none or unknown, address not host:port, a string too long) or port. */
+ (BOOL)proxyIsAvailable:(MarsProxyInfo *)proxy
                testHost:(NSString *)testHost
                    port:(int32_t)testPort
               timeoutMs:(int32_t)timeoutMs
               errorCode:(nullable int32_t *)errorCode
                   error:(NSError **)error;

- (BOOL)setSignallingPeriodMs:(int64_t)periodMs
                   keepTimeMs:(int64_t)keepTimeMs
                        error:(NSError **)error NS_SWIFT_NAME(setSignalling(periodMs:keepTimeMs:));
- (BOOL)keepSignalling:(NSError **)error;
- (BOOL)stopSignalling:(NSError **)error;

/* Switches the heartbeat mode from the next heartbeat slot. */
- (BOOL)setHeartbeatMode:(MarsHeartbeatMode)mode error:(NSError **)error NS_SWIFT_NAME(setHeartbeatMode(_:));
/* TrigNoop: one heartbeat now if connected and none is outstanding (how a
 * host drives MarsHeartbeatPassive). */
- (BOOL)trigNoop:(NSError **)error;

/* The periodic heartbeat interval in force now, in *ms: heartbeatIntervalMs
 * when fixed, the smart heartbeat's current value (210000 while a new
 * connection warms up) when smart, 0 when there is none (passive, or a
 * negative heartbeatIntervalMs). Waits for the engine; not from
 * trafficSent:. */
- (BOOL)heartbeatIntervalMs:(int64_t *)ms error:(NSError **)error NS_SWIFT_NAME(heartbeatInterval(ms:));

/* The engine's current network estimate, or nil (with *error) when closed.
 * Waits for the engine; not from trafficSent:. */
- (nullable MarsNetworkQuality *)networkQuality:(NSError **)error NS_SWIFT_NAME(networkQuality());

@end

NS_ASSUME_NONNULL_END
