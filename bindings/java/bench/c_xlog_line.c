/* c_xlog_line.c — the C baseline for XlogBenchTest: the same lines written
 * straight through mars_xlog_write. Usage: c_xlog_line DIR N
 * Prints "c_xlog_line_ns=X" and the cost of one trivial call, c_native_call_ns. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mars.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s DIR N\n", argv[0]);
        return 2;
    }
    char log_dir[4096], cache_dir[4096], line[128];
    snprintf(log_dir, sizeof log_dir, "%s/log", argv[1]);
    snprintf(cache_dir, sizeof cache_dir, "%s/cache", argv[1]);
    long n = atol(argv[2]);
    mars_xlog_config cfg;
    mars_xlog_config_init(&cfg);
    cfg.log_dir = log_dir;
    cfg.cache_dir = cache_dir;
    cfg.name_prefix = "cbench";
    cfg.level = MARS_LEVEL_INFO;
    mars_xlog *x = NULL;
    if (mars_xlog_open(&cfg, &x) != MARS_OK) return 1;
    for (int i = 0; i < 20000; i++) {
        snprintf(line, sizeof line, "warm up line number %d", i);
        mars_xlog_write(x, MARS_LEVEL_INFO, "bench", "", "", 0, line);
    }
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        snprintf(line, sizeof line, "a typical log line with a number %ld", i);
        if (mars_xlog_write(x, MARS_LEVEL_INFO, "bench", "", "", 0, line) != MARS_OK) return 1;
    }
    printf("c_xlog_line_ns=%.0f\n", (now_s() - t0) / (double)n * 1e9);
    long calls = 1000000, sum = 0;
    t0 = now_s();
    for (long i = 0; i < calls; i++) {
        int lv = 0;
        mars_xlog_get_level(x, &lv);
        sum += lv;
    }
    printf("c_native_call_ns=%.0f (mars_xlog_get_level)\n", (now_s() - t0) / (double)calls * 1e9);
    if (sum != calls * MARS_LEVEL_INFO) return 1;
    return mars_xlog_close(x) != MARS_OK;
}
