/* test_stn.c — STN through the C API against marsd on loopback: a task round
 * trip, a push, calls from inside callbacks (start_task in on_task_end, reset
 * in on_push, has_task in req2buf, destroy in on_task_end), many threads
 * starting tasks at once, and a host-supplied long-link codec.
 * Needs MARSD (path of the marsd binary). */
#include "harness.h"

#include <sched.h>

#define CLIENT_VERSION 200

/* marsd's special request cmdids (marsd package doc). */
#define CMD_ECHO 100
#define CMD_PUSH_ECHO 10002
#define CMD_SILENCE 10004
#define CMD_PUSH 10001

static marsd g_srv;

/* ctx is what every callback of one test sees through user_data. */
typedef struct ctx {
    mars_stn *stn;
    event ended;
    event pushed;
    pthread_mutex_t mu;
    int ok_ends, failed_ends;
    int last_err_type, last_err_code;
    uint32_t last_taskid;
    int has_task_in_req2buf;
    char last_push[256];
    uint32_t push_cmdid;
    /* reentrancy switches */
    int start_task_in_end;  /* on_task_end of the first task starts one more */
    int reset_in_push;      /* on_push calls mars_stn_reset */
    int destroy_in_end;     /* on_task_end destroys the engine */
    int destroy_rc;
    int resets_seen;
    int profile_ok;
    /* address and link observations */
    int dns_calls, dns_longlink;
    char dns_host[128];
    int identify_asked, identify_answered, identify_resp_ok;
    unsigned status_seen; /* bit per MARS_LONGLINK_* */
    int connect_status_reports;
    int64_t traffic_sent, traffic_recv;
    event identified;
} ctx;

static void ctx_init(ctx *c) {
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_mutex_init(&c->ended.mu, NULL);
    pthread_cond_init(&c->ended.cv, NULL);
    pthread_mutex_init(&c->pushed.mu, NULL);
    pthread_cond_init(&c->pushed.cv, NULL);
    pthread_mutex_init(&c->identified.mu, NULL);
    pthread_cond_init(&c->identified.cv, NULL);
}

/* The request body is "task <id>"; buf2resp checks marsd echoed it. */
static int req2buf(void *ud, const mars_task_ref *t, int channel, const char *host, mars_buf *out,
                   int *err_code) {
    ctx *c = ud;
    char body[64];
    int n = snprintf(body, sizeof body, "task %u", t->taskid);
    if (c->stn) {
        int has = 0;
        if (mars_stn_has_task(c->stn, t->taskid, &has) == MARS_OK && has) {
            pthread_mutex_lock(&c->mu);
            c->has_task_in_req2buf++;
            pthread_mutex_unlock(&c->mu);
        }
    }
    *err_code = 0;
    return mars_buf_append(out, body, (size_t)n) == MARS_OK;
}

static int buf2resp(void *ud, const mars_task_ref *t, int channel, const uint8_t *body, size_t n,
                    int *err_code) {
    char want[64];
    int k = snprintf(want, sizeof want, "task %u", t->taskid);
    if ((size_t)k != n || memcmp(body, want, n) != 0) {
        *err_code = 77;
        return MARS_RESP_TASK_END;
    }
    *err_code = 0;
    return MARS_RESP_OK;
}

static int start_echo(mars_stn *s, uint32_t cmdid, uint32_t *id);

static int on_task_end(void *ud, const mars_task_ref *t, int err_type, int err_code,
                       const mars_task_profile *p) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    if (err_type == MARS_ECT_OK) c->ok_ends++; else c->failed_ends++;
    if (err_type == MARS_ECT_LOCAL && err_code == MARS_ECT_LOCAL_RESET) c->resets_seen++;
    c->last_err_type = err_type;
    c->last_err_code = err_code;
    c->last_taskid = t->taskid;
    if (p && p->struct_size == sizeof(mars_task_profile) && p->taskid == t->taskid &&
        p->cgi != NULL && p->user_id != NULL && p->connect_ip != NULL)
        c->profile_ok++;
    int chain = c->start_task_in_end;
    c->start_task_in_end = 0;
    int destroy = c->destroy_in_end;
    c->destroy_in_end = 0;
    pthread_mutex_unlock(&c->mu);
    if (chain) start_echo(c->stn, CMD_ECHO, NULL);
    if (destroy) c->destroy_rc = mars_stn_destroy(c->stn);
    event_signal(&c->ended);
    return 0;
}

static void on_push(void *ud, const char *channel, uint32_t cmdid, uint32_t taskid,
                    const uint8_t *body, size_t n) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    size_t k = n < sizeof c->last_push - 1 ? n : sizeof c->last_push - 1;
    memcpy(c->last_push, body, k);
    c->last_push[k] = 0;
    c->push_cmdid = cmdid;
    int reset = c->reset_in_push;
    pthread_mutex_unlock(&c->mu);
    if (reset) mars_stn_reset(c->stn);
    event_signal(&c->pushed);
}

static void on_new_dns(void *ud, const char *host, int longlink, mars_str_list *out) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    c->dns_calls++;
    c->dns_longlink = longlink;
    snprintf(c->dns_host, sizeof c->dns_host, "%s", host);
    pthread_mutex_unlock(&c->mu);
    mars_str_list_add(out, g_srv.long_host);
}

#define IDENTIFY_CMD 4242
static int get_identify(void *ud, const char *channel, mars_buf *buf, mars_buf *hash,
                        uint32_t *cmdid) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    c->identify_asked++;
    pthread_mutex_unlock(&c->mu);
    mars_buf_append(buf, "who-am-i", 8);
    mars_buf_append(hash, "h1", 2);
    *cmdid = IDENTIFY_CMD;
    return MARS_IDENTIFY_CHECK_NOW;
}

static int on_identify(void *ud, const char *channel, const uint8_t *resp, size_t n,
                       const uint8_t *hash, size_t hn) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    c->identify_answered++;
    /* marsd echoes the identify request: same body back */
    c->identify_resp_ok = n == 8 && memcmp(resp, "who-am-i", 8) == 0 && hn == 2 &&
                          memcmp(hash, "h1", 2) == 0;
    pthread_mutex_unlock(&c->mu);
    event_signal(&c->identified);
    return 1;
}

static void on_status(void *ud, int status) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    if (status >= 0 && status < 32) c->status_seen |= 1u << status;
    pthread_mutex_unlock(&c->mu);
}

static void on_connect_status(void *ud, int status, int longlink_status) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    c->connect_status_reports++;
    pthread_mutex_unlock(&c->mu);
}

static void on_traffic(void *ud, int64_t sent, int64_t recv) {
    ctx *c = ud;
    __atomic_add_fetch(&c->traffic_sent, sent, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&c->traffic_recv, recv, __ATOMIC_SEQ_CST);
}

/* engine_with creates an engine whose long-link host is host (NULL: marsd's
 * address), with the extra callbacks switched on by the flags. */
#define WITH_DNS 1
#define WITH_IDENTIFY 2
#define WITH_STATUS 4
static mars_stn *engine_with(ctx *c, const char *host, int flags) {
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = CLIENT_VERSION;
    cfg.longlink_host = host ? host : g_srv.long_host;
    uint16_t port = g_srv.long_port;
    cfg.longlink_ports = &port;
    cfg.longlink_ports_len = 1;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.user_data = c;
    cb.req2buf = req2buf;
    cb.buf2resp = buf2resp;
    cb.on_task_end = on_task_end;
    cb.on_push = on_push;
    if (flags & WITH_DNS) cb.on_new_dns = on_new_dns;
    if (flags & WITH_IDENTIFY) {
        cb.get_identify_check_buffer = get_identify;
        cb.on_identify_response = on_identify;
    }
    if (flags & WITH_STATUS) {
        cb.on_longlink_status_change = on_status;
        cb.report_connect_status = on_connect_status;
        cb.traffic_data = on_traffic;
    }
    mars_stn *s = NULL;
    if (mars_stn_create(&cfg, &cb, &s) != MARS_OK) return NULL;
    c->stn = s;
    return s;
}

static mars_stn *new_engine(ctx *c, const mars_longlink_codec *codec) {
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = CLIENT_VERSION;
    cfg.longlink_host = g_srv.long_host;
    uint16_t port = g_srv.long_port;
    cfg.longlink_ports = &port;
    cfg.longlink_ports_len = 1;
    cfg.codec = codec;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.user_data = c;
    cb.req2buf = req2buf;
    cb.buf2resp = buf2resp;
    cb.on_task_end = on_task_end;
    cb.on_push = on_push;
    mars_stn *s = NULL;
    if (mars_stn_create(&cfg, &cb, &s) != MARS_OK) return NULL;
    c->stn = s;
    return s;
}

static int start_echo(mars_stn *s, uint32_t cmdid, uint32_t *id) {
    mars_task t;
    mars_task_init(&t);
    t.cmdid = cmdid;
    t.channel_select = MARS_CHANNEL_LONG;
    return mars_stn_start_task(s, &t, id);
}

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

/* A short-link task: one HTTP POST to marsd's short side, echoed back. */
TEST(test_short_link_round_trip) {
    ctx c;
    ctx_init(&c);
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = CLIENT_VERSION;
    cfg.shortlink_port = g_srv.short_port;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.user_data = &c;
    cb.req2buf = req2buf;
    cb.buf2resp = buf2resp;
    cb.on_task_end = on_task_end;
    mars_stn *s = NULL;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_OK);
    c.stn = s;
    mars_task t;
    mars_task_init(&t);
    t.channel_select = MARS_CHANNEL_SHORT;
    t.cgi = "/mars/echo";
    const char *hosts[] = {g_srv.short_host};
    t.shortlink_hosts = hosts;
    t.shortlink_hosts_len = 1;
    const char *names[] = {"X-Mars-Test"}, *values[] = {"1"};
    t.header_names = names;
    t.header_values = values;
    t.headers_len = 1;
    uint32_t id = 0;
    CHECK_RC(mars_stn_start_task(s, &t, &id), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    if (c.ok_ends != 1) fprintf(stderr, "  ended (%d, %d)\n", c.last_err_type, c.last_err_code);
    CHECK(c.ok_ends == 1 && c.last_taskid == id);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
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
TEST(test_engine_logs_into_an_xlog_appender) {
    char dir[] = "/tmp/mars-test-stnlog-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    mars_xlog_config xc;
    mars_xlog_config_init(&xc);
    xc.log_dir = dir;
    xc.name_prefix = "stn";
    mars_xlog *x = NULL;
    CHECK_RC(mars_xlog_open(&xc, &x), MARS_OK);

    ctx c;
    ctx_init(&c);
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = CLIENT_VERSION;
    cfg.longlink_host = g_srv.long_host;
    uint16_t port = g_srv.long_port;
    cfg.longlink_ports = &port;
    cfg.longlink_ports_len = 1;
    cfg.log = x;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.user_data = &c;
    cb.on_task_end = on_task_end;
    mars_stn *s = NULL;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_OK);
    c.stn = s;
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK_RC(mars_xlog_close(x), MARS_OK);

    /* a closed appender is refused */
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EBADHANDLE);

    char cmd[300], path[256] = {0};
    snprintf(cmd, sizeof cmd, "ls %s/stn_*.xlog", dir);
    FILE *ls = popen(cmd, "r");
    CHECK(ls != NULL);
    int got = fgets(path, sizeof path, ls) != NULL;
    pclose(ls);
    CHECK(got);
    path[strcspn(path, "\n")] = 0;
    char *text = NULL;
    size_t n = 0;
    CHECK_RC(mars_xlog_decode(path, NULL, &text, &n), MARS_OK);
    int ok = strstr(text, "[mars.stn]") != NULL && strstr(text, "long link") != NULL;
    if (!ok) fprintf(stderr, "  decoded:\n%.1500s\n", text);
    mars_free(text);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    CHECK(ok);
}

/* Network diagnosis against marsd: the tcp and long-link probes pass. */
TEST(test_sdt_check_against_marsd) {
    char req[256];
    snprintf(req, sizeof req, "{\"servers\":[\"%s:%u\"],\"checks\":%d,\"timeout_ms\":5000}",
             g_srv.long_host, g_srv.long_port, MARS_SDT_CHECK_TCP | MARS_SDT_CHECK_LONGLINK);
    char *report = NULL;
    size_t n = 0;
    CHECK_RC(mars_sdt_check(req, CLIENT_VERSION, &report, &n), MARS_OK);
    CHECK(report != NULL && strlen(report) == n);
    int ok = strstr(report, "\"kind\":\"tcp\"") && strstr(report, "\"kind\":\"longlink\"") &&
             strstr(report, "\"ok\":true,\"duration_ms\"") && !strstr(report, "\"ok\":false");
    if (!ok) fprintf(stderr, "  report: %s\n", report);
    mars_free(report);
    CHECK(ok);
    /* a wrong client version makes the long-link probe fail, and says so */
    CHECK_RC(mars_sdt_check(req, CLIENT_VERSION + 1, &report, &n), MARS_OK);
    ok = strstr(report, "\"kind\":\"longlink\"") && strstr(report, "\"ok\":false");
    mars_free(report);
    CHECK(ok);
}

/* ---- poll mode: notifications run on the polling thread --------------- */

typedef struct pctx {
    mars_stn *stn;
    pthread_t main;
    int ends, pushes, resets, off_thread, req2buf_on_main;
    int destroy_in_end, destroy_rc;
    int nested_poll_rc;
} pctx;

static int p_req2buf(void *ud, const mars_task_ref *t, int ch, const char *host, mars_buf *out,
                     int *err) {
    pctx *c = ud;
    if (pthread_equal(pthread_self(), c->main)) __atomic_store_n(&c->req2buf_on_main, 1, __ATOMIC_SEQ_CST);
    char body[64];
    int n = snprintf(body, sizeof body, "task %u", t->taskid);
    *err = 0;
    return mars_buf_append(out, body, (size_t)n) == MARS_OK;
}

static int p_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p) {
    pctx *c = ud; /* runs on the poller: no lock needed, but the checks must hold */
    if (!pthread_equal(pthread_self(), c->main)) c->off_thread++;
    c->ends++;
    if (et == MARS_ECT_LOCAL && ec == MARS_ECT_LOCAL_RESET) c->resets++;
    if (c->ends == 1) c->nested_poll_rc = mars_stn_poll(c->stn, 0, NULL);
    if (c->destroy_in_end) {
        c->destroy_in_end = 0;
        c->destroy_rc = mars_stn_destroy(c->stn);
    }
    return 0;
}

static void p_push(void *ud, const char *ch, uint32_t cmd, uint32_t id, const uint8_t *b, size_t n) {
    pctx *c = ud;
    if (!pthread_equal(pthread_self(), c->main)) c->off_thread++;
    c->pushes++;
}

static mars_stn *poll_engine(pctx *c) {
    memset(c, 0, sizeof *c);
    c->main = pthread_self();
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = CLIENT_VERSION;
    cfg.longlink_host = g_srv.long_host;
    uint16_t port = g_srv.long_port;
    cfg.longlink_ports = &port;
    cfg.longlink_ports_len = 1;
    cfg.poll_events = 1;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.user_data = c;
    cb.req2buf = p_req2buf;
    cb.buf2resp = buf2resp;
    cb.on_task_end = p_end;
    cb.on_push = p_push;
    mars_stn *s = NULL;
    if (mars_stn_create(&cfg, &cb, &s) != MARS_OK) return NULL;
    c->stn = s;
    return s;
}

TEST(test_poll_mode_runs_notifications_on_the_polling_thread) {
    pctx c;
    mars_stn *s = poll_engine(&c);
    CHECK(s != NULL);
    for (int i = 0; i < 3; i++) CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    CHECK_RC(start_echo(s, CMD_PUSH_ECHO, NULL), MARS_OK);
    double deadline = now_ns() + TEST_TIMEOUT_MS * 1e6;
    while ((c.ends < 4 || c.pushes < 1) && now_ns() < deadline) {
        int ran = -1;
        CHECK_RC(mars_stn_poll(s, 100, &ran), MARS_OK);
        CHECK(ran >= 0);
    }
    CHECK(c.ends == 4 && c.pushes == 1);
    CHECK(c.off_thread == 0);
    CHECK_RC(c.nested_poll_rc, MARS_ESTATE); /* polling itself from a polled callback */
    CHECK(__atomic_load_n(&c.req2buf_on_main, __ATOMIC_SEQ_CST) == 0);
    int ran = -1;
    CHECK_RC(mars_stn_poll(s, 0, &ran), MARS_OK); /* nothing left, no wait */
    CHECK(ran == 0);
    /* Pending tasks end with RESET at destroy, delivered by destroy itself. */
    CHECK_RC(start_echo(s, CMD_SILENCE, NULL), MARS_OK);
    CHECK_RC(start_echo(s, CMD_SILENCE, NULL), MARS_OK);
    int has = 0;
    CHECK_RC(mars_stn_has_task(s, 1, &has), MARS_OK); /* a query waits for the starts */
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK(c.resets == 2 && c.off_thread == 0);
    CHECK_RC(mars_stn_poll(s, 0, NULL), MARS_EBADHANDLE);
}

TEST(test_poll_mode_destroy_inside_a_polled_callback) {
    pctx c;
    mars_stn *s = poll_engine(&c);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_SILENCE, NULL), MARS_OK);
    CHECK_RC(start_echo(s, CMD_ECHO, NULL), MARS_OK);
    c.destroy_in_end = 1;
    double deadline = now_ns() + TEST_TIMEOUT_MS * 1e6;
    int rc = MARS_OK;
    while (rc == MARS_OK && c.ends < 2 && now_ns() < deadline) rc = mars_stn_poll(s, 100, NULL);
    CHECK_RC(c.destroy_rc, MARS_OK);
    CHECK(c.ends == 2 && c.resets == 1 && c.off_thread == 0);
    CHECK_RC(mars_stn_poll(s, 0, NULL), MARS_EBADHANDLE);
}

TEST(test_poll_on_an_engine_without_poll_events_is_a_state_error) {
    ctx c;
    ctx_init(&c);
    mars_stn *s = new_engine(&c, NULL);
    CHECK(s != NULL);
    int ran = 7;
    CHECK_RC(mars_stn_poll(s, 0, &ran), MARS_ESTATE);
    CHECK(ran == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

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

/* ---- a host codec: the Mars header written by the host ----------------- */

static int calls_pack, calls_unpack;

static void put32(uint8_t *p, uint32_t v) {
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}
static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int my_pack(void *ud, uint32_t cmdid, uint32_t seq, const uint8_t *body, size_t n,
                   mars_buf *out) {
    __atomic_add_fetch(&calls_pack, 1, __ATOMIC_SEQ_CST);
    uint8_t h[20];
    put32(h, 20); put32(h + 4, CLIENT_VERSION); put32(h + 8, cmdid); put32(h + 12, seq);
    put32(h + 16, (uint32_t)n);
    if (mars_buf_append(out, h, 20) != MARS_OK) return MARS_EINVAL;
    return mars_buf_append(out, body, n);
}

static int my_unpack(void *ud, const uint8_t *in, size_t n, uint32_t *cmdid, uint32_t *seq,
                     size_t *off, size_t *len, size_t *consumed) {
    __atomic_add_fetch(&calls_unpack, 1, __ATOMIC_SEQ_CST);
    if (n < 20) return MARS_CODEC_SHORT;
    uint32_t hl = get32(in), ver = get32(in + 4), bl = get32(in + 16);
    if (hl < 20 || ver != CLIENT_VERSION || bl > (1u << 20)) return MARS_CODEC_CORRUPT;
    if (n < (size_t)hl + bl) return MARS_CODEC_SHORT;
    *cmdid = get32(in + 8);
    *seq = get32(in + 12);
    *off = hl;
    *len = bl;
    *consumed = (size_t)hl + bl;
    return MARS_CODEC_OK;
}

TEST(test_host_codec_round_trip_and_push) {
    ctx c;
    ctx_init(&c);
    mars_longlink_codec codec = {sizeof codec, NULL, my_pack, my_unpack, NULL, NULL, NULL, NULL};
    mars_stn *s = new_engine(&c, &codec);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_PUSH_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(event_wait(&c.pushed, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.ok_ends == 1);
    CHECK(__atomic_load_n(&calls_pack, __ATOMIC_SEQ_CST) >= 1);
    CHECK(__atomic_load_n(&calls_unpack, __ATOMIC_SEQ_CST) >= 2);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* A codec that claims a body outside its input must not crash the
 * library: the link is torn down and the task fails or retries. */
static int bad_unpack(void *ud, const uint8_t *in, size_t n, uint32_t *cmdid, uint32_t *seq,
                      size_t *off, size_t *len, size_t *consumed) {
    if (n < 20) return MARS_CODEC_SHORT;
    *cmdid = get32(in + 8);
    *seq = get32(in + 12);
    *off = 20;
    *len = 1u << 30;
    *consumed = n;
    return MARS_CODEC_OK;
}

TEST(test_host_codec_lying_about_lengths_fails_the_task) {
    ctx c;
    ctx_init(&c);
    mars_longlink_codec codec = {sizeof codec, NULL, my_pack, bad_unpack, NULL, NULL, NULL, NULL};
    mars_stn *s = new_engine(&c, &codec);
    CHECK(s != NULL);
    mars_task t;
    mars_task_init(&t);
    t.cmdid = CMD_ECHO;
    t.channel_select = MARS_CHANNEL_LONG;
    t.retry_count = 0;
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.ok_ends == 0 && c.failed_ends == 1);
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
