/* stnload: the STN workload of `make bench-stn`, through the C ABI.
 *
 *   stnload HOST PORT INFLIGHT TASKS
 *
 * Connects the long link to marsd at HOST:PORT (one echo task, not
 * counted), then keeps INFLIGHT echo tasks (cmdid 100, empty body,
 * anti-avalanche limits off) in
 * flight until TASKS have ended. Prints "elapsed_ns=... ok=... failed=...
 * p50_us=... p99_us=... cpu_s=<CPU of the timed part> hwm_kb=<peak RSS>".
 * A task's latency runs from just before mars_stn_start_task to its
 * on_task_end. */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "mars.h"
#include "loadutil.h"

#define CMD_ECHO 100

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long outstanding, ended, ok, failed;
static int64_t *latency_ns; /* one per counted task, in end order */
static long counted_from = 1; /* the first (connecting) task is not counted */

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int on_task_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p) {
    (void)ud, (void)ec, (void)p;
    int64_t lat = now_ns() - (int64_t)(intptr_t)t->user_context;
    pthread_mutex_lock(&mu);
    if (ended >= counted_from) latency_ns[ended - counted_from] = lat;
    ended++;
    outstanding--;
    if (et == MARS_ECT_OK) ok++;
    else if (failed++ == 0)
        fprintf(stderr, "stnload: first failure: err_type %d err_code %d\n", et, ec);
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

static int start(mars_stn *s) {
    mars_task t;
    mars_task_init(&t);
    t.cmdid = CMD_ECHO;
    t.channel_select = MARS_CHANNEL_LONG;
    /* Every task sends the same (empty) body; a real host's differ, so the
     * anti-avalanche limits that would reject repeats are off. */
    t.limit_frequency = 0;
    t.limit_flow = 0;
    t.user_context = (void *)(intptr_t)now_ns();
    return mars_stn_start_task(s, &t, NULL);
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: stnload HOST PORT INFLIGHT TASKS\n");
        return 2;
    }
    uint16_t port = (uint16_t)atoi(argv[2]);
    long inflight = atol(argv[3]), tasks = atol(argv[4]);
    if (inflight < 1 || tasks < 1) {
        fprintf(stderr, "stnload: bad INFLIGHT or TASKS\n");
        return 2;
    }
    latency_ns = calloc((size_t)tasks, sizeof *latency_ns);

    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.on_task_end = on_task_end;
    mars_stn *s = NULL;
    if (stn_open(argv[1], &port, &cb, &s) != MARS_OK) {
        fprintf(stderr, "stnload: mars_stn_create failed\n");
        return 1;
    }

    pthread_mutex_lock(&mu);
    outstanding = 1;
    if (start(s) != MARS_OK) return 1;
    while (ended < 1) pthread_cond_wait(&cv, &mu);
    if (ok != 1) {
        fprintf(stderr, "stnload: the connecting task failed\n");
        return 1;
    }
    ok = 0;
    pthread_mutex_unlock(&mu);

    double cpu0 = cpu_s();
    int64_t t0 = now_ns();
    long started = 0;
    pthread_mutex_lock(&mu);
    while (started < tasks) {
        while (outstanding >= inflight) pthread_cond_wait(&cv, &mu);
        outstanding++;
        started++;
        pthread_mutex_unlock(&mu);
        int rc = start(s);
        pthread_mutex_lock(&mu);
        if (rc != MARS_OK) {
            fprintf(stderr, "stnload: start: %d\n", rc);
            return 1;
        }
    }
    while (ended < tasks + 1) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    int64_t elapsed = now_ns() - t0;
    double cpu = cpu_s() - cpu0;

    qsort(latency_ns, (size_t)tasks, sizeof *latency_ns, cmp64);
    printf("elapsed_ns=%" PRId64 " ok=%ld failed=%ld p50_us=%.1f p99_us=%.1f cpu_s=%.3f hwm_kb=%ld\n", elapsed, ok,
           failed, latency_ns[(tasks - 1) / 2] / 1e3, latency_ns[(tasks * 99 - 1) / 100] / 1e3, cpu, vm_hwm_kb());
    mars_stn_destroy(s);
    return 0;
}
