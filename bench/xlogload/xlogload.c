/* xlogload: the xlog workload of `make bench-xlog`, through the C ABI.
 *
 *   xlogload DIR COMPRESS PUBKEY THREADS LINES
 *
 * Opens an async appender in DIR (COMPRESS: MARS_XLOG_COMPRESS_*; PUBKEY
 * "-" for clear text), writes LINES lines split over THREADS threads, each
 * a 100-byte body of varied log text starting "req=<10 digits> " (logbody.h),
 * and closes it.
 * Prints "elapsed_ns=<first write to the return of close> written=...
 * dropped=... lost=... hwm_kb=<peak RSS>". The parent takes CPU seconds from
 * wait4; peak RSS comes from /proc/self/status (VmHWM), because the
 * rusage maxrss of a child started by vfork+exec includes its parent's. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mars.h"
#include "loadutil.h"
#include "logbody.h"

static mars_xlog *xl;
static long lines_per_thread, lines_total;
static int threads;
static pthread_barrier_t start;

static void *writer(void *arg) {
    long t = (long)arg;
    long first = t * lines_per_thread, last = first + lines_per_thread;
    if (t == threads - 1) last = lines_total;
    char body[LOGBODY_LEN + 1];
    pthread_barrier_wait(&start);
    for (long id = first; id < last; id++) {
        logbody(body, id);
        int rc = mars_xlog_write(xl, MARS_LEVEL_INFO, "bench", "xlogload.c", "writer", 42, body);
        if (rc != MARS_OK) {
            fprintf(stderr, "xlogload: write: %d\n", rc);
            exit(1);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: xlogload DIR COMPRESS PUBKEY THREADS LINES\n");
        return 2;
    }
    threads = atoi(argv[4]);
    lines_total = atol(argv[5]);
    if (threads < 1 || lines_total < threads) {
        fprintf(stderr, "xlogload: bad THREADS or LINES\n");
        return 2;
    }
    lines_per_thread = lines_total / threads;

    mars_xlog_config cfg;
    mars_xlog_config_init(&cfg);
    cfg.mode = MARS_XLOG_MODE_ASYNC;
    cfg.log_dir = argv[1];
    cfg.name_prefix = "bench";
    cfg.compress_mode = atoi(argv[2]);
    if (strcmp(argv[3], "-") != 0) cfg.pub_key = argv[3];
    if (mars_xlog_open(&cfg, &xl) != MARS_OK) {
        char msg[512];
        mars_xlog_errmsg(NULL, msg, sizeof msg);
        fprintf(stderr, "xlogload: open: %s\n", msg);
        return 1;
    }

    pthread_t tids[64];
    if (threads > 64) threads = 64;
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    for (long t = 0; t < threads; t++) pthread_create(&tids[t], NULL, writer, (void *)t);
    pthread_barrier_wait(&start);
    int64_t t0 = now_ns();
    for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);

    mars_xlog_stats st;
    memset(&st, 0, sizeof st);
    st.struct_size = sizeof st;
    mars_xlog_get_stats(xl, &st);
    if (mars_xlog_close(xl) != MARS_OK) {
        fprintf(stderr, "xlogload: close failed\n");
        return 1;
    }
    int64_t elapsed = now_ns() - t0;
    printf("elapsed_ns=%" PRId64 " written=%" PRIu64 " dropped=%" PRIu64 " lost=%" PRIu64 " hwm_kb=%ld\n",
           elapsed, st.lines_written, st.lines_dropped, st.lines_lost, vm_hwm_kb());
    return 0;
}
