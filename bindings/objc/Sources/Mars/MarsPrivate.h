/* MarsPrivate.h — what the binding's own files share: the C header, the one
 * code-to-NSError mapping and the callback thread scope. Not installed. */
#import "MarsError.h"
#include "mars.h"
#include <string.h>

NS_ASSUME_NONNULL_BEGIN

/* Where a failed call's detail text is read from. */
typedef NS_ENUM(NSInteger, MarsDetailSource) {
    MarsDetailNone = 0,
    MarsDetailStn = 1,  /* mars_stn_errmsg(handle) */
    MarsDetailXlog = 2, /* mars_xlog_errmsg(handle) */
};

/* MarsCheck is the one place that turns a mars.h result code into an
 * NSError: it returns YES for MARS_OK; otherwise it fills *error (if error is
 * not NULL) with code rc, mars_errstr's text and the handle's detail text,
 * and returns NO. handle may be NULL (the process-wide detail). */
BOOL MarsCheck(int rc, MarsDetailSource source, void *_Nullable handle,
               NSError *_Nullable *_Nullable error);

/* MarsFail fills *error with a binding-made error and returns NO. */
BOOL MarsFail(NSInteger code, NSString *description, NSError *_Nullable *_Nullable error);

/* MarsEnsureLibrary refuses a forked child (MarsErrorForkedChild) and
 * checks once per process that the loaded library's major version equals
 * the header's; every entry point that creates an object calls it and
 * refuses a mismatch. */
BOOL MarsEnsureLibrary(NSError *_Nullable *_Nullable error);

/* MarsInForkedChild says whether this process is a fork of the one that
 * loaded the binding, where libmars must not be called (its Go runtime did
 * not survive). thorough adds a getpid() comparison to the flag fork()
 * sets; creation paths use it, per-call paths only read the flag. */
BOOL MarsInForkedChild(BOOL thorough);

/* MarsRefuseForkedChild fills *error with MarsErrorForkedChild and returns
 * YES in a forked child; NO (nothing filled) otherwise. MarsEnsureLibrary
 * and every wrapper's handle lookup call it. */
BOOL MarsRefuseForkedChild(BOOL thorough, NSError *_Nullable *_Nullable error);

/* MARS_DEFAULTS fills struct var with the library's defaults (init(&var, sizeof var), a *_init_sized),
 * or with zeros in a forked child, where calling the library would hang:
 * a value object made there is only good for a call that then fails with
 * MarsErrorForkedChild. */
#define MARS_DEFAULTS(init, var)                      \
    do {                                              \
        memset(&(var), 0, sizeof(var));               \
        if (!MarsInForkedChild(NO)) init(&(var), sizeof(var)); \
    } while (0)

/* MarsCallbackEnter prepares a library thread for Objective-C: on GNUstep it
 * registers the (foreign, Go-created) thread once per thread. Call it first
 * in every C callback, before any message is sent. */
void MarsCallbackEnter(void);

/* A C string from the library as an NSString (autoreleased; "" for NULL;
 * invalid UTF-8 decoded as Latin-1 rather than lost). */
NSString *MarsString(const char *_Nullable s);

/* Text for C, decided here for the whole binding: standard UTF-8, an
 * unpaired surrogate as U+FFFD, never NULL for a non-nil string, the bytes
 * alive as long as the current autorelease pool; a non-string object gives
 * its description. A NUL cannot pass a C string, so:
 *
 * MarsCString (log text, and what delegate methods hand back, which has no
 * error path) writes a NUL as U+2400, keeping what follows it; */
const char *_Nullable MarsCString(NSString *_Nullable s);

/* MarsCStringChecked (every other argument: config and task strings, host
 * lists, paths, keys) refuses it: NO with MarsErrorInvalidArgument naming
 * field. nil gives *out = NULL (the default) and YES. */
BOOL MarsCStringChecked(NSString *_Nullable s, const char *field, const char *_Nullable *_Nonnull out,
                        NSError *_Nullable *_Nullable error);

NS_ASSUME_NONNULL_END
