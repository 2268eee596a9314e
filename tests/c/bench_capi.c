/* bench_capi.c — what the C boundary costs, measured from C:
 *   - a trivial export (mars_version_number: C -> Go -> C), vs a pure-C call
 *   - a rejected call on a stale handle (C -> Go, handle check only)
 *   - mars_stn_start_task (the call only: copy, convert, post)
 *   - a task round trip against marsd (start, req2buf, wire, buf2resp,
 *     on_task_end), sequential, and 64 in flight. Sequentially the C thread
 *     sleeps on a condition variable per task, so the figure includes two
 *     OS-thread wake-ups; capi's BenchmarkTaskRoundTrip isolates what the
 *     ABI itself adds (C callbacks vs Go callbacks in the same harness).
 *   - mars_xlog_write (async zlib, lines into the buffer), MARS_LOGI, and
 *     what a line below the level costs (mars_xlog_enabled, MARS_LOGD,
 *     mars_xlog_write)
 * Prints figures; asserts nothing about speed (speed is not a unit test).
 * Usage: bench_capi [scale]   (scale 1 = quick; MARSD must be set) */
#include "harness.h"

#include <stdatomic.h>

#define CLIENT_VERSION 200

static event g_ended = EVENT_INIT;

static int b_req2buf(void *ud, const mars_task_ref *t, int ch, const char *host, mars_buf *out,
                     int *err) {
    static const char body[] = "bench";
    return mars_buf_append(out, body, sizeof body - 1) == MARS_OK;
}

static atomic_int g_failed; /* tasks that did not end OK: the figures would time them */

static int b_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p) {
    if (et != MARS_ECT_OK && atomic_fetch_add(&g_failed, 1) < 5) fprintf(stderr, "task %u ended (%d, %d)\n", t->taskid, et, ec);
    event_signal(&g_ended);
    return 0;
}

static void report(const char *what, double ns_total, long n) {
    printf("%-44s %10.1f ns/op  (%ld ops)\n", what, ns_total / n, n);
}

static void bench_calls(long n) {
    volatile int sink = 0;
    double t0 = now_ns();
    for (long i = 0; i < n; i++) sink += (int)strlen(mars_errstr((int)(i & 7)));
    report("pure C call (mars_errstr)", now_ns() - t0, n);
    t0 = now_ns();
    for (long i = 0; i < n; i++) sink += mars_version_number();
    report("C->Go trivial export (mars_version_number)", now_ns() - t0, n);
    t0 = now_ns();
    for (long i = 0; i < n; i++) sink += mars_stn_stop_task((mars_stn *)(uintptr_t)0x5001001, 1);
    report("C->Go rejected stale handle", now_ns() - t0, n);
    (void)sink;
}

static mars_stn *bench_engine(marsd *srv) {
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = CLIENT_VERSION;
    cfg.longlink_host = srv->long_host;
    uint16_t port = srv->long_port;
    cfg.longlink_ports = &port;
    cfg.longlink_ports_len = 1;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.req2buf = b_req2buf;
    cb.on_task_end = b_end;
    mars_stn *s = NULL;
    return mars_stn_create(&cfg, &cb, &s) == MARS_OK ? s : NULL;
}

static int start(mars_stn *s) {
    mars_task t;
    mars_task_init(&t);
    t.cmdid = 100;
    t.channel_select = MARS_CHANNEL_LONG;
    /* Thousands of identical tasks trip Mars's anti-avalanche limits (ending
     * MARS_ECT_LOCAL, -4) at scales above 1: off, as `marsbench stn` has them. */
    t.limit_frequency = 0;
    t.limit_flow = 0;
    return mars_stn_start_task(s, &t, NULL);
}

static int bench_tasks(long n) {
    marsd srv;
    if (marsd_start(&srv, CLIENT_VERSION) != 0) return -1;
    mars_stn *s = bench_engine(&srv);
    if (!s) return -1;
    /* warm up: connect the long link */
    start(s);
    if (event_wait(&g_ended, 1, TEST_TIMEOUT_MS) != 0) return -1;

    event_reset(&g_ended);
    double t0 = now_ns();
    for (long i = 0; i < n; i++) start(s);
    double call = now_ns() - t0;
    if (event_wait(&g_ended, (int)n, 60000) != 0) return -1;
    report("mars_stn_start_task (call only, burst)", call, n);
    report("  ... burst of tasks to all ended", now_ns() - t0, n);

    long seq = n / 10 > 0 ? n / 10 : 1;
    event_reset(&g_ended);
    t0 = now_ns();
    for (long i = 0; i < seq; i++) {
        start(s);
        if (event_wait(&g_ended, (int)i + 1, TEST_TIMEOUT_MS) != 0) return -1;
    }
    report("task round trip via C ABI, sequential", now_ns() - t0, seq);


    event_reset(&g_ended);
    t0 = now_ns();
    long sent = 0;
    while (sent < 64 && sent < n) { start(s); sent++; }
    while (sent < n) {
        if (event_wait(&g_ended, (int)(sent - 63), TEST_TIMEOUT_MS) != 0) return -1;
        start(s);
        sent++;
    }
    if (event_wait(&g_ended, (int)n, 60000) != 0) return -1;
    report("task round trip via C ABI, 64 in flight", now_ns() - t0, n);
    mars_stn_destroy(s);
    marsd_stop(&srv);
    if (atomic_load(&g_failed) != 0) {
        fprintf(stderr, "%d tasks did not end OK\n", atomic_load(&g_failed));
        return -1;
    }
    return 0;
}

static int bench_xlog(long n) {
    char dir[] = "/tmp/mars-bench-xlog-XXXXXX";
    if (!mkdtemp(dir)) return -1;
    mars_xlog_config c;
    mars_xlog_config_init(&c);
    c.log_dir = dir;
    c.name_prefix = "bench";
    mars_xlog *x = NULL;
    if (mars_xlog_open(&c, &x) != MARS_OK) return -1;
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
        mars_xlog_write(x, MARS_LEVEL_INFO, "bench", __FILE__, __func__, __LINE__,
                        "a typical log line of some sixty bytes, with a number 12345");
    report("mars_xlog_write (async zlib)", now_ns() - t0, n);
    t0 = now_ns();
    for (long i = 0; i < n; i++) MARS_LOGI(x, "bench", "a line with a number %ld", i);
    report("MARS_LOGI (async zlib, formatted)", now_ns() - t0, n);
    mars_xlog_set_level(x, MARS_LEVEL_INFO);
    volatile int sink = 0;
    t0 = now_ns();
    for (long i = 0; i < n * 10; i++) sink += mars_xlog_enabled(x, MARS_LEVEL_DEBUG);
    report("mars_xlog_enabled (filtered out)", now_ns() - t0, n * 10);
    t0 = now_ns();
    for (long i = 0; i < n * 10; i++) MARS_LOGD(x, "bench", "filtered %ld", i);
    report("MARS_LOGD below the level", now_ns() - t0, n * 10);
    t0 = now_ns();
    for (long i = 0; i < n * 10; i++)
        mars_xlog_write(x, MARS_LEVEL_DEBUG, "bench", __FILE__, __func__, __LINE__, "filtered");
    report("mars_xlog_write below the level", now_ns() - t0, n * 10);
    (void)sink;
    mars_xlog_close(x);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
    long scale = argc > 1 ? atol(argv[1]) : 1;
    if (scale < 1) scale = 1;
    bench_calls(200000 * scale);
    int ok = bench_tasks(2000 * scale) == 0;
    ok = bench_xlog(20000 * scale) == 0 && ok;
    printf("%d passed, %d failed\n", ok, !ok);
    return ok ? 0 : 1;
}
