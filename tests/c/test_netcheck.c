/* test_netcheck.c — the automatic network check through the C ABI, against
 * marsd on loopback: after short-link successes and then failures (marsd's
 * short port, then a loopback port that refuses), the library asks
 * request_netcheck_hosts, checks by itself and hands its JSON report to
 * on_netcheck_result, directly or through mars_stn_poll. The trigger's
 * windows are shrunk to 2 results through the config. Needs MARSD. */
#include "stn_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* nc extends the fixture's ctx (its first member, so the echo callbacks see
 * a ctx through the same user_data). */
typedef struct nc {
    ctx c;
    event asked;
    event reported;
    int json_len_ok;
    char json[16384];
} nc;

static void nc_init(nc *n) {
    memset(n, 0, sizeof *n);
    ctx_init(&n->c);
    event_init(&n->asked);
    event_init(&n->reported);
}

static void request_hosts(void *ud, mars_str_list *out) {
    nc *n = ud;
    mars_str_list_add(out, g_srv.short_host);
    event_signal(&n->asked);
}

static void on_result(void *ud, const char *json, size_t len) {
    nc *n = ud;
    pthread_mutex_lock(&n->c.mu);
    n->json_len_ok = json != NULL && strlen(json) == len;
    snprintf(n->json, sizeof n->json, "%s", json ? json : "");
    pthread_mutex_unlock(&n->c.mu);
    event_signal(&n->reported);
}

/* refusing_port returns a loopback port bound but not listening, so every
 * connect to it is refused; *fd keeps it bound until closed. */
static uint16_t refusing_port(int *fd) {
    *fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (*fd < 0 || bind(*fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(*fd, (struct sockaddr *)&a, &len) != 0)
        return 0;
    return ntohs(a.sin_port);
}

/* netcheck_engine creates an engine with marsd's long and short link, the
 * net-check callbacks and windows of 2 results: two successes then two
 * failures start a check. */
static mars_stn *netcheck_engine(nc *n, int poll, int off) {
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.shortlink_port = g_srv.short_port;
    cfg.retry_interval_ms = 20;
    cfg.poll_events = poll;
    cfg.netcheck_cgi = "/netcheck";
    cfg.netcheck_off = off;
    cfg.netcheck_window = 2;
    cfg.netcheck_bad_below = 1;
    cfg.netcheck_good_above = 1;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &n->c);
    cb.user_data = n;
    cb.request_netcheck_hosts = request_hosts;
    cb.on_netcheck_result = on_result;
    return create_engine(&n->c, &cfg, &cb);
}

/* short_task runs one short-link task (retries as given) and waits for its
 * end; in poll mode it pumps mars_stn_poll meanwhile. */
static int short_task(nc *n, int retries, int poll) {
    mars_task t;
    mars_task_init(&t);
    t.channel_select = MARS_CHANNEL_SHORT;
    t.cgi = "/cgi";
    const char *hosts[] = {g_srv.short_host};
    t.shortlink_hosts = hosts;
    t.shortlink_hosts_len = 1;
    t.retry_count = retries;
    t.limit_frequency = 0;
    int before = event_count(&n->c.ended);
    if (mars_stn_start_task(n->c.stn, &t, NULL) != MARS_OK) return -1;
    if (!poll) return event_wait(&n->c.ended, before + 1, TEST_TIMEOUT_MS);
    for (int i = 0; i < TEST_TIMEOUT_MS / 50 && event_count(&n->c.ended) <= before; i++) {
        int ran = 0;
        mars_stn_poll(n->c.stn, 50, &ran);
    }
    return event_count(&n->c.ended) > before ? 0 : -1;
}

/* break_network: two successes on marsd's short port, then one task whose
 * two attempts are refused. */
static int break_network(nc *n, int poll, int *fd) {
    if (short_task(n, 0, poll) != 0 || short_task(n, 0, poll) != 0) return -1;
    uint16_t bad = refusing_port(fd);
    if (bad == 0 || mars_stn_set_shortlink_svr_addr(n->c.stn, bad, NULL) != MARS_OK) return -1;
    return short_task(n, 1, poll);
}

TEST(test_netcheck_config_defaults) {
    mars_stn_config cfg;
    CHECK_RC(mars_stn_config_init(&cfg), MARS_OK);
    CHECK(cfg.netcheck_off == 0 && cfg.netcheck_cgi == NULL);
    CHECK(cfg.netcheck_window == 8 && cfg.netcheck_bad_below == 3 && cfg.netcheck_good_above == 5);
    /* Appended at the end: the older layout is untouched. */
    CHECK(offsetof(mars_stn_config, netcheck_cgi) == 432);
    CHECK(offsetof(mars_stn_config, netcheck_good_above) == 452);
    CHECK(offsetof(mars_stn_callbacks, request_netcheck_hosts) == 152);
    CHECK(offsetof(mars_stn_callbacks, on_netcheck_result) == 160);

    nc n;
    nc_init(&n);
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.netcheck_window = -1;
    mars_stn *s = NULL;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    CHECK(s == NULL);
}

/* The pattern starts one check: the host is asked for hosts, and the report
 * covers marsd's long link and the netcheck CGI on the host named. */
TEST(test_netcheck_reports_after_failures) {
    nc n;
    nc_init(&n);
    mars_stn *s = netcheck_engine(&n, 0, 0);
    CHECK(s != NULL);
    int fd = -1;
    CHECK(break_network(&n, 0, &fd) == 0);
    CHECK(event_count(&n.asked) == 1); /* asked before the failing task ended */
    CHECK(event_wait(&n.reported, 1, 40000) == 0);
    char want_tcp[128], want_http[128];
    snprintf(want_tcp, sizeof want_tcp, "\"target\":\"%s:%u\"", g_srv.long_host, g_srv.long_port);
    snprintf(want_http, sizeof want_http, "/netcheck\"");
    pthread_mutex_lock(&n.c.mu);
    int ok = n.json_len_ok && n.json[0] == '{' && strstr(n.json, "\"kind\":\"longlink\"") &&
             strstr(n.json, want_tcp) && strstr(n.json, "\"kind\":\"http\"") && strstr(n.json, want_http);
    if (!ok) fprintf(stderr, "  report: %.400s\n", n.json);
    pthread_mutex_unlock(&n.c.mu);
    CHECK(ok);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    close(fd);
    CHECK(event_count(&n.asked) == 1 && event_count(&n.reported) == 1);
}

/* With poll_events the report arrives inside mars_stn_poll. */
TEST(test_netcheck_report_polled) {
    nc n;
    nc_init(&n);
    mars_stn *s = netcheck_engine(&n, 1, 0);
    CHECK(s != NULL);
    int fd = -1;
    CHECK(break_network(&n, 1, &fd) == 0);
    for (int i = 0; i < 40000 / 50 && event_count(&n.reported) == 0; i++) {
        int ran = 0;
        CHECK_RC(mars_stn_poll(s, 50, &ran), MARS_OK);
    }
    CHECK(event_count(&n.asked) == 1 && event_count(&n.reported) == 1);
    CHECK(n.json_len_ok);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    close(fd);
}

/* netcheck_off: the same pattern starts nothing. */
TEST(test_netcheck_off) {
    nc n;
    nc_init(&n);
    mars_stn *s = netcheck_engine(&n, 0, 1);
    CHECK(s != NULL);
    int fd = -1;
    CHECK(break_network(&n, 0, &fd) == 0);
    CHECK(event_count(&n.asked) == 0); /* it would have been asked before the task ended */
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    close(fd);
    CHECK(event_count(&n.reported) == 0);
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
