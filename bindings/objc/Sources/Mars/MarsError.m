/* MarsError.m — result codes to NSError (the only place), and the helpers
 * every other file uses at the C edge. */
#import "MarsPrivate.h"
#include <pthread.h>

NSString *const MarsErrorDomain = @"MarsErrorDomain";
NSString *const MarsErrorDetailKey = @"MarsErrorDetail";
NSString *const MarsErrorPartialDataKey = @"MarsErrorPartialData";

/* The binding's enum must keep mars.h's numbers. */
_Static_assert(MarsErrorInvalidArgument == MARS_EINVAL, "MARS_EINVAL");
_Static_assert(MarsErrorBadHandle == MARS_EBADHANDLE, "MARS_EBADHANDLE");
_Static_assert(MarsErrorRange == MARS_ERANGE, "MARS_ERANGE");
_Static_assert(MarsErrorState == MARS_ESTATE, "MARS_ESTATE");
_Static_assert(MarsErrorClosed == MARS_ECLOSED, "MARS_ECLOSED");
_Static_assert(MarsErrorInternal == MARS_EINTERNAL, "MARS_EINTERNAL");
_Static_assert(MarsErrorIO == MARS_EIO, "MARS_EIO");
_Static_assert(MarsErrorLimit == MARS_ELIMIT, "MARS_ELIMIT");
_Static_assert(MarsErrorUnsupported == MARS_EUNSUPPORTED, "MARS_EUNSUPPORTED");
_Static_assert(MarsErrorFormat == MARS_EFORMAT, "MARS_EFORMAT");
_Static_assert(MarsErrorPartial == MARS_EPARTIAL, "MARS_EPARTIAL");
_Static_assert(MarsErrorNoMemory == MARS_ENOMEM, "MARS_ENOMEM");

enum { kMarsDetailMax = 1024 };

static NSString *detailText(MarsDetailSource source, void *handle) {
    char buf[kMarsDetailMax];
    buf[0] = 0;
    int rc = MARS_EINVAL;
    if (source == MarsDetailStn)
        rc = mars_stn_errmsg((mars_stn *)handle, buf, sizeof buf);
    else if (source == MarsDetailXlog)
        rc = mars_xlog_errmsg((mars_xlog *)handle, buf, sizeof buf);
    if ((rc != MARS_OK && rc != MARS_ERANGE) || buf[0] == 0) return nil;
    return MarsString(buf);
}

BOOL MarsCheck(int rc, MarsDetailSource source, void *handle, NSError **error) {
    if (rc == MARS_OK) return YES;
    if (error == NULL) return NO;
    NSMutableDictionary *info = [NSMutableDictionary dictionary];
    NSString *text = MarsString(mars_errstr(rc));
    NSString *detail = detailText(source, handle);
    if (detail != nil) {
        [info setObject:detail forKey:MarsErrorDetailKey];
        text = [NSString stringWithFormat:@"%@: %@", text, detail];
    }
    [info setObject:text forKey:NSLocalizedDescriptionKey];
    *error = [NSError errorWithDomain:MarsErrorDomain code:rc userInfo:info];
    return NO;
}

BOOL MarsFail(NSInteger code, NSString *description, NSError **error) {
    if (error != NULL) {
        NSDictionary *info = [NSDictionary dictionaryWithObject:description
                                                         forKey:NSLocalizedDescriptionKey];
        *error = [NSError errorWithDomain:MarsErrorDomain code:code userInfo:info];
    }
    return NO;
}

NSString *MarsString(const char *s) {
    if (s == NULL) return @"";
    NSString *str = [NSString stringWithUTF8String:s];
    if (str == nil) str = [NSString stringWithCString:s encoding:NSISOLatin1StringEncoding];
    return str != nil ? str : @"";
}

/* The one place an NSString becomes C text: standard UTF-8 written from the
 * string's UTF-16 units, so it never fails (GNUstep's UTF8String returns NULL
 * or throws for an unpaired surrogate). An unpaired surrogate becomes U+FFFD
 * and a U+0000 becomes U+2400, so nothing after it is cut off; *hadNul tells
 * the callers that refuse a NUL instead. The bytes live in an autoreleased
 * buffer (the current pool). */
static const char *utf8Of(NSString *s, BOOL *hadNul) {
    NSUInteger n = [s length];
    NSMutableData *units = [NSMutableData dataWithLength:(n ? n : 1) * sizeof(unichar)];
    unichar *in = (unichar *)[units mutableBytes];
    [s getCharacters:in range:NSMakeRange(0, n)];
    NSMutableData *mem = [NSMutableData dataWithLength:n * 3 + 1];
    unsigned char *o = (unsigned char *)[mem mutableBytes];
    for (NSUInteger i = 0; i < n; i++) {
        uint32_t c = in[i];
        if (c == 0) {
            c = 0x2400;
            *hadNul = YES;
        } else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        if (c < 0x80) {
            *o++ = (unsigned char)c;
        } else if (c < 0x800) {
            *o++ = (unsigned char)(0xC0 | c >> 6);
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *o++ = (unsigned char)(0xE0 | c >> 12);
            *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (unsigned char)(0xF0 | c >> 18);
            *o++ = (unsigned char)(0x80 | (c >> 12 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    *o = 0;
    return (const char *)[mem bytes];
}

const char *MarsCString(NSString *s) {
    if (s == nil) return NULL;
    if (![s isKindOfClass:[NSString class]]) s = [s description];
    BOOL hadNul = NO;
    return utf8Of(s, &hadNul);
}

BOOL MarsCStringChecked(NSString *s, const char *field, const char **out, NSError **error) {
    *out = NULL;
    if (s == nil) return YES;
    if (![s isKindOfClass:[NSString class]]) s = [s description];
    BOOL hadNul = NO;
    const char *text = utf8Of(s, &hadNul);
    if (hadNul)
        return MarsFail(MarsErrorInvalidArgument,
                        [NSString stringWithFormat:@"%s: contains a NUL character", field], error);
    *out = text;
    return YES;
}

/* ---- callback threads -------------------------------------------------- */

#if defined(GNUSTEP)
static pthread_key_t gRegisteredKey;
static pthread_once_t gRegisteredOnce = PTHREAD_ONCE_INIT;

/* Runs when a registered foreign thread exits. */
static void unregisterThread(void *unused) {
    (void)unused;
    GSUnregisterCurrentThread();
}

static void makeRegisteredKey(void) {
    pthread_key_create(&gRegisteredKey, unregisterThread);
}

/* Set once this thread has been seen; cheaper than asking GNUstep. */
static __thread int tThreadReady;

void MarsCallbackEnter(void) {
    if (tThreadReady) return;
    tThreadReady = 1;
    pthread_once(&gRegisteredOnce, makeRegisteredKey);
    /* NO means GNUstep already knew the thread (an NSThread calling in); we
     * then leave its unregistration to GNUstep. */
    if (GSRegisterCurrentThread()) pthread_setspecific(gRegisteredKey, (void *)1);
}
#else
void MarsCallbackEnter(void) {}
#endif
