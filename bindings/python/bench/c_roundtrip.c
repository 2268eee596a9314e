/* c_roundtrip.c — the C baseline for bench_stn.py: the same task round trips
 * through mars.h directly. Usage: c_roundtrip HOST PORT SEQ_N PIPE_N
 * Prints "c sequential_us=<µs per task> pipelined_tasks_per_s=<n>". */
#include <mars.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long ended, failed;

static int req2buf(void *ud, const mars_task_ref *t, int ch, const char *host, mars_buf *out, int *err) {
    (void)ud; (void)t; (void)ch; (void)host; (void)err;
    return mars_buf_append(out, "bench", 5) == MARS_OK;
}

static int buf2resp(void *ud, const mars_task_ref *t, int ch, const uint8_t *b, size_t n, int *err) {
    (void)ud; (void)t; (void)ch; (void)b; (void)n; (void)err;
    return MARS_RESP_OK;
}

static int on_task_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p) {
    (void)ud; (void)t; (void)ec; (void)p;
    pthread_mutex_lock(&mu);
    ended++;
    if (et != MARS_ECT_OK) failed++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void wait_ended(long n) {
    pthread_mutex_lock(&mu);
    while (ended < n) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}

static int start(mars_stn *s) {
    mars_task t;
    mars_task_init(&t);
    t.cmdid = 100;
    t.channel_select = MARS_CHANNEL_LONG;
    t.limit_frequency = 0; /* identical requests by design: no anti-avalanche */
    t.limit_flow = 0;
    return mars_stn_start_task(s, &t, NULL);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s HOST PORT SEQ_N PIPE_N\n", argv[0]);
        return 2;
    }
    long seq_n = atol(argv[3]), pipe_n = atol(argv[4]);
    uint16_t port = (uint16_t)atoi(argv[2]);
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = 200;
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
    start(s); /* connect first */
    wait_ended(1);
    long base = 1;
    double t0 = now_s();
    for (long i = 0; i < seq_n; i++) {
        start(s);
        wait_ended(base + i + 1);
    }
    double seq = now_s() - t0;
    base += seq_n;
    t0 = now_s();
    for (long i = 0; i < pipe_n; i++) start(s);
    wait_ended(base + pipe_n);
    double pipe = now_s() - t0;
    mars_stn_destroy(s);
    printf("c sequential_us=%.1f pipelined_tasks_per_s=%.0f failed=%ld\n", seq / seq_n * 1e6, pipe_n / pipe, failed);
    return failed != 0;
}
