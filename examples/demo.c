/* demo.c — Mars in Go from C, start to finish: an engine with callbacks, a
 * few tasks over the long link, a server push, a second named long link with
 * a task and a push of its own, an xlog file that is written along the way
 * and decoded at the end, and four threads logging into another at once.
 * Copy it as a starting point.
 *
 *   mars_demo HOST:PORT [LOG_DIR [SECOND_HOST:PORT]]
 *
 * HOST:PORT is a Mars long-link server speaking client version 200, such as
 * marsd (examples/run_demo.sh starts one on loopback and runs this);
 * SECOND_HOST:PORT, if given, is the server of the second link, "im"
 * (marsd --long-extra im=ADDR serves one in the same process). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mars.h"

#define CLIENT_VERSION 200
#define CMD_ECHO 100        /* marsd echoes any cmdid ... */
#define CMD_PUSH_ECHO 10002 /* ... and after this one also pushes the body back */
#define TASKS 3
#define SECOND_LINK "im"    /* the second long link's name: tasks pick it by channel_name */

/* app is the demo's state; callbacks reach it through user_data. Callbacks
 * run on library threads, so it is guarded by a mutex. */
typedef struct app {
    mars_xlog *log;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int ended, pushes;
    int want_ended, want_pushes;
} app;

/* LOG writes a line to the log through mars.h's MARS_LOG_LEVEL (printf-style,
 * records file, line and function, formats nothing when the level is off)
 * and echoes it to stdout for the reader of the demo. */
#define LOG(a, level, ...)                                  \
    do {                                                    \
        MARS_LOG_LEVEL((a)->log, level, "demo", __VA_ARGS__); \
        printf(__VA_ARGS__);                                \
        printf("\n");                                       \
    } while (0)

/* req2buf: the request body of a task (the library adds the packet header). */
static int req2buf(void *ud, const mars_task_ref *t, int channel, const char *host, mars_buf *out,
                   int *err_code) {
    char body[64];
    int n = snprintf(body, sizeof body, "hello from task %u", t->taskid);
    *err_code = 0;
    return mars_buf_append(out, body, (size_t)n) == MARS_OK;
}

/* buf2resp: the response body; it is only valid during the call. */
static int buf2resp(void *ud, const mars_task_ref *t, int channel, const uint8_t *body, size_t n,
                    int *err_code) {
    app *a = ud;
    LOG(a, MARS_LEVEL_INFO, "task %u: response \"%.*s\"", t->taskid, (int)n, (const char *)body);
    *err_code = 0;
    return MARS_RESP_OK;
}

static int on_task_end(void *ud, const mars_task_ref *t, int err_type, int err_code,
                       const mars_task_profile *p) {
    app *a = ud;
    LOG(a, err_type == MARS_ECT_OK ? MARS_LEVEL_INFO : MARS_LEVEL_ERROR,
        "task %u: ended (%d, %d) in %lld ms via %s:%d", t->taskid, err_type, err_code,
        (long long)(p->end_time_ms - p->start_time_ms), p->connect_ip, p->connect_port);
    pthread_mutex_lock(&a->mu);
    a->ended++;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    return 0;
}

static void on_push(void *ud, const char *channel, uint32_t cmdid, uint32_t taskid,
                    const uint8_t *body, size_t n) {
    app *a = ud;
    LOG(a, MARS_LEVEL_INFO, "push on %s: cmdid %u \"%.*s\"", channel, cmdid, (int)n,
        (const char *)body);
    pthread_mutex_lock(&a->mu);
    a->pushes++;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

/* on_link_status: every long link's status, by name (MARS_LONGLINK_*). */
static void on_link_status(void *ud, const char *name, int status) {
    static const char *const names[] = {"idle", "connecting", "connected", "disconnected", "connect failed"};
    LOG((app *)ud, MARS_LEVEL_INFO, "link %s: %s", name,
        status >= 0 && status <= MARS_LONGLINK_CONNECT_FAILED ? names[status] : "?");
}

/* wait_for waits up to 10 s until the tasks ended and the pushes came,
 * and logs what it saw if they did not. */
static int wait_for(app *a) {
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += 10;
    pthread_mutex_lock(&a->mu);
    int rc = 0;
    while ((a->ended < a->want_ended || a->pushes < a->want_pushes) && rc == 0)
        rc = pthread_cond_timedwait(&a->cv, &a->mu, &dl);
    int ok = a->ended >= a->want_ended && a->pushes >= a->want_pushes;
    int ended = a->ended, pushes = a->pushes; /* read under the lock */
    pthread_mutex_unlock(&a->mu);
    if (!ok) LOG(a, MARS_LEVEL_ERROR, "timed out: %d tasks ended, %d pushes", ended, pushes);
    return ok;
}

static int check(int rc, const char *what) {
    if (rc != MARS_OK) {
        char detail[256];
        mars_stn_errmsg(NULL, detail, sizeof detail);
        fprintf(stderr, "%s: %s (%s)\n", what, mars_errstr(rc), detail);
        exit(1);
    }
    return rc;
}

/* start_task starts a long-link task of cmdid on the link named link (NULL:
 * the main link). */
static uint32_t start_task(mars_stn *s, uint32_t cmdid, const char *link) {
    mars_task t;
    mars_task_init(&t); /* Mars's defaults; then set what this task needs */
    t.cmdid = cmdid;
    t.channel_select = MARS_CHANNEL_LONG;
    t.channel_name = link;
    uint32_t id;
    check(mars_stn_start_task(s, &t, &id), "start task");
    return id;
}

/* split_addr splits "HOST:PORT" into host and returns the port. */
/* decode_today decodes today's LOG_DIR/PREFIX_YYYYMMDD.xlog (its path into
 * path) into *text, which the caller frees with mars_free. */
static void decode_today(const char *log_dir, const char *prefix, char *path, size_t cap, char **text,
                         size_t *n) {
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    snprintf(path, cap, "%s/%s_%04d%02d%02d.xlog", log_dir, prefix, tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday);
    check(mars_xlog_decode(path, NULL, text, n), "decode log");
}

/* Four threads log into one appender at once, each thread's lines in its
 * order: with zlib they compress their lines at the same time; with LZ4
 * (and zstd) whichever thread holds the appender compresses the waiting
 * threads' lines too. */
#define THREADS 4
#define THREAD_LINES 25000

static void *log_lines(void *arg) {
    mars_xlog *x = ((void **)arg)[0];
    long t = (long)((void **)arg)[1];
    for (int i = 0; i < THREAD_LINES; i++)
        mars_xlog_printf(x, MARS_LEVEL_INFO, "threads", __FILE__, __func__, __LINE__,
                         "thread=%ld line=%05d order=%ld the quick brown fox", t, i, t * THREAD_LINES + i);
    return NULL;
}

/* threads_demo logs from THREADS threads into LOG_DIR/threads<name>_*.xlog
 * with compression mode compress (called name) and checks the decoded file:
 * every line there, each thread's in order. */
static int threads_demo(const char *log_dir, int compress, const char *name) {
    char prefix[32];
    snprintf(prefix, sizeof prefix, "threads%s", name);
    mars_xlog_config xc;
    mars_xlog_config_init(&xc);
    xc.log_dir = log_dir;
    xc.name_prefix = prefix;
    xc.compress_mode = compress;
    mars_xlog *x;
    check(mars_xlog_open(&xc, &x), "open threads log");
    pthread_t th[THREADS];
    void *args[THREADS][2];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long t = 0; t < THREADS; t++) {
        args[t][0] = x;
        args[t][1] = (void *)t;
        pthread_create(&th[t], NULL, log_lines, args[t]);
    }
    for (int t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
    check(mars_xlog_close(x), "close threads log");
    clock_gettime(CLOCK_MONOTONIC, &t1);

    char pattern[600];
    char *text = NULL;
    size_t n = 0;
    decode_today(log_dir, prefix, pattern, sizeof pattern, &text, &n);
    int next[THREADS] = {0}, lines = 0, ok = 1;
    for (char *p = text; (p = strstr(p, "thread=")) != NULL; p++) {
        long t;
        int i;
        if (sscanf(p, "thread=%ld line=%d", &t, &i) != 2 || t < 0 || t >= THREADS || i != next[t]) {
            ok = 0;
            break;
        }
        next[t]++;
        lines++;
    }
    mars_free(text);
    ok = ok && lines == THREADS * THREAD_LINES;
    printf("---- %s: %d threads wrote %d lines at once in %.0f ms; decoded, each thread's in order: %s ----\n",
           name, THREADS, lines, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6, ok ? "yes" : "NO");
    return ok;
}

static uint16_t split_addr(const char *addr, char *host, size_t n) {
    snprintf(host, n, "%.*s", (int)(strrchr(addr, ':') - addr), addr);
    return (uint16_t)atoi(strrchr(addr, ':') + 1);
}

int main(int argc, char **argv) {
    if (argc < 2 || !strchr(argv[1], ':') || (argc > 3 && !strchr(argv[3], ':'))) {
        fprintf(stderr, "usage: %s HOST:PORT [LOG_DIR [SECOND_HOST:PORT]]\n", argv[0]);
        return 2;
    }
    if (mars_version_number() / 1000000 != MARS_VERSION_MAJOR) {
        fprintf(stderr, "libmars %s does not match mars.h %s\n", mars_version(), MARS_VERSION_STRING);
        return 1;
    }
    char host[128], host2[128] = "";
    uint16_t port = split_addr(argv[1], host, sizeof host), port2 = 0;
    const char *log_dir = argc > 2 ? argv[2] : "/tmp/mars-demo-logs";
    if (argc > 3) port2 = split_addr(argv[3], host2, sizeof host2);

    app a = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
             .want_ended = TASKS + 1, .want_pushes = 1};

    /* 1. A log appender. */
    mars_xlog_config xc;
    mars_xlog_config_init(&xc);
    xc.log_dir = log_dir;
    xc.name_prefix = "demo";
    check(mars_xlog_open(&xc, &a.log), "open log");
    LOG(&a, MARS_LEVEL_INFO, "libmars %s, long link %s:%u", mars_version(), host, port);

    /* 2. An engine: configuration plus the callbacks this app needs. */
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = CLIENT_VERSION;
    cfg.longlink_host = host;
    cfg.longlink_ports = &port;
    cfg.longlink_ports_len = 1;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.user_data = &a;
    cb.req2buf = req2buf;
    cb.buf2resp = buf2resp;
    cb.on_task_end = on_task_end;
    cb.on_push = on_push;
    cb.on_longlink_status_change_of = on_link_status;
    mars_stn *stn;
    check(mars_stn_create(&cfg, &cb, &stn), "create engine");
    check(mars_stn_on_foreground(stn, 1), "foreground");

    /* 3. A second named long link to its own server (Mars's
     * CreateLonglink_ext), when one is given and the library has it. */
    int two = port2 != 0 && mars_has_feature("longlinks");
    if (two) {
        mars_longlink_config lc;
        mars_longlink_config_init(&lc); /* keep_alive, identify check; the rest the engine's */
        lc.name = SECOND_LINK;
        lc.host = host2;
        lc.ports = &port2;
        lc.ports_len = 1;
        check(mars_stn_create_longlink(stn, &lc), "create long link " SECOND_LINK);
        LOG(&a, MARS_LEVEL_INFO, "long link %s: %s:%u", SECOND_LINK, host2, port2);
        a.want_ended++;
        a.want_pushes++;
    }

    /* 4. Tasks, and one that makes the server push; with the second link,
     * one more routed to it by name, whose push arrives on that link. */
    uint32_t id; /* LOG evaluates its arguments twice: start the task first */
    for (int i = 0; i < TASKS; i++) {
        id = start_task(stn, CMD_ECHO, NULL);
        LOG(&a, MARS_LEVEL_INFO, "started task %u", id);
    }
    id = start_task(stn, CMD_PUSH_ECHO, NULL);
    LOG(&a, MARS_LEVEL_INFO, "started task %u (asks for a push)", id);
    if (two) {
        id = start_task(stn, CMD_PUSH_ECHO, SECOND_LINK);
        LOG(&a, MARS_LEVEL_INFO, "started task %u on %s (asks for a push)", id, SECOND_LINK);
    }
    int ok = wait_for(&a);

    /* 5. Tear down, then read the log back. */
    check(mars_stn_destroy(stn), "destroy engine");
    LOG(&a, MARS_LEVEL_INFO, "done");
    check(mars_xlog_close(a.log), "close log");

    char pattern[600];
    char *text = NULL;
    size_t n = 0;
    decode_today(log_dir, "demo", pattern, sizeof pattern, &text, &n);
    struct stat st; /* compressed and on disk: a few bytes a line */
    long long disk = stat(pattern, &st) == 0 ? (long long)st.st_size : -1;
    printf("---- %s: %lld bytes on disk, decoded (%zu bytes) ----\n%s", pattern, disk, n, text);
    mars_free(text);

    /* 6. Threads logging at once. */
    ok = threads_demo(log_dir, MARS_XLOG_COMPRESS_ZLIB, "zlib") && ok;
    ok = threads_demo(log_dir, MARS_XLOG_COMPRESS_LZ4, "lz4") && ok;
    printf("demo %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
