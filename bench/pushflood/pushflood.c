/* pushflood.c — a push flood against a slow host, through mars.h.
 *
 * Usage: pushflood LONG_HOST LONG_PORT SHORT_HOST SHORT_PORT SECONDS [RSS_CAP_MB [DESTROY_WAIT_S]]
 *
 * Connects to marsd, starts TASKS tasks marsd never answers (cmdid 10004),
 * asks marsd (POST /_marsd/flood) to push back to back for SECONDS while
 * on_push sleeps 10 ms, then destroys the engine. Samples its own VmRSS
 * every 50 ms. Prints one line of key=value figures (see the end of main).
 * Safety caps for libraries without back-pressure: the flood is cut short
 * once RSS passes RSS_CAP_MB (default 3072), and a destroy that has not
 * returned after DESTROY_WAIT_S (default 30) is reported and the process
 * exits. Uses mars_stn_config_init defaults only, so it also runs against
 * libraries older than receive_backlog_bytes. */
#include <mars.h>
#include "loadutil.h"
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TASKS 3
#define CMD_ECHO 100
#define CMD_SILENCE 10004
#define ON_PUSH_MS 10

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long pushes;
static int echoed;
static uint32_t silent_ids[TASKS];
static int silent_ends[TASKS], silent_reset[TASKS];
static int flood_done, capped, destroyed;
static long rss_kb, rss_peak_kb;
static double rss_cap_kb;

static double now_s(void) { return now_ns() / 1e9; }

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void *sampler(void *arg) {
    (void)arg;
    for (;;) {
        long kb = vm_rss_kb();
        pthread_mutex_lock(&mu);
        rss_kb = kb;
        if (kb > rss_peak_kb) rss_peak_kb = kb;
        if (kb > rss_cap_kb && !capped) {
            capped = 1;
            pthread_cond_broadcast(&cv);
        }
        pthread_mutex_unlock(&mu);
        sleep_ms(50);
    }
    return NULL;
}

static void on_push(void *ud, const char *ch, uint32_t cmdid, uint32_t taskid, const uint8_t *b, size_t n) {
    (void)ud; (void)ch; (void)cmdid; (void)taskid; (void)b; (void)n;
    sleep_ms(ON_PUSH_MS);
    pthread_mutex_lock(&mu);
    pushes++;
    pthread_mutex_unlock(&mu);
}

static int on_task_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p) {
    (void)ud; (void)p;
    pthread_mutex_lock(&mu);
    if (t->cmdid == CMD_ECHO) echoed = 1;
    for (int i = 0; i < TASKS; i++) {
        if (silent_ids[i] == t->taskid) {
            silent_ends[i]++;
            silent_reset[i] = et == MARS_ECT_LOCAL && ec == MARS_ECT_LOCAL_RESET;
        }
    }
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}

static int start(mars_stn *s, uint32_t cmdid, uint32_t *id) {
    mars_task t;
    mars_task_init(&t);
    t.cmdid = cmdid;
    t.channel_select = MARS_CHANNEL_LONG;
    t.retry_count = 0;
    t.server_process_cost_ms = 120000; /* stays pending through the flood */
    return mars_stn_start_task(s, &t, id);
}

/* The admin request: POST /_marsd/flood, answered when the flood is over. */
static const char *short_host;
static int short_port, flood_seconds;
static long flood_pushed = -1;

static void *flood(void *arg) {
    (void)arg;
    static const char body[] = "push-flood-body!";
    char req[256], resp[512];
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)short_port)};
    inet_pton(AF_INET, short_host, &sa.sin_addr);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        int n = snprintf(req, sizeof req,
                         "POST /_marsd/flood?seconds=%d HTTP/1.1\r\nHost: marsd\r\nConnection: close\r\n"
                         "Content-Length: %zu\r\n\r\n%s",
                         flood_seconds, sizeof body - 1, body);
        size_t got = 0;
        ssize_t r;
        if (write(fd, req, (size_t)n) == n)
            while (got < sizeof resp - 1 && (r = read(fd, resp + got, sizeof resp - 1 - got)) > 0) got += (size_t)r;
        resp[got] = 0;
        const char *p = strstr(resp, "\"pushed\":");
        if (p) flood_pushed = atol(p + 9);
    }
    if (fd >= 0) close(fd);
    pthread_mutex_lock(&mu);
    flood_done = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *destroyer(void *s) {
    mars_stn_destroy(s);
    pthread_mutex_lock(&mu);
    destroyed = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* wait_until waits up to seconds for *flag; mu is held. */
static int wait_until(const int *flag, double seconds) {
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += (time_t)seconds;
    dl.tv_nsec += (long)((seconds - (time_t)seconds) * 1e9);
    if (dl.tv_nsec >= 1000000000L) dl.tv_sec++, dl.tv_nsec -= 1000000000L;
    while (!*flag && pthread_cond_timedwait(&cv, &mu, &dl) == 0) {
    }
    return *flag;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: %s LONG_HOST LONG_PORT SHORT_HOST SHORT_PORT SECONDS [RSS_CAP_MB [DESTROY_WAIT_S]]\n",
                argv[0]);
        return 2;
    }
    uint16_t port = (uint16_t)atoi(argv[2]);
    short_host = argv[3];
    short_port = atoi(argv[4]);
    flood_seconds = atoi(argv[5]);
    rss_cap_kb = (argc > 6 ? atof(argv[6]) : 3072) * 1024;
    double destroy_wait = argc > 7 ? atof(argv[7]) : 30;

    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.on_push = on_push;
    cb.on_task_end = on_task_end;
    mars_stn *s = NULL;
    if (stn_open(argv[1], &port, &cb, &s) != MARS_OK) {
        fprintf(stderr, "pushflood: mars_stn_create failed\n");
        return 1;
    }
    pthread_t th;
    pthread_create(&th, NULL, sampler, NULL);
    pthread_detach(th);

    start(s, CMD_ECHO, NULL); /* connects the long link */
    pthread_mutex_lock(&mu);
    int connected = wait_until(&echoed, 10);
    pthread_mutex_unlock(&mu);
    if (!connected) {
        fprintf(stderr, "pushflood: the first task did not end within 10 s\n");
        return 1;
    }
    pthread_mutex_lock(&mu);
    for (int i = 0; i < TASKS; i++) start(s, CMD_SILENCE, &silent_ids[i]);
    long rss_start = rss_kb;
    pthread_mutex_unlock(&mu);

    double t0 = now_s();
    pthread_create(&th, NULL, flood, NULL);
    pthread_detach(th);
    pthread_mutex_lock(&mu);
    while (!flood_done && !capped) pthread_cond_wait(&cv, &mu);
    double flood_s = now_s() - t0;
    long delivered_in_flood = pushes;
    pthread_mutex_unlock(&mu);

    t0 = now_s();
    pthread_create(&th, NULL, destroyer, s);
    pthread_detach(th);
    pthread_mutex_lock(&mu);
    int returned = wait_until(&destroyed, destroy_wait);
    double destroy_ms = (now_s() - t0) * 1000;
    int once = 0, reset = 0;
    for (int i = 0; i < TASKS; i++) {
        once += silent_ends[i] == 1;
        reset += silent_ends[i] == 1 && silent_reset[i];
    }
    long delivered = pushes;
    pthread_mutex_unlock(&mu);
    if (returned) sleep_ms(200); /* nothing may run after destroy */

    pthread_mutex_lock(&mu);
    int late = pushes != delivered;
    for (int i = 0; i < TASKS; i++) late |= silent_ends[i] > 1;
    printf("lang=c flood_s=%.1f rss_start_mb=%.1f rss_peak_mb=%.1f capped=%d server_pushed=%ld "
           "delivered_in_flood=%ld delivered=%ld destroy_returned=%d destroy_ms=%.0f "
           "tasks=%d ended_once=%d ended_reset=%d after_destroy=%d\n",
           flood_s, rss_start / 1024.0, rss_peak_kb / 1024.0, capped, flood_pushed, delivered_in_flood, delivered,
           returned, returned ? destroy_ms : destroy_wait * 1000, TASKS, once, reset, late);
    pthread_mutex_unlock(&mu);
    fflush(stdout);
    _exit(returned && once == TASKS && !late ? 0 : 3); /* a hung destroy must not hold the exit */
}
