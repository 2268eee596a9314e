/* MarsStnTypesPrivate.h — conversions between the value objects and their
 * mars.h structs. Not installed. */
#import "MarsStnTypes.h"
#import "MarsStnConfig.h"
#import "MarsLongLinkConfig.h"
#import "MarsPrivate.h"
#import "MarsXlog.h"

NS_ASSUME_NONNULL_BEGIN

@interface MarsStnConfig (MarsC)
/* Fills cfg (already initialised by mars_stn_config_init). Strings and
 * arrays live as long as the current autorelease pool. NO (with
 * MarsErrorInvalidArgument) for a port out of range, an SPKI hash that is
 * not 32 bytes or a string with a NUL. */
- (BOOL)marsFill:(mars_stn_config *)cfg error:(NSError **)error;
@end

@interface MarsLongLinkConfig (MarsC)
/* Fills c (already initialised); strings and arrays live as long as the
 * current autorelease pool. NO (MarsErrorInvalidArgument naming the
 * property) for a port out of range, an SPKI hash that is not 32 bytes or
 * a string with a NUL. */
- (BOOL)marsFill:(mars_longlink_config *)c error:(NSError **)error;
@end

@interface MarsXlog (MarsC)
/* The open mars_xlog handle, or NULL once closed. */
- (mars_xlog *_Nullable)marsXlogHandle;
@end

@interface MarsTask (MarsC)
/* Fills t (already initialised by mars_task_init) with the given id; the
 * memory it points to lives as long as the current autorelease pool. NO
 * (MarsErrorInvalidArgument naming the field) for a string with a NUL. */
- (BOOL)marsFill:(mars_task *)t taskID:(uint32_t)taskID error:(NSError **)error;
@end

@interface MarsTaskRef (MarsC)
+ (MarsTaskRef *)marsRefWith:(const mars_task_ref *)ref context:(id _Nullable)context;
@end

@interface MarsTaskProfile (MarsC)
+ (nullable MarsTaskProfile *)marsProfileWith:(const mars_task_profile *_Nullable)p;
@end

@interface MarsNetworkQuality (MarsC)
/* nil when q is NULL or its struct_size does not cover level and
 * dynamic_timeout. */
+ (nullable MarsNetworkQuality *)marsQualityWith:(const mars_network_quality *_Nullable)q;
@end

@interface MarsDnsProfile (MarsC)
/* nil when p is NULL or its struct_size does not cover error. */
+ (nullable MarsDnsProfile *)marsDnsProfileWith:(const mars_dns_profile *_Nullable)p;
@end

@interface MarsProxyInfo (MarsC)
/* Copies the proxy into info (zeroed, struct_size set by the caller); NO
 * when a string does not fit or holds a NUL. */
- (BOOL)marsFill:(mars_proxy_info *)info;
@end

/* A C array of the strings' UTF-8 copies (MarsCStringChecked each, so a
 * NUL is refused naming field), alive for the current pool; NULL for an
 * empty or nil array. */
BOOL MarsCStringArray(NSArray *_Nullable strings, const char *field,
                      const char *_Nonnull const *_Nullable *_Nonnull out, NSError *_Nullable *_Nullable error);

/* Ports (NSNumbers in 1..65535) as a C array alive for the current pool
 * (NULL when empty), or NO with MarsErrorInvalidArgument naming name. */
BOOL MarsFillPorts(NSArray *_Nullable ports, NSString *name, const uint16_t *_Nullable *_Nonnull out,
                   NSError *_Nullable *_Nullable error);

/* Pinned hashes as one C array of 32-byte entries (alive for the current
 * pool) in *out and their count in *len, or NO naming name. */
BOOL MarsFillPins(NSArray *_Nullable hashes, NSString *name, const uint8_t *_Nullable *_Nonnull out,
                  size_t *len, NSError *_Nullable *_Nullable error);

NS_ASSUME_NONNULL_END
