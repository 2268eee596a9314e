/* stnload: the STN workload of `make bench-stn`, through the C ABI.
 *
 *   stnload HOST PORT INFLIGHT TASKS [SECOND_PORT]
 *
 * Connects the long link to marsd at HOST:PORT (one echo task, not
 * counted), then keeps INFLIGHT echo tasks (cmdid 100, empty body,
 * anti-avalanche limits off) in
 * flight until TASKS have ended. With SECOND_PORT (a library with several
 * long links), a second named link goes to HOST:SECOND_PORT (connected by
 * one more uncounted task) and the tasks take the two links in turn. Prints "elapsed_ns=... ok=... failed=...
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
static long counted_from = 1; /* the connecting tasks, one per link, are not counted */
static const char *links[2];  /* channel_name per link; NULL: the main link */
static long nlinks = 1;

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

static int start(mars_stn *s, long i) {
    mars_task t;
    mars_task_init(&t);
    t.channel_name = links[i % nlinks];
    t.cmdid = CMD_ECHO;
    t.channel_select = MARS_CHANNEL_LONG;
    /* Every task sends the same (empty) body; a real host's differ, so the
     * anti-avalanche limits that would reject repeats are off. */
    t.limit_frequency = 0;
    t.limit_flow = 0;
    t.user_context = (void *)(intptr_t)now_ns();
    return mars_stn_start_task(s, &t, NULL);
}

/* add_second_link creates the link "b" to host:port; 0 on success. Only
 * with a header that has several long links, so the program still builds
 * against older ones. */
static int add_second_link(mars_stn *s, const char *host, uint16_t port) {
#ifdef MARS_DEFAULT_LONGLINK_NAME
    static uint16_t second_port;
    second_port = port;
    mars_longlink_config c;
    mars_longlink_config_init(&c);
    c.name = "b";
    c.host = host;
    c.ports = &second_port;
    c.ports_len = 1;
    int rc = mars_stn_create_longlink(s, &c);
    if (rc != MARS_OK) {
        fprintf(stderr, "stnload: mars_stn_create_longlink: %s\n", mars_errstr(rc));
        return -1;
    }
    links[1] = "b";
    nlinks = 2;
    return 0;
#else
    (void)s, (void)host, (void)port;
    fprintf(stderr, "stnload: this mars.h has no several long links\n");
    return -1;
#endif
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: stnload HOST PORT INFLIGHT TASKS [SECOND_PORT]\n");
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

    if (argc == 6 && add_second_link(s, argv[1], (uint16_t)atoi(argv[5])) != 0) return 1;
    counted_from = nlinks;

    pthread_mutex_lock(&mu);
    for (long i = 0; i < nlinks; i++) {
        outstanding++;
        if (start(s, i) != MARS_OK) return 1;
    }
    while (ended < nlinks) pthread_cond_wait(&cv, &mu);
    if (ok != nlinks) {
        fprintf(stderr, "stnload: a connecting task failed\n");
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
        int rc = start(s, started);
        pthread_mutex_lock(&mu);
        if (rc != MARS_OK) {
            fprintf(stderr, "stnload: start: %d\n", rc);
            return 1;
        }
    }
    while (ended < tasks + nlinks) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    int64_t elapsed = now_ns() - t0;
    double cpu = cpu_s() - cpu0;

    qsort(latency_ns, (size_t)tasks, sizeof *latency_ns, cmp64);
    printf("elapsed_ns=%" PRId64 " ok=%ld failed=%ld p50_us=%.1f p99_us=%.1f cpu_s=%.3f hwm_kb=%ld\n", elapsed, ok,
           failed, latency_ns[(tasks - 1) / 2] / 1e3, latency_ns[(tasks * 99 - 1) / 100] / 1e3, cpu, vm_hwm_kb());
    mars_stn_destroy(s);
    return 0;
}
