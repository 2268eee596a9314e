/* MarsTestHarness.m — runner, events and marsd for the tests and benches. */
#import "MarsTestHarness.h"
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int gMarsTestFailed;
static void removeTempDirs(void);
Marsd gMarsd;

enum { kMaxTests = 128 };
static struct { const char *name; MarsTestFn fn; } gTests[kMaxTests];
static int gNumTests;

void MarsTestRegister(const char *name, MarsTestFn fn) {
    if (gNumTests < kMaxTests) {
        gTests[gNumTests].name = name;
        gTests[gNumTests].fn = fn;
        gNumTests++;
    }
}

int MarsTestRunAll(const char *filter) {
    int passed = 0, failed = 0;
    for (int i = 0; i < gNumTests; i++) {
        if (filter != NULL && strstr(gTests[i].name, filter) == NULL) continue;
        gMarsTestFailed = 0;
        MARS_POOL_BEGIN
        @try {
            gTests[i].fn();
        } @catch (id e) {
            fprintf(stderr, "  exception: %s\n", [[e description] UTF8String]);
            gMarsTestFailed = 1;
        }
        MARS_POOL_END
        printf("%s %s\n", gMarsTestFailed ? "FAIL" : "ok  ", gTests[i].name);
        fflush(stdout);
        if (gMarsTestFailed) failed++;
        else passed++;
    }
    MARS_POOL_BEGIN
    removeTempDirs();
    MARS_POOL_END
    printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    return failed == 0 && passed > 0 ? 0 : 1;
}

void MarsEventInit(MarsEvent *e) {
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    e->count = 0;
}

void MarsEventSignal(MarsEvent *e) {
    pthread_mutex_lock(&e->mu);
    e->count++;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

BOOL MarsEventWait(MarsEvent *e, int n, int timeoutMs) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeoutMs / 1000;
    deadline.tv_nsec += (long)(timeoutMs % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&e->mu);
    int rc = 0;
    while (e->count < n && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&e->cv, &e->mu, &deadline);
    BOOL ok = e->count >= n;
    pthread_mutex_unlock(&e->mu);
    return ok;
}

int MarsEventCount(MarsEvent *e) {
    pthread_mutex_lock(&e->mu);
    int n = e->count;
    pthread_mutex_unlock(&e->mu);
    return n;
}

/* Parses "HOST:PORT" (HOST without brackets) after key= in line. */
static BOOL parseAddr(const char *line, const char *key, char *host, size_t hostLen, uint16_t *port) {
    const char *p = strstr(line, key);
    if (p == NULL) return NO;
    p += strlen(key);
    const char *end = p + strcspn(p, " \n");
    const char *colon = end;
    while (colon > p && *colon != ':') colon--;
    if (*colon != ':' || (size_t)(colon - p) >= hostLen) return NO;
    memcpy(host, p, (size_t)(colon - p));
    host[colon - p] = 0;
    long v = strtol(colon + 1, NULL, 10);
    if (v <= 0 || v > 65535) return NO;
    *port = (uint16_t)v;
    return YES;
}

BOOL MarsdStart(Marsd *m, int clientVersion) {
    const char *bin = getenv("MARSD");
    if (bin == NULL || *bin == 0) {
        fprintf(stderr, "MARSD is not set (path of the marsd binary)\n");
        return NO;
    }
    int fds[2];
    if (pipe(fds) != 0) return NO;
    char version[16];
    snprintf(version, sizeof version, "%d", clientVersion);
    pid_t pid = fork();
    if (pid < 0) return NO;
    if (pid == 0) {
        /* marsd must not outlive a test run that is killed. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(bin, bin, "--long", "127.0.0.1:0", "--short", "127.0.0.1:0", "--long-extra", "second=127.0.0.1:0",
              "--client-version", version, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    m->pid = pid;
    char line[384];
    size_t n = 0;
    /* One line, read byte by byte so that nothing after it is consumed. */
    while (n + 1 < sizeof line && read(fds[0], line + n, 1) == 1 && line[n] != '\n') n++;
    line[n] = 0;
    m->stdoutFd = fds[0];
    char secondHost[64];
    if (!parseAddr(line, "long=", m->longHost, sizeof m->longHost, &m->longPort) ||
        !parseAddr(line, "short=", m->shortHost, sizeof m->shortHost, &m->shortPort) ||
        !parseAddr(line, "long.second=", secondHost, sizeof secondHost, &m->secondPort)) {
        fprintf(stderr, "marsd printed %s\n", line);
        MarsdStop(m);
        return NO;
    }
    return YES;
}

void MarsdStop(Marsd *m) {
    if (m->pid <= 0) return;
    kill(m->pid, SIGTERM);
    int status;
    waitpid(m->pid, &status, 0);
    m->pid = 0;
    close(m->stdoutFd);
}

/* Directories made by MarsTempDir, removed when the run ends. */
static NSMutableArray *gTempDirs;

NSString *MarsTempDir(void) {
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/mars-objc-test-XXXXXX", base != NULL && *base ? base : "/tmp");
    if (mkdtemp(tmpl) == NULL) return nil;
    NSString *dir = [NSString stringWithUTF8String:tmpl];
    if (gTempDirs == nil) gTempDirs = [[NSMutableArray alloc] init];
    [gTempDirs addObject:dir];
    return dir;
}

static void removeTempDirs(void) {
    for (NSString *dir in gTempDirs) [[NSFileManager defaultManager] removeItemAtPath:dir error:NULL];
    [gTempDirs removeAllObjects];
}
