/* MarsSdt.m — mars_sdt_check with NSString/NSDictionary at the edges. */
#import "MarsSdt.h"
#import "MarsPrivate.h"

_Static_assert(MarsSdtCheckAll == MARS_SDT_CHECK_ALL && MarsSdtCheckNetState == MARS_SDT_CHECK_NETSTATE,
               "sdt checks");

@implementation MarsSdt

+ (NSString *)checkJSON:(NSString *)requestJSON clientVersion:(uint32_t)clientVersion error:(NSError **)error {
    if (!MarsEnsureLibrary(error)) return nil;
    char *report = NULL;
    size_t len = 0;
    const char *json;
    if (!MarsCStringChecked(requestJSON, "requestJSON", &json, error)) return nil;
    int rc = mars_sdt_check(json, clientVersion, &report, &len);
    if (!MarsCheck(rc, MarsDetailStn, NULL, error)) return nil;
    NSString *s = MARS_AUTORELEASE([[NSString alloc] initWithBytes:report length:len
                                                          encoding:NSUTF8StringEncoding]);
    mars_free(report);
    if (s == nil) MarsFail(MarsErrorFormat, @"the report is not UTF-8", error);
    return s;
}

+ (NSDictionary *)checkRequest:(NSDictionary *)request clientVersion:(uint32_t)clientVersion
                         error:(NSError **)error {
    NSData *json = [NSJSONSerialization dataWithJSONObject:request options:0 error:NULL];
    if (json == nil) {
        MarsFail(MarsErrorInvalidArgument, @"the request is not JSON-serialisable", error);
        return nil;
    }
    NSString *text = MARS_AUTORELEASE([[NSString alloc] initWithData:json encoding:NSUTF8StringEncoding]);
    NSString *report = [self checkJSON:text clientVersion:clientVersion error:error];
    if (report == nil) return nil;
    id obj = [NSJSONSerialization JSONObjectWithData:[report dataUsingEncoding:NSUTF8StringEncoding]
                                             options:0
                                               error:NULL];
    if (![obj isKindOfClass:[NSDictionary class]]) {
        MarsFail(MarsErrorFormat, @"the report is not a JSON object", error);
        return nil;
    }
    return obj;
}

@end
