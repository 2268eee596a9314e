/* bench_c.c — the C baseline for the binding's benchmarks: the same two
 * measurements as bench_objc.m, straight through mars.h.
 *   round trip: one long-link echo task at a time (start, wait for
 *               on_task_end, next), microseconds per task;
 *   pipelined:  batches of tasks started at once (each batch waited for),
 *               callbacks per second (req2buf, buf2resp and on_task_end:
 *               three per task). Batches stay small because the engine's
 *               cost per task grows with the number pending.
 * Needs MARSD (path of marsd). Usage: bench-c [round_trips] [batches] [batch] */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mars.h"

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long ended, ok;
} counter;

static counter g_count = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static int req2buf(void *ud, const mars_task_ref *t, int ch, const char *host, mars_buf *out, int *ec) {
    char body[32];
    int n = snprintf(body, sizeof body, "task %u", t->taskid);
    *ec = 0;
    return mars_buf_append(out, body, (size_t)n) == MARS_OK;
}

static int buf2resp(void *ud, const mars_task_ref *t, int ch, const uint8_t *b, size_t n, int *ec) {
    char want[32];
    int k = snprintf(want, sizeof want, "task %u", t->taskid);
    *ec = 0;
    return (size_t)k == n && memcmp(b, want, n) == 0 ? MARS_RESP_OK : MARS_RESP_TASK_END;
}

static int on_task_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p) {
    pthread_mutex_lock(&g_count.mu);
    g_count.ended++;
    if (et == MARS_ECT_OK) g_count.ok++;
    pthread_cond_broadcast(&g_count.cv);
    pthread_mutex_unlock(&g_count.mu);
    return 0;
}

static void wait_ended(long n) {
    pthread_mutex_lock(&g_count.mu);
    while (g_count.ended < n) pthread_cond_wait(&g_count.cv, &g_count.mu);
    pthread_mutex_unlock(&g_count.mu);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t start_marsd(char *host, size_t hostlen, int *port) {
    const char *bin = getenv("MARSD");
    int fds[2];
    if (bin == NULL || pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(fds[1], 1);
        close(fds[0]);
        execl(bin, bin, "--long", "127.0.0.1:0", "--short", "127.0.0.1:0", "--client-version", "200",
              (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char line[256];
    size_t n = 0;
    while (n + 1 < sizeof line && read(fds[0], line + n, 1) == 1 && line[n] != '\n') n++;
    line[n] = 0;
    const char *p = strstr(line, "long=");
    const char *colon = p ? strchr(p, ':') : NULL;
    if (colon == NULL || (size_t)(colon - p - 5) >= hostlen) return -1;
    memcpy(host, p + 5, (size_t)(colon - p - 5));
    host[colon - p - 5] = 0;
    *port = atoi(colon + 1);
    return pid;
}

static int start_echo(mars_stn *s) {
    mars_task t;
    mars_task_init(&t);
    t.cmdid = 100;
    t.channel_select = MARS_CHANNEL_LONG;
    t.limit_flow = 0;
    t.limit_frequency = 0;
    return mars_stn_start_task(s, &t, NULL);
}

int main(int argc, char **argv) {
    long rounds = argc > 1 ? atol(argv[1]) : 2000, batches = argc > 2 ? atol(argv[2]) : 50;
    long batch = argc > 3 ? atol(argv[3]) : 100, piped = batches * batch;
    char host[64];
    int port = 0;
    pid_t pid = start_marsd(host, sizeof host, &port);
    if (pid <= 0) {
        fprintf(stderr, "bench-c: cannot start marsd (MARSD)\n");
        return 1;
    }
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = 200;
    cfg.longlink_host = host;
    uint16_t p16 = (uint16_t)port;
    cfg.longlink_ports = &p16;
    cfg.longlink_ports_len = 1;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.req2buf = req2buf;
    cb.buf2resp = buf2resp;
    cb.on_task_end = on_task_end;
    mars_stn *s = NULL;
    if (mars_stn_create(&cfg, &cb, &s) != MARS_OK) return 1;
    start_echo(s); /* connect once before measuring */
    wait_ended(1);
    long base = 1;
    double t0 = now_s();
    for (long i = 0; i < rounds; i++) {
        start_echo(s);
        wait_ended(base + i + 1);
    }
    double rt = now_s() - t0;
    base += rounds;
    t0 = now_s();
    for (long b = 0; b < batches; b++) {
        for (long i = 0; i < batch; i++) start_echo(s);
        wait_ended(base + (b + 1) * batch);
    }
    double pt = now_s() - t0;
    printf("c:    round trip %.1f us/task (%ld tasks); pipelined %.0f tasks/s, %.0f callbacks/s (%ld x %ld tasks); ok %ld/%ld\n",
           rt / (double)rounds * 1e6, rounds, (double)piped / pt, 3.0 * (double)piped / pt, batches, batch,
           g_count.ok, g_count.ended);
    mars_stn_destroy(s);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return g_count.ok == g_count.ended ? 0 : 1;
}
