/* loadutil.h: what the bench load programs (xlogload, stnload, pushflood) share. */
#ifndef MARS_BENCH_LOADUTIL_H
#define MARS_BENCH_LOADUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "mars.h"

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* status_kb reads one "Name: N kB" field of /proc/self/status, or -1. */
static inline long status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256], want[64];
    long kb = -1;
    if (!f) return -1;
    snprintf(want, sizeof want, "%s: %%ld kB", field);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, want, &kb) == 1) break;
    fclose(f);
    return kb;
}

/* vm_hwm_kb is this process's peak RSS in KiB (VmHWM), or -1. The rusage
 * maxrss of a child started by vfork+exec includes its parent's peak. */
static inline long vm_hwm_kb(void) { return status_kb("VmHWM"); }

/* vm_rss_kb is this process's RSS now, in KiB (VmRSS), or -1. */
static inline long vm_rss_kb(void) { return status_kb("VmRSS"); }

/* stn_open creates an engine with the library's defaults, client version
 * 200 (marsd's) and the long link at host:port, with the callbacks in cb
 * (struct_size already set by mars_stn_callbacks_init). Only calls of
 * mars.h 0.1 are used, so the bench programs build against older headers
 * too. Returns the mars_stn_create result. */
static inline int stn_open(const char *host, uint16_t *port, const mars_stn_callbacks *cb, mars_stn **out) {
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = 200;
    cfg.longlink_host = host;
    cfg.longlink_ports = port;
    cfg.longlink_ports_len = 1;
    return mars_stn_create(&cfg, cb, out);
}

#endif
