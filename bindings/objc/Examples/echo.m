/* echo.m — the README's example: one task to a Mars long-link server, the
 * answer, a push, and a log line written and decoded.
 *   echo HOST PORT LOGDIR     (e.g. against marsd: echo 127.0.0.1 <long port> /tmp/logs) */
#import "Mars.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

@interface EchoDelegate : NSObject <MarsStnDelegate> {
@public
    NSCondition *done;
    int events; /* the task's end and the push */
}
@end

@implementation EchoDelegate
- (NSData *)stn:(MarsStn *)stn requestBodyForTask:(MarsTaskRef *)task channel:(MarsChannel)channel
           host:(NSString *)host errorCode:(int32_t *)errorCode {
    return [@"hello mars" dataUsingEncoding:NSUTF8StringEncoding];
}

- (MarsDecodeResult)stn:(MarsStn *)stn decodeResponse:(NSData *)body forTask:(MarsTaskRef *)task
                channel:(MarsChannel)channel errorCode:(int32_t *)errorCode {
    printf("response to task %u: %.*s\n", task.taskID, (int)[body length], (const char *)[body bytes]);
    return MarsDecodeOK;
}

- (void)stn:(MarsStn *)stn didReceivePush:(NSData *)body cmdID:(uint32_t)cmdID taskID:(uint32_t)taskID
    channel:(NSString *)channel {
    printf("push cmdid %u: %lu bytes\n", cmdID, (unsigned long)[body length]);
    [done lock];
    events++;
    [done signal];
    [done unlock];
}

- (int32_t)stn:(MarsStn *)stn taskDidEnd:(MarsTaskRef *)task errorType:(MarsTaskErrorType)errorType
     errorCode:(int32_t)errorCode profile:(MarsTaskProfile *)profile {
    printf("task %u ended: (%d, %d) in %lld ms\n", task.taskID, errorType, errorCode,
           profile ? profile.endTimeMs - profile.startTimeMs : -1LL);
    [done lock];
    events++;
    [done signal];
    [done unlock];
    return 0;
}
@end

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: echo HOST PORT LOGDIR\n");
        return 2;
    }
    int rc = 1;
    NSAutoreleasePool *pool = [NSAutoreleasePool new]; /* @autoreleasepool { with clang */
    NSError *error = nil;

    MarsXlogConfig *logConfig = [[[MarsXlogConfig alloc] init] autorelease];
    logConfig.logDir = [NSString stringWithUTF8String:argv[3]];
    MarsXlog *log = [[[MarsXlog alloc] initWithConfig:logConfig error:&error] autorelease];
    if (log == nil) {
        fprintf(stderr, "xlog: %s\n", [[error localizedDescription] UTF8String]);
        goto out;
    }

    EchoDelegate *delegate = [[[EchoDelegate alloc] init] autorelease];
    delegate->done = [[[NSCondition alloc] init] autorelease];
    MarsStnConfig *config = [[[MarsStnConfig alloc] init] autorelease];
    config.clientVersion = 200;
    config.longLinkHost = [NSString stringWithUTF8String:argv[1]];
    config.longLinkPorts = [NSArray arrayWithObject:[NSNumber numberWithInt:atoi(argv[2])]];
    MarsStn *stn = [[[MarsStn alloc] initWithConfig:config delegate:delegate error:&error] autorelease];
    if (stn == nil) {
        fprintf(stderr, "stn: %s\n", [[error localizedDescription] UTF8String]);
        goto out;
    }

    MarsTask *task = [[[MarsTask alloc] init] autorelease];
    task.cmdID = 10002; /* marsd: answer, then push the body back */
    task.channelSelect = MarsChannelLong;
    uint32_t taskID = [stn startTask:task error:&error];
    if (taskID == 0) {
        fprintf(stderr, "start: %s\n", [[error localizedDescription] UTF8String]);
    } else {
        MARS_LOG_INFO(log, @"echo", @"started task %u", taskID);
        [delegate->done lock];
        NSDate *deadline = [NSDate dateWithTimeIntervalSinceNow:10];
        while (delegate->events < 2)
            if (![delegate->done waitUntilDate:deadline]) break;
        rc = delegate->events == 2 ? 0 : 1;
        [delegate->done unlock];
    }
    [stn close]; /* releases the delegate; needed, the engine retains itself while open */

    [log close:NULL];
    NSString *dir = logConfig.logDir;
    for (NSString *name in [[NSFileManager defaultManager] contentsOfDirectoryAtPath:dir error:NULL])
        if ([name hasSuffix:@".xlog"]) {
            NSString *text = [MarsXlog decodedTextOfFileAtPath:[dir stringByAppendingPathComponent:name]
                                                    privateKey:nil
                                                         error:&error];
            printf("%s", [text UTF8String]);
        }
out:
    [pool drain];
    return rc;
}
