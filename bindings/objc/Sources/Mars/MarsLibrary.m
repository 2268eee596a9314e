/* MarsLibrary.m — version check, done once per process. */
#import "MarsLibrary.h"
#import "MarsPrivate.h"
#include <pthread.h>

static pthread_once_t gVersionOnce = PTHREAD_ONCE_INIT;
static int gLoadedNumber;

static void readLoadedVersion(void) {
    gLoadedNumber = mars_version_number();
}

BOOL MarsEnsureLibrary(NSError **error) {
    pthread_once(&gVersionOnce, readLoadedVersion);
    return [MarsLibrary checkVersionNumber:gLoadedNumber
                             expectedMajor:MARS_VERSION_MAJOR
                                     error:error];
}

@implementation MarsLibrary

+ (NSString *)version {
    return MarsString(mars_version());
}

+ (NSInteger)versionNumber {
    return mars_version_number();
}

+ (BOOL)hasFeature:(NSString *)name {
    if (name == nil) return NO;
    return mars_has_feature([name UTF8String]) == 1;
}

+ (NSInteger)headerVersionNumber {
    return MARS_VERSION_NUMBER;
}

+ (BOOL)checkVersion:(NSError **)error {
    return MarsEnsureLibrary(error);
}

+ (BOOL)checkVersionNumber:(NSInteger)versionNumber
             expectedMajor:(NSInteger)expectedMajor
                     error:(NSError **)error {
    NSInteger major = versionNumber / 1000000;
    if (major == expectedMajor) return YES;
    NSString *text = [NSString stringWithFormat:
        @"libmars major version %ld does not match the expected %ld (library %ld, header %s)",
        (long)major, (long)expectedMajor, (long)versionNumber, MARS_VERSION_STRING];
    return MarsFail(MarsErrorVersionMismatch, text, error);
}

@end
