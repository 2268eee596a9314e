/* Mars.h — the Objective-C binding of libmars (include/mars.h): import this
 * one header. */
#import "MarsCompat.h"
#import "MarsError.h"
#import "MarsLibrary.h"
#import "MarsStnTypes.h"
#import "MarsStnConfig.h"
#import "MarsStn.h"
#import "MarsXlog.h"
#import "MarsSdt.h"
