/* harness.h — a tiny test runner for the C tests of libmars: register tests
 * with TEST(name), check with CHECK/CHECK_RC, wait for events with deadlines
 * (never sleeps as synchronisation), start marsd on loopback. Each program
 * prints "N passed, N failed" and exits non-zero on a failure. */
#ifndef MARS_TEST_HARNESS_H
#define MARS_TEST_HARNESS_H

#ifndef _GNU_SOURCE /* C++ compilers define it */
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mars.h"

typedef void (*test_fn)(void);
struct test_case {
    const char *name;
    test_fn fn;
};

#define MAX_TESTS 128
static struct test_case g_tests[MAX_TESTS];
static int g_ntests;
static int g_failed_now;

#define TEST(name)                                                              \
    static void name(void);                                                     \
    __attribute__((constructor)) static void register_##name(void) {            \
        if (g_ntests < MAX_TESTS) g_tests[g_ntests++] = (struct test_case){#name, name}; \
    }                                                                           \
    static void name(void)

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            g_failed_now = 1;                                                   \
            return;                                                             \
        }                                                                       \
    } while (0)

/* CHECK_RC compares two result codes and names both on failure. */
#define CHECK_RC(got, want)                                                     \
    do {                                                                        \
        int got_ = (got), want_ = (want);                                       \
        if (got_ != want_) {                                                    \
            fprintf(stderr, "  %s:%d: %s = %d (%s), want %d (%s)\n", __FILE__, \
                    __LINE__, #got, got_, mars_errstr(got_), want_, mars_errstr(want_)); \
            g_failed_now = 1;                                                   \
            return;                                                             \
        }                                                                       \
    } while (0)

/* run_tests runs every registered test whose name contains filter (NULL:
 * all) and not skip (NULL: none), and prints the summary line CI reads. */
static int run_tests(const char *filter, const char *skip) {
    int passed = 0, failed = 0;
    for (int i = 0; i < g_ntests; i++) {
        if (filter && !strstr(g_tests[i].name, filter)) continue;
        if (skip && strstr(g_tests[i].name, skip)) continue;
        g_failed_now = 0;
        g_tests[i].fn();
        printf("%s %s\n", g_failed_now ? "FAIL" : "ok  ", g_tests[i].name);
        fflush(stdout);
        if (g_failed_now) failed++; else passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}

/* ---- events with deadlines ---------------------------------------------- */

/* An event counter that callbacks bump and tests wait on. */
typedef struct event {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int count;
} event;

#define EVENT_INIT {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0}
#define TEST_TIMEOUT_MS 10000 /* for what must happen */

/* event_init readies e in memory set at run time (EVENT_INIT: static). */
static void event_init(event *e) {
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    e->count = 0;
}

static void event_reset(event *e) {
    pthread_mutex_lock(&e->mu);
    e->count = 0;
    pthread_mutex_unlock(&e->mu);
}

static void event_signal(event *e) {
    pthread_mutex_lock(&e->mu);
    e->count++;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

/* event_wait waits until e has been signalled at least n times; returns 0 on
 * success, -1 after timeout_ms. */
static int event_wait(event *e, int n, int timeout_ms) {
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += timeout_ms / 1000;
    dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) { dl.tv_sec++; dl.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&e->mu);
    int rc = 0;
    while (e->count < n && rc == 0) rc = pthread_cond_timedwait(&e->cv, &e->mu, &dl);
    int ok = e->count >= n;
    pthread_mutex_unlock(&e->mu);
    return ok ? 0 : -1;
}

static int event_count(event *e) {
    pthread_mutex_lock(&e->mu);
    int n = e->count;
    pthread_mutex_unlock(&e->mu);
    return n;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ---- xlog files ---------------------------------------------------------- */

/* find_xlog puts the path of the one <prefix>_*.xlog file in dir into out. */
static int find_xlog(const char *dir, const char *prefix, char *out, size_t n) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int found = -1;
    size_t pl = strlen(prefix);
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, pl) == 0 && e->d_name[pl] == '_' && l > 5 &&
            strcmp(e->d_name + l - 5, ".xlog") == 0) {
            snprintf(out, n, "%s/%s", dir, e->d_name);
            found = 0;
        }
    }
    closedir(d);
    return found;
}

/* ---- marsd on loopback --------------------------------------------------- */

typedef struct marsd {
    pid_t pid;
    FILE *out; /* marsd's stdout, kept open so its later writes never hit EPIPE */
    char long_host[64];
    uint16_t long_port;
    char short_host[64];
    uint16_t short_port;
    char extra_host[64]; /* the --long-extra listener, with marsd_start_extra */
    uint16_t extra_port;
} marsd;

/* split_hostport parses "127.0.0.1:1234" or "[::1]:1234". */
static int split_hostport(const char *s, char *host, size_t hostlen, uint16_t *port) {
    const char *colon = strrchr(s, ':');
    if (!colon) return -1;
    size_t n = (size_t)(colon - s);
    if (n > 1 && s[0] == '[' && s[n - 1] == ']') { s++; n -= 2; }
    if (n + 1 > hostlen) return -1;
    memcpy(host, s, n);
    host[n] = 0;
    *port = (uint16_t)atoi(colon + 1);
    return *port ? 0 : -1;
}

/* marsd_start_extra runs $MARSD (the reference server) on 127.0.0.1 port 0
 * and reads the address line it prints once it listens; extra (NULL: none)
 * names one more long-link listener (--long-extra), whose address goes to
 * d->extra_host and d->extra_port. */
static int marsd_start_extra(marsd *d, uint32_t client_version, const char *extra) {
    const char *bin = getenv("MARSD");
    if (!bin || !*bin) {
        fprintf(stderr, "  MARSD is not set (path of the marsd binary)\n");
        return -1;
    }
    int fds[2];
    if (pipe(fds) != 0) return -1;
    char ver[16];
    snprintf(ver, sizeof ver, "%u", client_version);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a crashed test */
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char arg[128];
        snprintf(arg, sizeof arg, "%s=127.0.0.1:0", extra ? extra : "");
        execl(bin, bin, "--long", "127.0.0.1:0", "--short", "127.0.0.1:0",
              "--client-version", ver, extra ? "--long-extra" : (char *)NULL, arg, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[512] = {0};
    char l[128] = {0}, s[128] = {0};
    int ok = f && fgets(line, sizeof line, f) &&
             sscanf(line, "marsd long=%127s short=%127s", l, s) == 2 &&
             split_hostport(l, d->long_host, sizeof d->long_host, &d->long_port) == 0 &&
             split_hostport(s, d->short_host, sizeof d->short_host, &d->short_port) == 0;
    if (ok && extra) {
        char key[96], x[128] = {0};
        snprintf(key, sizeof key, " long.%s=", extra);
        const char *at = strstr(line, key);
        ok = at && sscanf(at + strlen(key), "%127s", x) == 1 &&
             split_hostport(x, d->extra_host, sizeof d->extra_host, &d->extra_port) == 0;
    }
    if (!ok) {
        if (f) fclose(f);
        fprintf(stderr, "  marsd printed %s", line[0] ? line : "nothing\n");
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    d->pid = pid;
    d->out = f;
    return 0;
}

/* marsd_start runs marsd with its two usual listeners (marsd_start_extra). */
static int marsd_start(marsd *d, uint32_t client_version) {
    return marsd_start_extra(d, client_version, NULL);
}

static void marsd_stop(marsd *d) {
    if (d->pid > 0) {
        kill(d->pid, SIGTERM);
        waitpid(d->pid, NULL, 0);
        d->pid = 0;
    }
    if (d->out) {
        fclose(d->out);
        d->out = NULL;
    }
}

#endif /* MARS_TEST_HARNESS_H */
