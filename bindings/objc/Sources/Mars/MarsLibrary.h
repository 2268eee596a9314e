/* MarsLibrary.h — the loaded library's version, checked against the header
 * the binding was compiled with. */
#import "MarsCompat.h"

NS_ASSUME_NONNULL_BEGIN

@interface MarsLibrary : NSObject

/* The loaded library's version, "X.Y.Z" (mars_version). */
+ (NSString *)version;

/* The loaded library's X*1000000 + Y*1000 + Z (mars_version_number). */
+ (NSInteger)versionNumber;

/* Whether the loaded library has the named feature (mars_has_feature; the
 * names are listed in mars.h). NO for nil and for an unknown name. */
+ (BOOL)hasFeature:(nullable NSString *)name;

/* The MARS_VERSION_NUMBER of the header this binding was compiled with. */
+ (NSInteger)headerVersionNumber;

/* Checks that the loaded library fits the header (same major number).
 * MarsStn and MarsXlog call it before their first use and refuse to work on
 * a mismatch; call it at start-up to fail early. The result is computed once
 * per process. */
+ (BOOL)checkVersion:(NSError **)error;

/* The rule checkVersion: applies: YES if versionNumber's major number is
 * expectedMajor, else NO with MarsErrorVersionMismatch. */
+ (BOOL)checkVersionNumber:(NSInteger)versionNumber
             expectedMajor:(NSInteger)expectedMajor
                     error:(NSError **)error;

@end

NS_ASSUME_NONNULL_END
