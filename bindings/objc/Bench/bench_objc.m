/* bench_objc.m — the binding's benchmarks, the same two measurements as
 * bench_c.c but through MarsStn and a delegate:
 *   round trip: one long-link echo task at a time, microseconds per task;
 *   pipelined:  batches of tasks started at once (each batch waited for),
 *               delegate calls per second (requestBody, decodeResponse,
 *               taskDidEnd: three per task).
 * Needs MARSD. Usage: bench-objc [round_trips] [batches] [batch] */
#import "MarsTestHarness.h"
#include <stdlib.h>
#include <time.h>

@interface BenchDelegate : NSObject <MarsStnDelegate> {
@public
    MarsEvent ended;
    long ok;
}
@end

@implementation BenchDelegate
- (NSData *)stn:(MarsStn *)s requestBodyForTask:(MarsTaskRef *)task channel:(MarsChannel)channel
           host:(NSString *)host errorCode:(int32_t *)errorCode {
    char body[32];
    int n = snprintf(body, sizeof body, "task %u", task.taskID);
    return [NSData dataWithBytes:body length:(NSUInteger)n];
}
- (MarsDecodeResult)stn:(MarsStn *)s decodeResponse:(NSData *)body forTask:(MarsTaskRef *)task
                channel:(MarsChannel)channel errorCode:(int32_t *)errorCode {
    char want[32];
    int n = snprintf(want, sizeof want, "task %u", task.taskID);
    return (NSUInteger)n == [body length] && memcmp([body bytes], want, (size_t)n) == 0 ? MarsDecodeOK
                                                                                        : MarsDecodeTaskEnd;
}
- (int32_t)stn:(MarsStn *)s taskDidEnd:(MarsTaskRef *)task errorType:(MarsTaskErrorType)errorType
     errorCode:(int32_t)errorCode profile:(MarsTaskProfile *)profile {
    if (errorType == MarsTaskErrorOK) __atomic_add_fetch(&ok, 1, __ATOMIC_SEQ_CST);
    MarsEventSignal(&ended);
    return 0;
}
@end

static double nowSeconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(long rounds, long batches, long batch) {
    long piped = batches * batch;
    BenchDelegate *d = MARS_AUTORELEASE([[BenchDelegate alloc] init]);
    MarsEventInit(&d->ended);
    MarsStnConfig *c = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
    c.clientVersion = 200;
    c.longLinkHost = [NSString stringWithUTF8String:gMarsd.longHost];
    c.longLinkPorts = [NSArray arrayWithObject:[NSNumber numberWithInt:gMarsd.longPort]];
    NSError *err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:d error:&err]);
    if (s == nil) return 1;
    MarsTask *t = MARS_AUTORELEASE([[MarsTask alloc] init]);
    t.cmdID = 100;
    t.channelSelect = MarsChannelLong;
    t.limitFlow = NO;
    t.limitFrequency = NO;
    [s startTask:t error:NULL]; /* connect once before measuring */
    MarsEventWait(&d->ended, 1, 10000);
    double t0 = nowSeconds();
    for (long i = 0; i < rounds; i++) {
        [s startTask:t error:NULL];
        MarsEventWait(&d->ended, (int)(2 + i), 10000);
    }
    double rt = nowSeconds() - t0;
    t0 = nowSeconds();
    for (long b = 0; b < batches; b++) {
        MARS_POOL_BEGIN
        for (long i = 0; i < batch; i++) [s startTask:t error:NULL];
        MARS_POOL_END
        MarsEventWait(&d->ended, (int)(1 + rounds + (b + 1) * batch), 60000);
    }
    double pt = nowSeconds() - t0;
    long ended = MarsEventCount(&d->ended);
    printf("objc: round trip %.1f us/task (%ld tasks); pipelined %.0f tasks/s, %.0f callbacks/s (%ld x %ld tasks); ok %ld/%ld\n",
           rt / (double)rounds * 1e6, rounds, (double)piped / pt, 3.0 * (double)piped / pt, batches, batch, d->ok,
           ended);
    [s close];
    return d->ok == ended ? 0 : 1;
}

int main(int argc, char **argv) {
    int rc = 1;
    MARS_POOL_BEGIN
    if (MarsdStart(&gMarsd, 200)) {
        rc = run(argc > 1 ? atol(argv[1]) : 2000, argc > 2 ? atol(argv[2]) : 50, argc > 3 ? atol(argv[3]) : 100);
        MarsdStop(&gMarsd);
    }
    MARS_POOL_END
    return rc;
}
