/* test_stn_modes.c — STN features beyond the basic round trip, against
 * marsd on loopback: short links, engine logs into xlog, network diagnosis,
 * poll mode, and a host-supplied long-link codec. Needs MARSD. */
#include "stn_fixture.h"

/* A short-link task: one HTTP POST to marsd's short side, echoed back. */
TEST(test_short_link_round_trip) {
    ctx c;
    ctx_init(&c);
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.client_version = CLIENT_VERSION;
    cfg.shortlink_port = g_srv.short_port;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &c);
    mars_stn *s = NULL;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_OK);
    c.stn = s;
    mars_task t;
    const char *hosts[1];
    short_echo_task(&t, hosts);
    t.channel_select = MARS_CHANNEL_SHORT;
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

/* mars_stn_disable_longlink: a task that may use either link goes short, a
 * long-only one ends with MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE, and nothing
 * connects the long link (not even mars_stn_makesure_longlink_connected). */
TEST(test_disable_longlink_sends_tasks_short) {
    CHECK(mars_has_feature("disable_longlink") == 1);
    ctx c;
    ctx_init(&c);
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.shortlink_port = g_srv.short_port;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &c);
    cb.on_longlink_status_change = on_status;
    mars_stn *s = create_engine(&c, &cfg, &cb);
    CHECK(s != NULL);
    CHECK_RC(mars_stn_disable_longlink(s), MARS_OK);
    CHECK_RC(mars_stn_makesure_longlink_connected(s), MARS_OK);

    mars_task t;
    const char *hosts[1];
    short_echo_task(&t, hosts); /* MARS_CHANNEL_BOTH */
    t.cmdid = CMD_ECHO;
    uint32_t both = 0;
    CHECK_RC(mars_stn_start_task(s, &t, &both), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    if (c.ok_ends != 1) fprintf(stderr, "  ended (%d, %d)\n", c.last_err_type, c.last_err_code);
    CHECK(c.ok_ends == 1 && c.last_taskid == both);

    uint32_t long_only = 0;
    CHECK_RC(start_echo(s, CMD_ECHO, &long_only), MARS_OK);
    CHECK(event_wait(&c.ended, 2, TEST_TIMEOUT_MS) == 0);
    CHECK(c.last_taskid == long_only && c.last_err_type == MARS_ECT_LOCAL &&
          c.last_err_code == MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE);
    int connected = 1;
    CHECK_RC(mars_stn_longlink_is_connected(s, &connected), MARS_OK);
    CHECK(connected == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK(c.status_seen == 0); /* the long link never even tried */
}

/* The engine's own log lines go to the appender given in the config. */
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
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
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

    char cmd[300], path[256];
    CHECK(find_xlog(dir, "stn", path, sizeof path) == 0);
    char *text = NULL;
    size_t n = 0;
    CHECK_RC(mars_xlog_decode(path, NULL, &text, &n), MARS_OK);
    int ok = strstr(text, "[mars.stn]") != NULL; /* the engine's own lines, whatever they say */
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
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
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

/* ---- the request body in the task, the response with its end --------- */

typedef struct bctx {
    pthread_t main;
    event ended;
    int ends, ok_bodies, null_bodies, empty_bodies, resets, off_thread;
} bctx;

/* b_end checks the response against the body the task carried: marsd's
 * CMD_ECHO sends it back, so the user_context holds what is expected. */
static int b_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p,
                 const uint8_t *body, size_t n) {
    bctx *c = ud;
    const char *want = t->user_context;
    if (!pthread_equal(pthread_self(), c->main)) c->off_thread++;
    if (et == MARS_ECT_LOCAL && ec == MARS_ECT_LOCAL_RESET) c->resets++;
    if (body == NULL) c->null_bodies += n == 0;
    else if (n == 0) c->empty_bodies++;
    else if (et == MARS_ECT_OK && want && n == strlen(want) && memcmp(body, want, n) == 0) c->ok_bodies++;
    c->ends++; /* callbacks of one engine never run two at a time */
    event_signal(&c->ended);
    return 0;
}

static int no_req2buf(void *ud, const mars_task_ref *t, int ch, const char *host, mars_buf *out,
                      int *err) {
    abort(); /* the tasks carry their body */
}

static int no_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p) {
    abort(); /* on_task_end_resp replaces it */
}

/* body_engine: req2buf must not run, buf2resp is NULL, on_task_end_resp
 * replaces on_task_end (which would abort); with end_callbacks 0 neither
 * is set. */
static mars_stn *body_engine_with(bctx *c, int poll, int end_callbacks) {
    memset(c, 0, sizeof *c);
    c->main = pthread_self();
    event_init(&c->ended);
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.poll_events = poll;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    cb.user_data = c;
    cb.req2buf = no_req2buf;
    if (end_callbacks) {
        cb.on_task_end = no_end;
        cb.on_task_end_resp = b_end;
    }
    mars_stn *s = NULL;
    return mars_stn_create(&cfg, &cb, &s) == MARS_OK ? s : NULL;
}

static mars_stn *body_engine(bctx *c, int poll) { return body_engine_with(c, poll, 1); }

/* body_task sets t up as a long-link task carrying body, with ctx as its
 * user_context. */
static void body_task(mars_task *t, uint32_t cmdid, const char *body, void *ctx) {
    mars_task_init(t);
    t->cmdid = cmdid;
    t->channel_select = MARS_CHANNEL_LONG;
    t->body = (const uint8_t *)body;
    t->body_len = strlen(body);
    t->user_context = ctx;
}

static int start_body(mars_stn *s, uint32_t cmdid, const char *body) {
    mars_task t;
    body_task(&t, cmdid, body, (void *)body);
    return mars_stn_start_task(s, &t, NULL);
}

/* poll_until runs mars_stn_poll until *ends reaches n (or the deadline). */
static int poll_until(mars_stn *s, const int *ends, int n) {
    double deadline = now_ns() + TEST_TIMEOUT_MS * 1e6;
    while (*ends < n && now_ns() < deadline) {
        int rc = mars_stn_poll(s, 100, NULL);
        if (rc != MARS_OK) return rc;
    }
    return *ends >= n ? MARS_OK : -1;
}

/* destroy_with_an_unanswered_task destroys s with one task pending, which
 * destroy ends with RESET and no response. */
static int destroy_with_an_unanswered_task(mars_stn *s) {
    int rc = start_body(s, CMD_SILENCE, "unanswered"), has = 0;
    if (rc == MARS_OK) rc = mars_stn_has_task(s, 1, &has); /* a query waits for the start */
    int destroyed = mars_stn_destroy(s);
    return rc != MARS_OK ? rc : destroyed;
}

TEST(test_task_body_and_response_on_the_polling_thread) {
    CHECK(mars_has_feature("task_body") == 1 && mars_has_feature("task_end_resp") == 1);
    bctx c;
    mars_stn *s = body_engine(&c, 1);
    CHECK(s != NULL);
    CHECK_RC(start_body(s, CMD_ECHO, "first body"), MARS_OK);
    CHECK_RC(start_body(s, CMD_ECHO, "second"), MARS_OK);
    CHECK_RC(start_body(s, CMD_ECHO, ""), MARS_OK); /* an empty body is still a body */
    CHECK_RC(poll_until(s, &c.ends, 3), MARS_OK);
    CHECK(c.ends == 3 && c.ok_bodies == 2 && c.empty_bodies == 1 && c.off_thread == 0);
    /* A task ended by destroy got no response: NULL. */
    CHECK_RC(destroy_with_an_unanswered_task(s), MARS_OK);
    CHECK(c.ends == 4 && c.resets == 1 && c.null_bodies == 1 && c.off_thread == 0);
}

TEST(test_task_body_and_response_without_poll_events) {
    bctx c;
    mars_stn *s = body_engine(&c, 0);
    CHECK(s != NULL);
    CHECK_RC(start_body(s, CMD_ECHO, "threaded"), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK(c.ends == 1 && c.ok_bodies == 1 && c.off_thread == 1);
}

/* ---- task ends as data: mars_stn_poll_task_ends ---------------------- */

/* A task's end with what the test expects of it. */
typedef struct want_end {
    uint32_t id;
    const char *body; /* NULL: no response expected */
    int err_type, seen;
} want_end;

/* take_ends polls until every task in want was returned (or the
 * deadline), checking each entry; cap is the batch size. Returns how many
 * entries did not match. */
static int take_ends(mars_stn *s, want_end *want, size_t nwant, size_t cap, pthread_t main) {
    struct {
        mars_task_end e;
        unsigned char newer[16]; /* a newer caller's longer entry: zeroed */
    } ends[4];
    int bad = 0;
    size_t got = 0;
    double deadline = now_ns() + TEST_TIMEOUT_MS * 1e6;
    while (got < nwant && now_ns() < deadline) {
        memset(ends, 0xAA, sizeof ends);
        size_t n = 99;
        void *block = NULL;
        if (mars_stn_poll_task_ends(s, 100, &ends[0].e, cap, sizeof ends[0], &n, &block) != MARS_OK) return -1;
        if (n > cap || (n == 0) != (block == NULL) || !pthread_equal(pthread_self(), main)) bad++;
        for (size_t i = 0; i < n; i++) {
            const mars_task_end *e = &ends[i].e;
            want_end *w = NULL;
            for (size_t j = 0; j < nwant; j++)
                if (want[j].id == e->taskid && (void *)&want[j] == e->user_context) w = &want[j];
            int ok = w != NULL && w->seen == 0 && e->struct_size == sizeof(mars_task_end) && e->cmdid != 0 &&
                     e->err_type == w->err_type && e->user_id != NULL && e->user_id[0] == 0 &&
                     e->profile != NULL && e->profile->taskid == e->taskid &&
                     e->profile->struct_size == sizeof(mars_task_profile) && e->profile->cgi != NULL;
            if (ok && w->body == NULL) ok = e->body == NULL && e->body_len == 0;
            if (ok && w->body != NULL)
                ok = e->body != NULL && e->body_len == strlen(w->body) && memcmp(e->body, w->body, e->body_len) == 0;
            for (size_t k = 0; k < sizeof ends[i].newer; k++) ok = ok && ends[i].newer[k] == 0;
            if (!ok) {
                fprintf(stderr, "  unexpected end: task %u (%d, %d), body_len %zu\n", e->taskid, e->err_type,
                        e->err_code, e->body_len);
                bad++;
            } else {
                w->seen = 1;
            }
        }
        got += n;
        mars_free(block);
    }
    return got == nwant ? bad : bad + 1;
}

static int start_want(mars_stn *s, want_end *w, uint32_t cmdid, const char *body, int64_t timeout_ms) {
    mars_task t;
    body_task(&t, cmdid, body, w);
    t.total_timeout_ms = timeout_ms;
    w->seen = 0;
    return mars_stn_start_task(s, &t, &w->id);
}

TEST(test_poll_task_ends_returns_ends_as_data) {
    CHECK(mars_has_feature("poll_task_ends") == 1);
    bctx c;
    mars_stn *s = body_engine(&c, 1); /* on_task_end_resp counts what reaches it */
    CHECK(s != NULL);
    want_end w[5] = {
        {0, "first body", MARS_ECT_OK, 0}, {0, "second", MARS_ECT_OK, 0}, {0, "", MARS_ECT_OK, 0},
        {0, "third", MARS_ECT_OK, 0}, {0, NULL, MARS_ECT_LOCAL, 0},
    };
    for (int i = 0; i < 4; i++) CHECK_RC(start_want(s, &w[i], CMD_ECHO, w[i].body, -1), MARS_OK);
    CHECK_RC(start_want(s, &w[4], CMD_SILENCE, "unanswered", 300), MARS_OK); /* times out: no response */
    CHECK(take_ends(s, w, 5, 2, c.main) == 0);
    CHECK(c.ends == 0); /* every end came as data, none through the callback */
    /* mars_stn_poll still hands ends to the callback. */
    CHECK_RC(start_body(s, CMD_ECHO, "by callback"), MARS_OK);
    CHECK_RC(poll_until(s, &c.ends, 1), MARS_OK);
    CHECK(c.ends == 1 && c.ok_bodies == 1 && c.off_thread == 0);
    /* What is still queued at destroy goes to the callback. */
    CHECK_RC(destroy_with_an_unanswered_task(s), MARS_OK);
    CHECK(c.ends == 2 && c.resets == 1 && c.null_bodies == 1 && c.off_thread == 0);
}

/* Without any task-end callback the ends are still queued for
 * mars_stn_poll_task_ends (and dropped by mars_stn_poll). */
TEST(test_poll_task_ends_without_end_callbacks) {
    bctx c;
    mars_stn *s = body_engine_with(&c, 1, 0);
    CHECK(s != NULL);
    want_end w[1] = {{0, "only", MARS_ECT_OK, 0}};
    CHECK_RC(start_want(s, &w[0], CMD_ECHO, "only", -1), MARS_OK);
    CHECK(take_ends(s, w, 1, 4, c.main) == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* ---- a host codec: the Mars header written by the host ----------------- */

TEST(test_host_codec_round_trip_and_push) {
    ctx c;
    ctx_init(&c);
    host_codec_calls calls = {0, 0};
    mars_longlink_codec codec = {sizeof codec, &calls, host_pack, host_unpack, NULL, NULL, NULL, NULL};
    mars_stn *s = new_engine(&c, &codec);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_PUSH_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(event_wait(&c.pushed, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.ok_ends == 1);
    CHECK(__atomic_load_n(&calls.packs, __ATOMIC_SEQ_CST) >= 1);
    CHECK(__atomic_load_n(&calls.unpacks, __ATOMIC_SEQ_CST) >= 2);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* mars_longlink_codec.identify builds the identify request: it gets the
 * host's cmdid and buffer, and what it appends is what goes out (marsd
 * echoes it back to on_identify_response). */
static int identify_builds;
static void host_identify(void *ud, uint32_t *cmdid, uint32_t *seq, const uint8_t *buf, size_t n,
                          mars_buf *body) {
    (void)ud;
    if (*cmdid == IDENTIFY_CMD && *seq == 0xFFFFFFFEu && n == 8 && memcmp(buf, "who-am-i", 8) == 0) {
        __atomic_add_fetch(&identify_builds, 1, __ATOMIC_SEQ_CST);
        mars_buf_append(body, buf, n);
    }
}

TEST(test_host_codec_builds_the_identify_request) {
    ctx c;
    ctx_init(&c);
    mars_longlink_codec codec = {
        .struct_size = sizeof codec, .pack = host_pack, .unpack = host_unpack, .identify = host_identify};
    mars_stn *s = codec_engine_with(&c, NULL, &codec, WITH_IDENTIFY);
    CHECK(s != NULL);
    CHECK(mars_has_feature("codec_identify") == 1);
    CHECK_RC(mars_stn_makesure_longlink_connected(s), MARS_OK);
    CHECK(event_wait(&c.identified, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(__atomic_load_n(&identify_builds, __ATOMIC_SEQ_CST) >= 1);
    pthread_mutex_lock(&c.mu);
    int ok = c.identify_resp_ok;
    pthread_mutex_unlock(&c.mu);
    CHECK(ok == 1);
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
    mars_longlink_codec codec = {sizeof codec, NULL, host_pack, bad_unpack, NULL, NULL, NULL, NULL};
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

/* Mars's extension buffers: a codec that frames the extension in front of
 * the body (a 4-byte length, the extension, the body). marsd echoes the
 * whole payload, so the answer and the push carry the request's extension. */
static int ext_pack(void *ud, uint32_t cmdid, uint32_t seq, const uint8_t *body, size_t n,
                    const uint8_t *ext, size_t en, mars_buf *out) {
    uint8_t h[24];
    put32(h, 20); put32(h + 4, CLIENT_VERSION); put32(h + 8, cmdid); put32(h + 12, seq);
    put32(h + 16, (uint32_t)(4 + en + n)); put32(h + 20, (uint32_t)en);
    if (mars_buf_append(out, h, 24) != MARS_OK || mars_buf_append(out, ext, en) != MARS_OK) return MARS_EINVAL;
    return mars_buf_append(out, body, n);
}

static int ext_unpack(void *ud, const uint8_t *in, size_t n, uint32_t *cmdid, uint32_t *seq,
                      size_t *off, size_t *len, size_t *eoff, size_t *elen, size_t *consumed) {
    size_t whole;
    int rc = host_unpack(ud, in, n, cmdid, seq, off, len, &whole);
    if (rc != MARS_CODEC_OK) return rc;
    if (*cmdid == 6) { /* marsd's noop answer: no extension framing */
        *consumed = whole;
        return MARS_CODEC_OK;
    }
    if (*len < 4 || get32(in + *off) > *len - 4) return MARS_CODEC_CORRUPT;
    *elen = get32(in + *off);
    *eoff = *off + 4;
    *off = *eoff + *elen;
    *len = whole - *off;
    *consumed = whole;
    return MARS_CODEC_OK;
}

static char ext_seen[2][32]; /* [0] buf2resp_ext's, [1] on_push_ext's */
static int32_t ext_profile_flags;
static uint32_t ext_profile_sseq;

static int ext_req2buf(void *ud, const mars_task_ref *t, int channel, const char *host, mars_buf *out,
                       mars_buf *ext, int *err_code) {
    return req2buf(ud, t, channel, host, out, err_code) && mars_buf_append(ext, "xt", 2) == MARS_OK;
}

static int ext_buf2resp(void *ud, const mars_task_ref *t, int channel, const uint8_t *body, size_t n,
                        const uint8_t *ext, size_t en, int *err_code, int *flags, uint32_t *sseq) {
    snprintf(ext_seen[0], sizeof ext_seen[0], "%.*s", (int)en, (const char *)ext);
    *flags = 5;
    *sseq = 4242;
    return buf2resp(ud, t, channel, body, n, err_code);
}

static void ext_on_push(void *ud, const char *channel, uint32_t cmdid, uint32_t taskid, const uint8_t *body,
                        size_t n, const uint8_t *ext, size_t en) {
    snprintf(ext_seen[1], sizeof ext_seen[1], "%.*s", (int)en, (const char *)ext);
    on_push(ud, channel, cmdid, taskid, body, n);
}

static int ext_on_task_end(void *ud, const mars_task_ref *t, int err_type, int err_code,
                           const mars_task_profile *p) {
    ext_profile_flags = p->resp_flags;
    ext_profile_sseq = p->server_sequence_id;
    return on_task_end(ud, t, err_type, err_code, p);
}

TEST(test_extension_buffers_through_a_host_codec) {
    ctx c;
    ctx_init(&c);
    mars_longlink_codec codec;
    memset(&codec, 0, sizeof codec);
    codec.struct_size = sizeof codec;
    codec.pack_ext = ext_pack;
    codec.unpack_ext = ext_unpack;
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.codec = &codec;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &c);
    cb.req2buf_ext = ext_req2buf;
    cb.buf2resp_ext = ext_buf2resp;
    cb.on_push_ext = ext_on_push;
    cb.on_task_end = ext_on_task_end;
    mars_stn *s = create_engine(&c, &cfg, &cb);
    CHECK(s != NULL);
    CHECK_RC(start_echo(s, CMD_PUSH_ECHO, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(event_wait(&c.pushed, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.ok_ends == 1);
    CHECK(strcmp(ext_seen[0], "xt") == 0);
    CHECK(strcmp(ext_seen[1], "xt") == 0);
    CHECK(ext_profile_flags == 5 && ext_profile_sseq == 4242);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* MARS_CODEC_STREAM (Mars's STREAM_PACKAGE): a codec that names the task of
 * an incomplete packet makes its bytes count as the response arriving, so
 * marsd's partial answer (10009: 100 body bytes never come) ends the task
 * with the packet-to-packet timeout, not the (much longer) first-packet one. */
static int stream_unpack(void *ud, const uint8_t *in, size_t n, uint32_t *cmdid, uint32_t *seq,
                         size_t *off, size_t *len, size_t *consumed) {
    int rc = host_unpack(ud, in, n, cmdid, seq, off, len, consumed);
    if (rc == MARS_CODEC_SHORT && n >= 20) {
        *seq = get32(in + 12);
        return MARS_CODEC_STREAM;
    }
    return rc;
}

TEST(test_host_codec_stream_package_counts_as_progress) {
    ctx c;
    ctx_init(&c);
    mars_longlink_codec codec = {sizeof codec, NULL, host_pack, stream_unpack, NULL, NULL, NULL, NULL};
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.codec = &codec;
    cfg.package_interval_ms = 300;
    cfg.base_first_packet_timeout_ms = 60000;
    cfg.max_first_packet_timeout_ms = 60000;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &c);
    mars_stn *s = create_engine(&c, &cfg, &cb);
    CHECK(s != NULL);
    mars_task t;
    mars_task_init(&t);
    t.cmdid = 10009; /* marsd: partial answer */
    t.channel_select = MARS_CHANNEL_LONG;
    t.retry_count = 0;
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.last_err_type == MARS_ECT_NETMSGXP && c.last_err_code == MARS_ECT_LONG_PKG_PKG_TIMEOUT);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* mars_stn_config.verify_connect: marsd answers the candidate's noop, so it
 * wins and the task round-trips; with ignore_noop it could not. */
TEST(test_verify_connect_round_trip) {
    ctx c;
    ctx_init(&c);
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.verify_connect = 1;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &c);
    mars_stn *s = create_engine(&c, &cfg, &cb);
    CHECK(s != NULL);
    uint32_t id = 0;
    CHECK_RC(start_echo(s, CMD_ECHO, &id), MARS_OK);
    CHECK(event_wait(&c.ended, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(c.last_taskid == id && c.last_err_type == MARS_ECT_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

int main(int argc, char **argv) { return run_against_marsd(argc, argv); }
