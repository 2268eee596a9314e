/* c_round_trip.c — the C baseline for the Java binding's benchmark: the same
 * task round trip (req2buf, echo by marsd, buf2resp, on_task_end) straight
 * through mars.h. Usage: c_round_trip HOST PORT CLIENT_VERSION N
 * Prints "c_sequential_us_per_task=X" and "c_pipelined_tasks_per_s=Y". */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mars.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long ended, failed;

static int req2buf(void *ud, const mars_task_ref *t, int ch, const char *host, mars_buf *out, int *err) {
    (void)ud, (void)ch, (void)host;
    char b[32];
    int n = snprintf(b, sizeof b, "task %u", t->taskid);
    *err = 0;
    return mars_buf_append(out, b, (size_t)n) == MARS_OK;
}

static int buf2resp(void *ud, const mars_task_ref *t, int ch, const uint8_t *body, size_t n, int *err) {
    (void)ud, (void)t, (void)ch, (void)body, (void)n;
    *err = 0;
    return MARS_RESP_OK;
}

static int on_task_end(void *ud, const mars_task_ref *t, int type, int code, const mars_task_profile *p) {
    (void)ud, (void)t, (void)code, (void)p;
    pthread_mutex_lock(&mu);
    ended++;
    if (type != MARS_ECT_OK) failed++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void start(mars_stn *s) {
    mars_task t;
    mars_task_init(&t);
    t.cmdid = 100;
    t.channel_select = MARS_CHANNEL_LONG;
    t.limit_frequency = 0;
    if (mars_stn_start_task(s, &t, NULL) != MARS_OK) abort();
}

/* wait_for blocks until at least n tasks ended. */
static void wait_for(long n) {
    pthread_mutex_lock(&mu);
    while (ended < n) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s HOST PORT CLIENT_VERSION N\n", argv[0]);
        return 2;
    }
    uint16_t port = (uint16_t)atoi(argv[2]);
    long n = atol(argv[4]);
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = (uint32_t)atoi(argv[3]);
    cfg.longlink_host = argv[1];
    cfg.longlink_ports = &port;
    cfg.longlink_ports_len = 1;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.req2buf = req2buf;
    cb.buf2resp = buf2resp;
    cb.on_task_end = on_task_end;
    mars_stn *s = NULL;
    if (mars_stn_create(&cfg, &cb, &s) != MARS_OK) return 1;

    for (long i = 0; i < 200; i++) { /* warm up: connect, JIT-free but caches */
        start(s);
        wait_for(i + 1);
    }
    long base = ended;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        start(s);
        wait_for(base + i + 1);
    }
    double seq = (now_s() - t0) / (double)n * 1e6;

    base = ended;
    long window = 64, started = 0;
    t0 = now_s();
    while (started < n) {
        while (started < n && started - (ended - base) < window) {
            start(s);
            started++;
        }
        if (started < n) wait_for(base + started - window + 1); /* a slot frees */
    }
    wait_for(base + n);
    double tput = (double)n / (now_s() - t0);
    mars_stn_destroy(s);
    printf("c_sequential_us_per_task=%.1f\n", seq);
    printf("c_pipelined_tasks_per_s=%.0f\n", tput);
    printf("c_failed=%ld\n", failed);
    return failed != 0;
}
