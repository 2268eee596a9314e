/* MarsLibrary.m — version check, done once per process, and the fork
 * guard. */
#import "MarsLibrary.h"
#import "MarsPrivate.h"
#include <pthread.h>
#include <unistd.h>

/* The Go runtime inside libmars starts when the library is loaded and does
 * not survive fork(): its threads are not copied, so a call in the child can
 * wait forever. The process that loaded the binding is recorded at load
 * time; fork() in libc marks the child at once (no system call on the
 * per-call path), and the pid comparison catches a child made otherwise. */
static pid_t gLoaderPid;
static int gForked;

static void markForkedChild(void) {
    __atomic_store_n(&gForked, 1, __ATOMIC_SEQ_CST);
}

__attribute__((constructor)) static void recordLoader(void) {
    gLoaderPid = getpid();
    pthread_atfork(NULL, NULL, markForkedChild);
}

BOOL MarsInForkedChild(BOOL thorough) {
    if (__atomic_load_n(&gForked, __ATOMIC_SEQ_CST)) return YES;
    return thorough && getpid() != gLoaderPid;
}

BOOL MarsRefuseForkedChild(BOOL thorough, NSError **error) {
    if (!MarsInForkedChild(thorough)) return NO;
    MarsFail(MarsErrorForkedChild,
             @"libmars cannot be used in a forked child (the Go runtime does not survive fork); "
             @"use it from the process that loaded it, or exec in the child first",
             error);
    return YES;
}

static pthread_once_t gVersionOnce = PTHREAD_ONCE_INIT;
static int gLoadedNumber;

static void readLoadedVersion(void) {
    gLoadedNumber = mars_version_number();
}

BOOL MarsEnsureLibrary(NSError **error) {
    if (MarsRefuseForkedChild(YES, error)) return NO;
    pthread_once(&gVersionOnce, readLoadedVersion);
    return [MarsLibrary checkVersionNumber:gLoadedNumber
                             expectedMajor:MARS_VERSION_MAJOR
                                     error:error];
}

@implementation MarsLibrary

+ (NSString *)version {
    return MarsInForkedChild(YES) ? @"" : MarsString(mars_version());
}

+ (NSInteger)versionNumber {
    return MarsInForkedChild(YES) ? 0 : mars_version_number();
}

+ (BOOL)hasFeature:(NSString *)name {
    const char *cname;
    if (name == nil || MarsInForkedChild(YES) || !MarsCStringChecked(name, "name", &cname, NULL)) return NO;
    return mars_has_feature(cname) == 1;
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
