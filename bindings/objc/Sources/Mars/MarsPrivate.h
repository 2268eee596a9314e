/* MarsPrivate.h — what the binding's own files share: the C header, the one
 * code-to-NSError mapping and the callback thread scope. Not installed. */
#import "MarsError.h"
#include "mars.h"

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

/* MarsEnsureLibrary checks once per process that the loaded library's major
 * version equals the header's; every entry point that creates an object
 * calls it and refuses a mismatch. */
BOOL MarsEnsureLibrary(NSError *_Nullable *_Nullable error);

/* MarsCallbackEnter prepares a library thread for Objective-C: on GNUstep it
 * registers the (foreign, Go-created) thread once per thread. Call it first
 * in every C callback, before any message is sent. */
void MarsCallbackEnter(void);

/* A C string from the library as an NSString (autoreleased; "" for NULL;
 * invalid UTF-8 decoded as Latin-1 rather than lost). */
NSString *MarsString(const char *_Nullable s);

/* A UTF-8 copy that lives as long as the current autorelease pool. */
const char *_Nullable MarsCString(NSString *_Nullable s);

NS_ASSUME_NONNULL_END
