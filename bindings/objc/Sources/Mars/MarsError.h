/* MarsError.h — every failure of the binding is an NSError in one domain,
 * MarsErrorDomain, whose codes are mars.h's MARS_E* result codes (the same
 * numbers) plus a few codes of the binding itself from 1000 on, so that the
 * library's list can grow without a clash. */
#import "MarsCompat.h"

NS_ASSUME_NONNULL_BEGIN

/* The one error domain of the binding. */
extern NSString *const MarsErrorDomain;

/* userInfo key: the library's detail text (mars_*_errmsg) when it had one.
 * The code is the contract, the text a hint. */
extern NSString *const MarsErrorDetailKey;

/* userInfo key of a MarsErrorPartial error from the decoder: an NSData with
 * the text that could be decoded from the damaged file. */
extern NSString *const MarsErrorPartialDataKey;

/* Error codes (Swift: thrown as MarsError, codes MarsError.Code). 1..99
 * are mars.h's MARS_E* numbers, never renumbered; a newer library's new
 * codes come through unchanged even when this list lacks them. */
#if defined(NS_ERROR_ENUM)
typedef NS_ERROR_ENUM(MarsErrorDomain, MarsError) {
#else
typedef NS_ENUM(NSInteger, MarsError) {
#endif
    MarsErrorInvalidArgument = 1, /* MARS_EINVAL: NULL, bad length or out-of-range value */
    MarsErrorBadHandle = 2,       /* MARS_EBADHANDLE */
    MarsErrorRange = 3,           /* MARS_ERANGE: output truncated */
    MarsErrorState = 4,           /* MARS_ESTATE */
    MarsErrorClosed = 5,          /* MARS_ECLOSED; also any call on a closed wrapper */
    MarsErrorInternal = 6,        /* MARS_EINTERNAL: a recovered panic in the library */
    MarsErrorIO = 7,              /* MARS_EIO: a file or system call failed */
    MarsErrorLimit = 8,           /* MARS_ELIMIT: too many live objects, or handles used up */
    MarsErrorUnsupported = 9,     /* MARS_EUNSUPPORTED: not in this build */
    MarsErrorFormat = 10,         /* MARS_EFORMAT */
    MarsErrorPartial = 11,        /* MARS_EPARTIAL: damaged input; see MarsErrorPartialDataKey */
    MarsErrorNoMemory = 12,       /* MARS_ENOMEM: an allocation failed; nothing was changed */
    /* The loaded library's major version differs from the header's. */
    MarsErrorVersionMismatch = 1000,
    /* Called in a forked child of the process that loaded libmars: the Go
     * runtime does not survive fork(), so the binding refuses at once
     * instead of hanging. */
    MarsErrorForkedChild = 1001,
};

NS_ASSUME_NONNULL_END
