/* MarsSdt.h — active network diagnosis (mars_sdt_check): DNS, TCP, a
 * long-link heartbeat, HTTP, ping and local network state, as a user's
 * "it does not work" report needs. */
#import "MarsCompat.h"

NS_ASSUME_NONNULL_BEGIN

/* MARS_SDT_CHECK_* bits of a request's "checks" (0 = all). */
typedef NS_OPTIONS(uint32_t, MarsSdtChecks) {
    MarsSdtCheckDNS = 1,
    MarsSdtCheckTCP = 2,
    MarsSdtCheckLongLink = 4,
    MarsSdtCheckHTTP = 8,
    MarsSdtCheckPing = 16,
    MarsSdtCheckNetState = 32,
    MarsSdtCheckAll = 63,
};

@interface MarsSdt : NSObject

/* Runs the check described by requestJSON (see mars.h: "servers", "http",
 * "ping", "checks", "timeout_ms") and returns the JSON report. Blocks until
 * every check ends or the request's timeout passes: never call it from a
 * delegate method. MarsErrorInvalidArgument for a malformed request (detail
 * in MarsErrorDetailKey). A report whose "ok" is false is not an error. */
+ (nullable NSString *)checkJSON:(NSString *)requestJSON
                   clientVersion:(uint32_t)clientVersion
                           error:(NSError **)error NS_SWIFT_NAME(check(json:clientVersion:));

/* checkJSON: with Foundation objects on both sides (NSJSONSerialization). */
+ (nullable MARS_DICT(NSString *, id) *)checkRequest:(MARS_DICT(NSString *, id) *)request
                                       clientVersion:(uint32_t)clientVersion
                                               error:(NSError **)error
    NS_SWIFT_NAME(check(request:clientVersion:));

@end

NS_ASSUME_NONNULL_END
