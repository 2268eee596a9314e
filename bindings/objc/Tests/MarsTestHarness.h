/* MarsTestHarness.h — a small runner for the binding's tests: TEST(name)
 * registers a test, CHECK/CHECK_EQ fail it, MarsEvent lets tests wait for
 * callbacks with a deadline (never sleeping as synchronisation), and
 * MarsdStart runs the reference server on loopback port 0. The runner prints
 * "N passed, N failed" and exits non-zero on any failure. */
#import "Mars.h"
#include <pthread.h>
#include <stdio.h>

typedef void (*MarsTestFn)(void);
void MarsTestRegister(const char *name, MarsTestFn fn);
int MarsTestRunAll(const char *filter);

extern int gMarsTestFailed; /* set by CHECK in the running test */

#define TEST(name)                                                          \
    static void name(void);                                                 \
    __attribute__((constructor)) static void register_##name(void) {        \
        MarsTestRegister(#name, name);                                      \
    }                                                                       \
    static void name(void)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            gMarsTestFailed = 1;                                            \
            return;                                                         \
        }                                                                   \
    } while (0)

#define CHECK_EQ(got, want)                                                 \
    do {                                                                    \
        long long got_ = (long long)(got), want_ = (long long)(want);       \
        if (got_ != want_) {                                                \
            fprintf(stderr, "  %s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, got_, want_); \
            gMarsTestFailed = 1;                                            \
            return;                                                         \
        }                                                                   \
    } while (0)

/* CHECK_ERR checks that err is a MarsErrorDomain error with code want. */
#define CHECK_ERR(err, want)                                                \
    do {                                                                    \
        NSError *e_ = (err);                                                \
        CHECK(e_ != nil);                                                   \
        CHECK([[e_ domain] isEqualToString:MarsErrorDomain]);               \
        CHECK_EQ([e_ code], (want));                                        \
    } while (0)

/* Deadline for what must happen (ms). */
enum { kTestTimeoutMs = 10000 };

/* A counter callbacks bump and tests wait on. */
typedef struct MarsEvent {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int count;
} MarsEvent;

void MarsEventInit(MarsEvent *e);
void MarsEventSignal(MarsEvent *e);
/* YES once count >= n, NO after timeoutMs. */
BOOL MarsEventWait(MarsEvent *e, int n, int timeoutMs);
int MarsEventCount(MarsEvent *e);

/* The reference server, started once per run. */
typedef struct Marsd {
    pid_t pid;
    int stdoutFd; /* kept open so that marsd never writes to a closed pipe */
    char longHost[64];
    uint16_t longPort;
    char shortHost[64];
    uint16_t shortPort;
    uint16_t secondPort; /* the long-link listener of the link named "second" */
} Marsd;

extern Marsd gMarsd;
/* Starts $MARSD on 127.0.0.1 port 0, with a second long-link listener
 * (--long-extra second=...), and reads its address line. */
BOOL MarsdStart(Marsd *m, int clientVersion);
void MarsdStop(Marsd *m);

/* A fresh empty directory under $TMPDIR. */
NSString *MarsTempDir(void);
