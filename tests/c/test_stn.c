/* test_stn.c — STN through the C API against marsd on loopback: a task round
 * trip, a push, calls from inside callbacks (start_task in on_task_end, reset
 * in on_push, has_task in req2buf, destroy in on_task_end), address and link
 * callbacks, many threads starting tasks at once, destroy racing calls.
 * Needs MARSD (path of the marsd binary). */
#include "stn_fixture.h"

TEST(test_task_round_trip) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    uint32_t id = 0;
    CHECK_RC(start_echo(s, CMD_ECHO, &id), MARS_OK);
    CHECK(id != 0 && id < MARS_RESERVED_TASK_ID_START);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.ok_ends == 1 && c.last_taskid == id);
    CHECK(c.last_err_type == MARS_ECT_OK && c.last_err_code == 0);
    CHECK(c.profile_ok == 1);
    int connected = 0;
    CHECK_RC(mars_stn_longlink_is_connected(s, &connected), MARS_OK);
    CHECK(connected == 1);
    int has = 1;
    CHECK_RC(mars_stn_has_task(s, id, &has), MARS_OK);
    CHECK(has == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_EBADHANDLE);
}

/* version_change_round_trips creates an engine at a client version marsd
 * refuses, gives it marsd's through mars_stn_set_client_version (or, with
 * reset, mars_stn_reset_and_init_encoder_version) and runs one task. */
static int version_change_round_trips(int reset) {
    ctx c;
    ctx_init(&c);
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.client_version = CLIENT_VERSION + 1;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &c);
    mars_stn *s = create_engine(&c, &cfg, &cb);
    if (s == NULL) return 0;
    int rc = reset ? mars_stn_reset_and_init_encoder_version(s, CLIENT_VERSION)
                   : mars_stn_set_client_version(s, CLIENT_VERSION);
    uint32_t id = 0;
    int ok = rc == MARS_OK && start_echo(s, CMD_ECHO, &id) == MARS_OK &&
             event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0 && c.last_taskid == id &&
             c.last_err_type == MARS_ECT_OK;
    return mars_stn_destroy(s) == MARS_OK && ok;
}

/* Mars's SetClientVersion on a running engine: its next task round-trips. */
TEST(test_set_client_version_on_a_running_engine) { CHECK(version_change_round_trips(0)); }

TEST(test_reset_and_init_encoder_version) { CHECK(version_change_round_trips(1)); }

TEST(test_push_arrives_through_on_push) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    uint32_t id = 0;
    CHECK_RC(start_echo(s, CMD_PUSH_ECHO, &id), MARS_OK);
    CHECK(event_wait(&c.pushed, 1, TEST_TIMEOUT_MS) == 0);
    char want[64];
    snprintf(want, sizeof want, "task %u", id);
    CHECK(c.push_cmdid == CMD_PUSH);
    CHECK(strcmp(c.last_push, want) == 0);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

TEST(test_start_task_inside_on_task_end) {
    ctx c;
    ctx_init(&c);
    c.start_task_in_end = 1;
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 2, TEST_TIMEOUT_MS) == 0);
    CHECK(c.ok_ends == 2);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

TEST(test_has_task_inside_req2buf) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.has_task_in_req2buf >= 1);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* A silent task waits forever; a push arrives; on_push resets the engine;
 * the silent task must end with (LOCAL, RESET) and nothing deadlocks. */
TEST(test_reset_inside_on_push) {
    ctx c;
    ctx_init(&c);
    c.reset_in_push = 1;
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    uint32_t silent = 0;
    CHECK_RC(start_echo(s, CMD_SILENCE, &silent), MARS_OK);
    CHECK_RC(start_echo(s, CMD_PUSH_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.pushed, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(event_wait(&c.ended, 2, TEST_TIMEOUT_MS) == 0);
    pthread_mutex_lock(&c.mu);
    int resets = c.resets_seen;
    pthread_mutex_unlock(&c.mu);
    CHECK(resets >= 1);
    int has = 1;
    CHECK_RC(mars_stn_has_task(s, silent, &has), MARS_OK);
    CHECK(has == 0);
    /* The engine still works after the reset. */
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 3, TEST_TIMEOUT_MS) == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

TEST(test_destroy_inside_on_task_end) {
    ctx c;
    ctx_init(&c);
    c.destroy_in_end = 1;
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK_RC(c.destroy_rc, MARS_OK);
    CHECK_RC(mars_stn_start_task(s, &(mars_task){.struct_size = sizeof(mars_task)}, NULL),
             MARS_EBADHANDLE);
    CHECK_RC(mars_stn_destroy(s), MARS_EBADHANDLE);
}

/* The long-link host is a name nobody resolves; on_new_dns answers it. */
TEST(test_on_new_dns_resolves_the_long_link_host) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = engine_with(&c, "marsd.invalid", WITH_DNS);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.ok_ends == 1);
    CHECK(c.dns_calls >= 1 && c.dns_longlink == 1 && strcmp(c.dns_host, "marsd.invalid") == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

TEST(test_debug_ip_replaces_the_host) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = engine_with(&c, "marsd.invalid", 0);
    CHECK(s != NULL);
    CHECK_RC(mars_stn_set_debug_ip(s, "marsd.invalid", g_srv.long_host), MARS_OK);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.ok_ends == 1);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

TEST(test_identify_check_and_link_status_callbacks) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = engine_with(&c, NULL, WITH_IDENTIFY | WITH_STATUS);
    CHECK(s != NULL);
    CHECK_RC(mars_stn_makesure_longlink_connected(s), MARS_OK);
    CHECK(event_wait(&c.identified, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.identify_asked >= 1 && c.identify_resp_ok == 1);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    pthread_mutex_lock(&c.mu);
    unsigned seen = c.status_seen;
    int reports = c.connect_status_reports;
    pthread_mutex_unlock(&c.mu);
    CHECK(seen & (1u << MARS_LONGLINK_CONNECTED));
    CHECK(seen & (1u << MARS_LONGLINK_CONNECTING));
    CHECK(reports >= 1);
    CHECK(__atomic_load_n(&c.traffic_sent, __ATOMIC_SEQ_CST) > 0);
    CHECK(__atomic_load_n(&c.traffic_recv, __ATOMIC_SEQ_CST) > 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* The engine logs into an appender given in the config; the decoded log
 * shows its long-link lines under the tag mars.stn. */
#define THREADS 8
#define PER_THREAD 50

static void *starter(void *arg) {
    ctx *c = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        if (start_echo(c->stn, CMD_ECHO, NULL) != MARS_OK) {
            pthread_mutex_lock(&c->mu);
            c->failed_ends += 1000; /* a failed call fails the test */
            pthread_mutex_unlock(&c->mu);
        }
    }
    return NULL;
}

TEST(test_many_threads_start_tasks_at_once) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&th[i], NULL, starter, &c);
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
    CHECK(event_wait(&c.ended, THREADS * PER_THREAD, 30000) == 0);
    CHECK(c.ok_ends == THREADS * PER_THREAD && c.failed_ends == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* Threads keep calling into an engine while another thread destroys it:
 * every call returns OK, CLOSED or BADHANDLE, never anything else, and
 * nothing crashes or hangs. */
typedef struct racer {
    mars_stn *s;
    int stop;
    int bad_rc;
    long calls;
} racer;

static void *race_calls(void *p) {
    racer *r = p;
    mars_task t;
    mars_task_init(&t);
    t.cmdid = CMD_SILENCE;
    t.channel_select = MARS_CHANNEL_LONG;
    while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
        int has = 0;
        int rcs[] = {mars_stn_start_task(r->s, &t, NULL), mars_stn_has_task(r->s, 1, &has),
                     mars_stn_touch_tasks(r->s)};
        for (int i = 0; i < 3; i++)
            if (rcs[i] != MARS_OK && rcs[i] != MARS_ECLOSED && rcs[i] != MARS_EBADHANDLE)
                __atomic_store_n(&r->bad_rc, rcs[i], __ATOMIC_SEQ_CST);
        __atomic_add_fetch(&r->calls, 1, __ATOMIC_SEQ_CST);
        if (rcs[0] == MARS_EBADHANDLE) break;
    }
    return NULL;
}

TEST(test_destroy_while_other_threads_call) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    racer r = {s, 0, 0, 0};
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, race_calls, &r);
    while (__atomic_load_n(&r.calls, __ATOMIC_SEQ_CST) < 200) sched_yield();
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    CHECK_RC(r.bad_rc, MARS_OK);
    /* every silent task still pending at destroy ended with RESET */
    CHECK(c.ok_ends == 0 && c.failed_ends == c.resets_seen);
}

/* pctx adds proxy and DNS-report observations to ctx (its first member, so
 * the fixture's callbacks see their ctx). */
typedef struct pctx {
    ctx c;
    const char *proxy_addr; /* NULL: answer "direct" */
    int proxy_asked, proxy_longlink;
    char proxy_host[128];
    int dns_reports, dns_source, dns_longlink, dns_err_type, dns_ip_ok;
    char dns_host[128];
} pctx;

static int get_proxy_info(void *ud, const char *host, int longlink, mars_proxy_info *out) {
    pctx *p = ud;
    pthread_mutex_lock(&p->c.mu);
    p->proxy_asked++;
    p->proxy_longlink = longlink;
    snprintf(p->proxy_host, sizeof p->proxy_host, "%s", host);
    pthread_mutex_unlock(&p->c.mu);
    if (p->proxy_addr != NULL) {
        out->kind = MARS_PROXY_HTTP;
        snprintf(out->addr, sizeof out->addr, "%s", p->proxy_addr);
    } /* else kind stays MARS_PROXY_NONE: direct */
    return 1;
}

static void report_dns_profile(void *ud, const mars_dns_profile *d) {
    pctx *p = ud;
    pthread_mutex_lock(&p->c.mu);
    if (d->source == MARS_DNS_NEWDNS) {
        p->dns_reports++;
        p->dns_source = d->source;
        p->dns_longlink = d->longlink;
        p->dns_err_type = d->err_type;
        p->dns_ip_ok = d->ip_count == 1 && strcmp(d->ips[0], g_srv.long_host) == 0 && d->error[0] == 0 &&
                       d->start_ms > 0 && d->struct_size == sizeof(mars_dns_profile);
        snprintf(p->dns_host, sizeof p->dns_host, "%s", d->host);
    }
    pthread_mutex_unlock(&p->c.mu);
}

static mars_stn *proxy_engine(pctx *p, const char *proxy_addr) {
    memset(p, 0, sizeof *p);
    ctx_init(&p->c);
    p->proxy_addr = proxy_addr;
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, "marsd.invalid", &port);
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &p->c);
    cb.user_data = p;
    cb.on_new_dns = on_new_dns;
    cb.get_proxy_info = get_proxy_info;
    cb.report_dns_profile = report_dns_profile;
    return create_engine(&p->c, &cfg, &cb);
}

/* The host's on_new_dns answer is reported (Mars's ReportDnsProfile), and
 * get_proxy_info is asked for the long link's host; "direct" connects. */
TEST(test_dns_profile_and_a_direct_proxy_answer) {
    pctx p;
    mars_stn *s = proxy_engine(&p, NULL);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&p.c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(p.c.ok_ends == 1);
    CHECK_RC(mars_stn_destroy(s), MARS_OK); /* every report is delivered by now */
    CHECK(p.proxy_asked >= 1 && p.proxy_longlink == 1 && strcmp(p.proxy_host, "marsd.invalid") == 0);
    CHECK(p.dns_reports >= 1 && p.dns_longlink == 1 && p.dns_err_type == 0 && p.dns_ip_ok);
    CHECK(strcmp(p.dns_host, "marsd.invalid") == 0);
}

/* The proxy get_proxy_info names carries the connect: nothing listens
 * there, so the task ends with the proxy's own code. */
TEST(test_get_proxy_info_routes_the_connect) {
    pctx p;
    mars_stn *s = proxy_engine(&p, "127.0.0.1:1");
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&p.c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(p.c.failed_ends == 1 && p.c.last_err_type == MARS_ECT_SOCKET &&
          p.c.last_err_code == MARS_ECT_SOCKET_PROXY_REFUSED);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

int main(int argc, char **argv) { return run_against_marsd(argc, argv); }
