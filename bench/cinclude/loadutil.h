/* loadutil.h: what the bench load programs (xlogload, stnload) share. */
#ifndef MARS_BENCH_LOADUTIL_H
#define MARS_BENCH_LOADUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* vm_hwm_kb is this process's peak RSS in KiB (VmHWM), or -1. The rusage
 * maxrss of a child started by vfork+exec includes its parent's peak. */
static inline long vm_hwm_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

#endif
