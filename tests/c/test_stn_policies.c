/* test_stn_policies.c — the engine's policies through the C ABI, against
 * marsd on loopback: mars_stn_trig_noop and the signalling keeper seen by
 * the server, the heartbeat interval query, the network quality query and
 * callback, is_logoned, short-link long polling, network labels and the
 * timeouts of each network.
 * Needs MARSD. */
#include "stn_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- marsd's counters (GET /_marsd/stats on its short side) ------------- */

/* marsd_admin sends req (a whole HTTP/1.0 request) to marsd's short side
 * and reads the answer into resp; 0 on success. */
static int marsd_admin(const char *req, char *resp, size_t len) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(g_srv.short_port);
    int rc = -1;
    size_t n = 0;
    if (inet_pton(AF_INET, g_srv.short_host, &a.sin_addr) == 1 &&
        connect(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        write(fd, req, strlen(req)) == (ssize_t)strlen(req)) {
        ssize_t k;
        while (n < len - 1 && (k = read(fd, resp + n, len - 1 - n)) > 0) n += (size_t)k;
        rc = 0;
    }
    resp[n] = 0;
    close(fd);
    return rc;
}

/* marsd_stat returns the named counter of marsd's stats, or -1. */
static long marsd_stat(const char *name) {
    char resp[4096];
    if (marsd_admin("GET /_marsd/stats HTTP/1.0\r\nHost: marsd\r\n\r\n", resp, sizeof resp) != 0) return -1;
    char key[64];
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *at = strstr(resp, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* marsd_behave sets marsd's behaviour to the query fields ("" restores
 * normal service); 0 when marsd accepted it. */
static int marsd_behave(const char *fields) {
    char req[256], resp[1024];
    snprintf(req, sizeof req, "POST /_marsd/behavior?%s HTTP/1.0\r\nHost: marsd\r\nContent-Length: 0\r\n\r\n",
             fields);
    if (marsd_admin(req, resp, sizeof resp) != 0) return -1;
    return strncmp(resp, "HTTP/1.0 200", 12) == 0 || strncmp(resp, "HTTP/1.1 200", 12) == 0 ? 0 : -1;
}

/* wait_stat polls marsd (another process: nothing to wait on) until the
 * counter reaches want; 0 on success, -1 after TEST_TIMEOUT_MS. */
static int wait_stat(const char *name, long want) {
    for (int i = 0; i < TEST_TIMEOUT_MS / 5; i++) {
        if (marsd_stat(name) >= want) return 0;
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

/* ---- what the policy callbacks saw --------------------------------------- */

/* pol extends the fixture's ctx (its first member, so the echo callbacks
 * see a ctx through the same user_data). */
typedef struct pol {
    ctx c;
    event quality;
    mars_network_quality last_quality;
    event logoned;
    event profiled;
    pthread_t quality_thread;
    int profile_weak, profile_size_ok;
    int64_t profile_first_pkg_timeout_ms;
} pol;

static void pol_init(pol *p) {
    memset(p, 0, sizeof *p);
    ctx_init(&p->c);
    event_init(&p->quality);
    event_init(&p->logoned);
    event_init(&p->profiled);
}

static void on_quality(void *ud, const mars_network_quality *q) {
    pol *p = ud;
    pthread_mutex_lock(&p->c.mu);
    p->last_quality = *q;
    p->quality_thread = pthread_self();
    pthread_mutex_unlock(&p->c.mu);
    event_signal(&p->quality);
}

static int is_logoned(void *ud) {
    pol *p = ud;
    event_signal(&p->logoned);
    return 1;
}

static void on_profile(void *ud, const mars_task_profile *prof) {
    pol *p = ud;
    pthread_mutex_lock(&p->c.mu);
    p->profile_size_ok = prof->struct_size == sizeof *prof;
    p->profile_weak = prof->weak_network;
    p->profile_first_pkg_timeout_ms = prof->first_pkg_timeout_ms;
    pthread_mutex_unlock(&p->c.mu);
    event_signal(&p->profiled);
}

/* policy_engine creates an engine on marsd's long link with cfg's policy
 * fields as set by tweak, and every policy callback. */
static mars_stn *policy_engine(pol *p, void (*tweak)(mars_stn_config *)) {
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.shortlink_port = g_srv.short_port;
    if (tweak) tweak(&cfg);
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &p->c);
    cb.user_data = p;
    cb.on_network_quality_change = on_quality;
    cb.is_logoned = is_logoned;
    cb.report_task_profile = on_profile;
    return create_engine(&p->c, &cfg, &cb);
}

/* echo_ok runs one long-link echo task to its end and checks it succeeded. */
static int echo_ok(pol *p) {
    int before = event_count(&p->c.ended);
    if (start_echo(p->c.stn, CMD_ECHO, NULL) != MARS_OK) return -1;
    if (event_wait(&p->c.ended, before + 1, TEST_TIMEOUT_MS) != 0) return -1;
    pthread_mutex_lock(&p->c.mu);
    int ok = p->c.last_err_type == MARS_ECT_OK;
    pthread_mutex_unlock(&p->c.mu);
    return ok ? 0 : -1;
}

/* ---- tests ---------------------------------------------------------------- */

static void passive(mars_stn_config *cfg) { cfg->heartbeat_mode = MARS_HEARTBEAT_PASSIVE; }

/* In passive mode the host drives the heartbeat: mars_stn_trig_noop sends
 * one, and marsd counts it. */
TEST(test_trig_noop_reaches_marsd) {
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, passive);
    CHECK(s != NULL);
    /* Two round trips: whatever the link sent at connect has reached marsd
     * before the second task's request did. */
    CHECK(echo_ok(&p) == 0);
    CHECK(echo_ok(&p) == 0);
    long n0 = marsd_stat("noops");
    CHECK(n0 >= 0);
    int64_t ms = -1;
    CHECK_RC(mars_stn_heartbeat_interval(s, &ms), MARS_OK);
    CHECK(ms == 0); /* passive: no periodic heartbeat */
    CHECK_RC(mars_stn_trig_noop(s), MARS_OK);
    CHECK(wait_stat("noops", n0 + 1) == 0);
    CHECK(echo_ok(&p) == 0); /* the answered noop left the link usable */
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* A server that takes a read for a packet answers only the first packet of
 * each read; max_in_flight = 1 sends one request at a time, so every task
 * of a burst is answered (mars.h's promise for that option). */
static void one_in_flight(mars_stn_config *cfg) { cfg->max_in_flight = 1; }

TEST(test_max_in_flight_one_gets_a_burst_through_a_one_packet_per_read_server) {
    CHECK(marsd_behave("one_per_read=1") == 0);
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, one_in_flight);
    CHECK(s != NULL);
    enum { burst = 10 };
    for (int i = 0; i < burst; i++) CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&p.c.ended, burst, TEST_TIMEOUT_MS) == 0);
    pthread_mutex_lock(&p.c.mu);
    int ok = p.c.ok_ends;
    pthread_mutex_unlock(&p.c.mu);
    CHECK(ok == burst);
    CHECK(marsd_stat("dropped_bytes") == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK(marsd_behave("") == 0);
}

/* The signalling keeper sends UDP datagrams to the link's peer, one at
 * once and one per period of silence; marsd counts them. */
TEST(test_signalling_keeper_reaches_marsd) {
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, NULL);
    CHECK(s != NULL);
    CHECK(echo_ok(&p) == 0); /* the keeper aims at the connected peer */
    long n0 = marsd_stat("signals");
    CHECK(n0 >= 0);
    CHECK_RC(mars_stn_set_signalling_strategy(s, 50, 2000), MARS_OK);
    CHECK_RC(mars_stn_keep_signalling(s), MARS_OK);
    CHECK(wait_stat("signals", n0 + 2) == 0);
    CHECK_RC(mars_stn_stop_signalling(s), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

static void hb30s(mars_stn_config *cfg) { cfg->heartbeat_interval_ms = 30000; }
static void hb_off(mars_stn_config *cfg) { cfg->heartbeat_interval_ms = -1; }

/* The interval query follows heartbeat_interval_ms and the mode switches. */
TEST(test_heartbeat_interval_follows_the_mode) {
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, hb30s);
    CHECK(s != NULL);
    int64_t ms = -1;
    CHECK_RC(mars_stn_heartbeat_interval(s, &ms), MARS_OK);
    CHECK(ms == 30000);
    CHECK_RC(mars_stn_set_heartbeat_mode(s, MARS_HEARTBEAT_PASSIVE), MARS_OK);
    CHECK_RC(mars_stn_heartbeat_interval(s, &ms), MARS_OK);
    CHECK(ms == 0);
    CHECK_RC(mars_stn_set_heartbeat_mode(s, MARS_HEARTBEAT_SMART), MARS_OK);
    CHECK_RC(mars_stn_heartbeat_interval(s, &ms), MARS_OK);
    CHECK(ms > 0);
    CHECK_RC(mars_stn_set_heartbeat_mode(s, MARS_HEARTBEAT_FIXED), MARS_OK);
    CHECK_RC(mars_stn_heartbeat_interval(s, &ms), MARS_OK);
    CHECK(ms == 30000);
    CHECK_RC(mars_stn_heartbeat_interval(s, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_heartbeat_interval(NULL, &ms), MARS_EBADHANDLE);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK_RC(mars_stn_heartbeat_interval(s, &ms), MARS_EBADHANDLE);

    pol q;
    pol_init(&q);
    s = policy_engine(&q, hb_off);
    CHECK(s != NULL);
    ms = -1;
    CHECK_RC(mars_stn_heartbeat_interval(s, &ms), MARS_OK);
    CHECK(ms == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* Before any traffic the estimate is unknown; after a loopback task it is
 * OK or good, and on_network_quality_change reported the change. */
TEST(test_network_quality_after_a_task) {
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, NULL);
    CHECK(s != NULL);
    mars_network_quality q;
    memset(&q, 0x5A, sizeof q);
    q.struct_size = sizeof q;
    CHECK_RC(mars_stn_network_quality(s, &q), MARS_OK);
    CHECK(q.struct_size == sizeof q && q.level == MARS_QUALITY_UNKNOWN);
    CHECK(q.rtt_ms == 0 && q.throughput == 0 && q.weak_marked == 0);

    CHECK(echo_ok(&p) == 0);
    CHECK(event_wait(&p.quality, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(event_wait(&p.profiled, 1, TEST_TIMEOUT_MS) == 0); /* runs after on_task_end */
    pthread_mutex_lock(&p.c.mu);
    mars_network_quality seen = p.last_quality;
    int weak = p.profile_weak, size_ok = p.profile_size_ok;
    pthread_mutex_unlock(&p.c.mu);
    CHECK(seen.struct_size == sizeof seen);
    CHECK(seen.level == MARS_QUALITY_OK || seen.level == MARS_QUALITY_GOOD);
    CHECK(size_ok && weak == 0); /* report_task_profile: no weak mark on loopback */

    CHECK_RC(mars_stn_network_quality(s, &q), MARS_OK);
    CHECK(q.level == MARS_QUALITY_OK || q.level == MARS_QUALITY_GOOD);
    CHECK(q.rtt_ms >= 0 && q.rtt_ms < 2000);
    CHECK(q.dynamic_timeout >= MARS_DYNAMIC_TIMEOUT_EVALUATING &&
          q.dynamic_timeout <= MARS_DYNAMIC_TIMEOUT_BAD);
    CHECK(q.weak_marked == 0 && q.throughput >= 0);

    /* A caller built against an older, shorter struct gets only its part. */
    mars_network_quality old;
    memset(&old, 0x5A, sizeof old);
    old.struct_size = offsetof(mars_network_quality, rtt_ms);
    CHECK_RC(mars_stn_network_quality(s, &old), MARS_OK);
    CHECK(old.struct_size == offsetof(mars_network_quality, rtt_ms));
    CHECK(old.level == q.level);
    CHECK(old.rtt_ms == 0x5A5A5A5A5A5A5A5ALL);
    old.struct_size = sizeof(size_t);
    CHECK_RC(mars_stn_network_quality(s, &old), MARS_EINVAL);
    CHECK_RC(mars_stn_network_quality(s, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_network_quality(NULL, &q), MARS_EBADHANDLE);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* A host built against the header before the optional callbacks passes a
 * shorter table: whatever lies beyond its struct_size is never called. */
TEST(test_older_callback_table_ignores_the_new_entries) {
    pol p;
    pol_init(&p);
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.timing_sync = 1; /* would ask is_logoned at once */
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &p.c);
    cb.user_data = &p;
    cb.on_network_quality_change = on_quality;
    cb.is_logoned = is_logoned;
    cb.struct_size = offsetof(mars_stn_callbacks, on_network_quality_change);
    mars_stn *s = create_engine(&p.c, &cfg, &cb);
    CHECK(s != NULL);
    CHECK(echo_ok(&p) == 0); /* the quality changes: unknown -> measured */
    int64_t ms;
    CHECK_RC(mars_stn_heartbeat_interval(s, &ms), MARS_OK); /* the engine caught up */
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK(event_count(&p.quality) == 0 && event_count(&p.logoned) == 0);
}

static void sync_on(mars_stn_config *cfg) { cfg->timing_sync = 1; }

/* The timing sync asks is_logoned for its period; without it nobody asks. */
TEST(test_is_logoned_asked_by_timing_sync) {
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, sync_on);
    CHECK(s != NULL);
    CHECK(event_wait(&p.logoned, 1, TEST_TIMEOUT_MS) == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);

    pol q;
    pol_init(&q);
    s = policy_engine(&q, NULL);
    CHECK(s != NULL);
    CHECK(echo_ok(&q) == 0); /* connects and disconnects nothing: no sync */
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK(event_count(&q.logoned) == 0);
}

/* start_poll starts a short-link long-polling task on cgi. */
static int start_poll(mars_stn *s, const char *cgi, int64_t timeout_ms) {
    mars_task t;
    mars_task_init(&t);
    t.channel_select = MARS_CHANNEL_SHORT;
    t.cgi = cgi;
    const char *hosts[] = {g_srv.short_host};
    t.shortlink_hosts = hosts;
    t.shortlink_hosts_len = 1;
    t.retry_count = 0;
    t.long_polling = 1;
    t.long_polling_timeout_ms = timeout_ms;
    return mars_stn_start_task(s, &t, NULL);
}

/* A long-polling task waits for a held answer within its timeout, and one
 * held longer ends with MARS_ECT_HTTP_LONG_POLLING_TIMEOUT at that timeout
 * (not the 12 s first-packet timeout). */
TEST(test_long_polling_task) {
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, NULL);
    CHECK(s != NULL);
    CHECK_RC(start_poll(s, "/poll?marsd_delay=200ms", 5000), MARS_OK);
    CHECK(event_wait(&p.c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(p.c.ok_ends == 1);

    double t0 = now_ns();
    CHECK_RC(start_poll(s, "/poll?marsd_delay=5s", 300), MARS_OK);
    CHECK(event_wait(&p.c.ended, 2, TEST_TIMEOUT_MS) == 0);
    double waited_ms = (now_ns() - t0) / 1e6;
    pthread_mutex_lock(&p.c.mu);
    int et = p.c.last_err_type, ec = p.c.last_err_code;
    pthread_mutex_unlock(&p.c.mu);
    if (et != MARS_ECT_HTTP || ec != MARS_ECT_HTTP_LONG_POLLING_TIMEOUT)
        fprintf(stderr, "  ended (%d, %d) after %.0f ms\n", et, ec, waited_ms);
    CHECK(et == MARS_ECT_HTTP && ec == MARS_ECT_HTTP_LONG_POLLING_TIMEOUT);
    CHECK(waited_ms >= 300);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

static void polled(mars_stn_config *cfg) { cfg->poll_events = 1; }

/* With poll_events, on_network_quality_change is a notification: it runs
 * inside mars_stn_poll on the polling thread. */
TEST(test_quality_change_is_polled) {
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, polled);
    CHECK(s != NULL);
    CHECK(start_echo(s, CMD_ECHO, NULL) == MARS_OK);
    for (int i = 0; i < TEST_TIMEOUT_MS / 100 && event_count(&p.quality) == 0; i++) {
        CHECK_RC(mars_stn_poll(s, 100, NULL), MARS_OK);
    }
    CHECK(event_count(&p.quality) >= 1);
    pthread_mutex_lock(&p.c.mu);
    int on_me = pthread_equal(p.quality_thread, pthread_self());
    pthread_mutex_unlock(&p.c.mu);
    CHECK(on_me);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

static char g_state_dir[64];
static void labelled(mars_stn_config *cfg) {
    cfg->app_file_dir = g_state_dir;
    cfg->network_label = "cfg-net-3";
}

/* network_label and mars_stn_on_network_change's label reach the engine:
 * the IP history in app_file_dir is kept under each of them. */
TEST(test_network_labels_key_the_ip_history) {
    snprintf(g_state_dir, sizeof g_state_dir, "/tmp/mars-test-labels-XXXXXX");
    CHECK(mkdtemp(g_state_dir) != NULL);
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, labelled);
    CHECK(s != NULL);
    CHECK(echo_ok(&p) == 0);
    CHECK_RC(mars_stn_on_network_change(s, MARS_NET_WIFI, "abi-net-7"), MARS_OK);
    CHECK(echo_ok(&p) == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);

    char path[128], buf[8192];
    snprintf(path, sizeof path, "%s/host/ipportrecords.json", g_state_dir);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    if (!strstr(buf, "\"cfg-net-3\"") || !strstr(buf, "\"abi-net-7\"")) fprintf(stderr, "  %s: %s\n", path, buf);
    CHECK(strstr(buf, "\"cfg-net-3\"") != NULL);
    CHECK(strstr(buf, "\"abi-net-7\"") != NULL);
    const char *files[] = {"host/ipportrecords.json", "host/connectrtt.json", "host", ""};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", g_state_dir, files[i]);
        remove(path);
    }
}

static void on_mobile(mars_stn_config *cfg) { cfg->network_type = MARS_NET_MOBILE; }

/* first_pkg_timeout_after_echo runs one echo task and returns the
 * first-packet limit its profile reports, or -1. */
static int64_t first_pkg_timeout_after_echo(pol *p) {
    int before = event_count(&p->profiled);
    if (echo_ok(p) != 0 || event_wait(&p->profiled, before + 1, TEST_TIMEOUT_MS) != 0) return -1;
    pthread_mutex_lock(&p->c.mu);
    int64_t ms = p->profile_first_pkg_timeout_ms;
    pthread_mutex_unlock(&p->c.mu);
    return ms;
}

/* mars.h: the timeout constants mars_stn_config_init leaves 0 take the
 * values of the network in use, MARS_NET_MOBILE's 15 s first-packet base
 * included, and follow mars_stn_on_network_change (Wi-Fi: 12 s). The limit
 * of a short body on a fresh link is the base plus a few ms. */
TEST(test_mobile_network_gets_mobile_timeouts) {
    mars_stn_config cfg;
    CHECK_RC(mars_stn_config_init(&cfg), MARS_OK);
    CHECK(cfg.base_first_packet_timeout_ms == 0 && cfg.max_first_packet_timeout_ms == 0 &&
          cfg.package_interval_ms == 0 && cfg.task_delay_ms == 0 && cfg.min_rate == 0);
    pol p;
    pol_init(&p);
    mars_stn *s = policy_engine(&p, on_mobile);
    CHECK(s != NULL);
    int64_t mobile = first_pkg_timeout_after_echo(&p);
    CHECK_RC(mars_stn_on_network_change(s, MARS_NET_WIFI, NULL), MARS_OK);
    int64_t wifi = first_pkg_timeout_after_echo(&p);
    CHECK_RC(mars_stn_on_network_change(s, MARS_NET_MOBILE, NULL), MARS_OK);
    int64_t mobile_again = first_pkg_timeout_after_echo(&p);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    if (mobile / 1000 != 15 || wifi / 1000 != 12 || mobile_again / 1000 != 15)
        fprintf(stderr, "  first-packet limits: mobile %lld, wifi %lld, mobile %lld ms\n",
                (long long)mobile, (long long)wifi, (long long)mobile_again);
    CHECK(mobile >= 15000 && mobile < 15100);
    CHECK(wifi >= 12000 && wifi < 12100);
    CHECK(mobile_again >= 15000 && mobile_again < 15100);
}

/* ---- secure paths: what failed is what is reported ------------------------ */

/* g_net records network-error callbacks of both links as "type code ip:port". */
static struct {
    pthread_mutex_t mu;
    event got;
    char lines[32][96];
    int n;
} g_net = {PTHREAD_MUTEX_INITIALIZER, {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0}, {{0}}, 0};

static void record_net_err(void *ud, int et, int ec, const char *ip, int port) {
    (void)ud;
    pthread_mutex_lock(&g_net.mu);
    if (g_net.n < 32) snprintf(g_net.lines[g_net.n++], sizeof g_net.lines[0], "%d %d %s:%d", et, ec, ip, port);
    pthread_mutex_unlock(&g_net.mu);
    event_signal(&g_net.got);
}

static void net_reset(void) {
    pthread_mutex_lock(&g_net.mu);
    g_net.n = 0;
    pthread_mutex_unlock(&g_net.mu);
    event_reset(&g_net.got);
}

/* net_seen waits for want among the recorded lines. */
static int net_seen(const char *want) {
    for (int k = 1; k <= 32; k++) {
        if (event_wait(&g_net.got, k, TEST_TIMEOUT_MS) != 0) return 0;
        pthread_mutex_lock(&g_net.mu);
        int found = strcmp(g_net.lines[k - 1], want) == 0;
        pthread_mutex_unlock(&g_net.mu);
        if (found) return 1;
    }
    return 0;
}

/* net_names reports whether a recorded line ends with ":port". */
static int net_names(int port) {
    char suffix[16];
    snprintf(suffix, sizeof suffix, ":%d", port);
    pthread_mutex_lock(&g_net.mu);
    int found = 0;
    for (int i = 0; i < g_net.n; i++) {
        size_t l = strlen(g_net.lines[i]), sl = strlen(suffix);
        if (l >= sl && strcmp(g_net.lines[i] + l - sl, suffix) == 0) found = 1;
    }
    pthread_mutex_unlock(&g_net.mu);
    return found;
}

/* closed_port is a loopback port nothing listens on. */
static int closed_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &n) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

/* net_err_engine creates an engine whose network errors of both links go
 * to g_net. */
static mars_stn *net_err_engine(ctx *c, const mars_stn_config *cfg) {
    mars_stn_callbacks cb;
    echo_callbacks(&cb, c);
    cb.on_longlink_network_error = record_net_err;
    cb.on_shortlink_network_error = record_net_err;
    return create_engine(c, cfg, &cb);
}

/* start_short_once starts a short-link echo with no retry and a total
 * timeout far beyond the test's wait: a parked task would end only then. */
static int start_short_once(mars_stn *s) {
    mars_task t;
    mars_task_init(&t);
    t.channel_select = MARS_CHANNEL_SHORT;
    t.cgi = "/mars/echo";
    t.retry_count = 0;
    t.total_timeout_ms = 60000;
    const char *hosts[] = {g_srv.short_host};
    t.shortlink_hosts = hosts;
    t.shortlink_hosts_len = 1;
    return mars_stn_start_task(s, &t, NULL);
}

/* An unreachable proxy is the proxy's failure on both links: its own code
 * and its address, never the target's. */
TEST(test_proxy_failure_is_reported_as_the_proxy_s) {
    net_reset();
    int pport = closed_port();
    CHECK(pport > 0);
    char proxy[32], want[64];
    snprintf(proxy, sizeof proxy, "127.0.0.1:%d", pport);
    ctx c;
    ctx_init(&c);
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.shortlink_port = g_srv.short_port;
    cfg.proxy_kind = MARS_PROXY_HTTP;
    cfg.proxy_addr = proxy;
    mars_stn *s = net_err_engine(&c, &cfg);
    CHECK(s != NULL);
    CHECK_RC(mars_stn_makesure_longlink_connected(s), MARS_OK);
    snprintf(want, sizeof want, "%d %d %s", MARS_ECT_SOCKET, MARS_ECT_SOCKET_PROXY_REFUSED, proxy);
    CHECK(net_seen(want));
    CHECK_RC(start_short_once(s), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.last_err_type == MARS_ECT_SOCKET && c.last_err_code == MARS_ECT_SOCKET_PROXY_REFUSED);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK(!net_names(g_srv.long_port) && !net_names(g_srv.short_port));
}

/* A TLS failure (here: the server does not speak TLS, pins set) is
 * reported as one, with the address that failed it, on both links. */
TEST(test_tls_failure_is_reported_on_both_links) {
    net_reset();
    uint8_t pins[1][32] = {{1}};
    ctx c;
    ctx_init(&c);
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.tls = 1;
    cfg.tls_pinned_spki_sha256 = &pins[0][0];
    cfg.tls_pinned_spki_len = 1;
    cfg.connect_timeout_ms = 2000;
    cfg.shortlink_port = g_srv.short_port;
    cfg.shortlink_tls = 1;
    cfg.shortlink_tls_pinned_spki_sha256 = &pins[0][0];
    cfg.shortlink_tls_pinned_spki_len = 1;
    mars_stn *s = net_err_engine(&c, &cfg);
    CHECK(s != NULL);
    CHECK_RC(mars_stn_makesure_longlink_connected(s), MARS_OK);
    char want[96];
    snprintf(want, sizeof want, "%d %d %s:%d", MARS_ECT_SOCKET, MARS_ECT_HANDSHAKE_MISUNDERSTAND, g_srv.long_host,
             g_srv.long_port);
    CHECK(net_seen(want));
    CHECK_RC(start_short_once(s), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.last_err_type == MARS_ECT_SOCKET && c.last_err_code == MARS_ECT_HANDSHAKE_MISUNDERSTAND);
    snprintf(want, sizeof want, "%d %d %s:%d", MARS_ECT_SOCKET, MARS_ECT_HANDSHAKE_MISUNDERSTAND, g_srv.short_host,
             g_srv.short_port);
    CHECK(net_seen(want));
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

int main(int argc, char **argv) {
    if (marsd_start(&g_srv, CLIENT_VERSION) != 0) {
        printf("0 passed, 1 failed\n");
        return 1;
    }
    int rc = run_tests(argc > 1 ? argv[1] : NULL, NULL);
    marsd_stop(&g_srv);
    return rc;
}
