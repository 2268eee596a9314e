/* idle.c: how often an engine with its long link up and nothing to do
 * wakes the process. Connects to marsd through the C ABI, waits for the
 * link, lets SETTLE seconds pass (the Go runtime winds down after the
 * connect), then counts the context switches of every thread of the process
 * over WINDOW seconds. The main thread sleeps meanwhile, so every switch
 * counted is the library's or the Go runtime's.
 *
 *   idle HOST PORT SETTLE WINDOW
 *
 * Prints "ready PID" once settled, then after the window one line
 * "voluntary=V involuntary=I per_minute=X threads=T link_up=1", then idles one more
 * window (run.sh attaches strace to it) and exits. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loadutil.h"

/* switches sums the voluntary (*vol) and involuntary (*invol) context
 * switches of all threads. */
static void switches(long *vol, long *invol, int *threads) {
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    *vol = *invol = 0;
    *threads = 0;
    if (!d) return;
    while ((e = readdir(d)) != NULL) {
        char path[300], line[256];
        long n;
        FILE *f;
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
        if (!(f = fopen(path, "r"))) continue;
        (*threads)++;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
                *vol += n;
            else if (sscanf(line, "nonvoluntary_ctxt_switches: %ld", &n) == 1)
                *invol += n;
        fclose(f);
    }
    closedir(d);
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int link_up;

/* on_status wakes main when the long link comes up. */
static void on_status(void *ud, int status) {
    (void)ud;
    pthread_mutex_lock(&mu);
    link_up = status == MARS_LONGLINK_CONNECTED;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&mu);
}

/* wait_up waits up to seconds for on_status to report the link up. */
static int wait_up(int seconds) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_mutex_lock(&mu);
    while (!link_up && pthread_cond_timedwait(&changed, &mu, &until) == 0) {
    }
    int up = link_up;
    pthread_mutex_unlock(&mu);
    return up;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: idle HOST PORT SETTLE WINDOW\n");
        return 2;
    }
    uint16_t port = (uint16_t)atoi(argv[2]);
    int settle = atoi(argv[3]), window = atoi(argv[4]), threads = 0, up = 0;
    mars_stn_callbacks cb;
    mars_stn *s;
    mars_stn_callbacks_init(&cb);
    cb.on_longlink_status_change = on_status;
    if (stn_open(argv[1], &port, &cb, &s) != MARS_OK) return 1;
    mars_stn_on_foreground(s, 1);
    mars_stn_makesure_longlink_connected(s);
    if (!wait_up(10)) {
        fprintf(stderr, "idle: the long link did not come up\n");
        return 1;
    }
    sleep((unsigned)settle);
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    long v0, n0, v1, n1;
    switches(&v0, &n0, &threads);
    sleep((unsigned)window);
    switches(&v1, &n1, &threads);
    up = 0;
    mars_stn_longlink_is_connected(s, &up);
    printf("voluntary=%ld involuntary=%ld per_minute=%.1f threads=%d link_up=%d\n", v1 - v0, n1 - n0,
           (double)(v1 - v0 + n1 - n0) * 60.0 / window, threads, up);
    fflush(stdout);
    sleep((unsigned)window + 5); /* a second window (and a margin), for run.sh's strace */
    mars_stn_destroy(s);
    return 0;
}
