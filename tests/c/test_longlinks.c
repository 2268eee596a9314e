/* test_longlinks.c — several named long links through the C ABI, against
 * one marsd with a second long-link listener ("b", --long-extra): routing by
 * mars_task.channel_name, pushes and link callbacks named by link, an
 * unknown name, destroy, the main link and the named connect calls.
 * Needs MARSD. */
#include "stn_fixture.h"

#define SECOND "second"
#define SECOND_HOST "second.test"

/* link_ctx is ctx (first, so the fixture's callbacks see it) plus what
 * the link callbacks report. */
typedef struct link_ctx {
    ctx base;
    event status; /* any on_longlink_status_change_of */
    char push_channel[64];
    unsigned second_status; /* bit per MARS_LONGLINK_* of SECOND */
    int second_ok_port;     /* port of SECOND's (MARS_ECT_OK, 0) network report */
    int dns_asked;          /* on_longlink_new_dns calls for SECOND / SECOND_HOST */
    int plain_dns_asked;    /* on_new_dns calls */
    pthread_t poller;       /* the thread that polls, in poll mode */
    int status_off_thread;  /* status reports off the polling thread */
} link_ctx;

static void lc_init(link_ctx *l) {
    memset(l, 0, sizeof *l);
    ctx_init(&l->base);
    event_init(&l->status);
}

static void lc_push(void *ud, const char *channel, uint32_t cmdid, uint32_t taskid,
                    const uint8_t *body, size_t n) {
    link_ctx *l = ud;
    pthread_mutex_lock(&l->base.mu);
    snprintf(l->push_channel, sizeof l->push_channel, "%s", channel);
    pthread_mutex_unlock(&l->base.mu);
    on_push(ud, channel, cmdid, taskid, body, n);
}

static void lc_status_of(void *ud, const char *name, int status) {
    link_ctx *l = ud;
    pthread_mutex_lock(&l->base.mu);
    if (strcmp(name, SECOND) == 0 && status >= 0 && status < 32) l->second_status |= 1u << status;
    if (l->poller && !pthread_equal(l->poller, pthread_self())) l->status_off_thread++;
    pthread_mutex_unlock(&l->base.mu);
    event_signal(&l->status);
}

static void lc_net_error_of(void *ud, const char *name, int err_type, int err_code, const char *ip,
                            int port) {
    link_ctx *l = ud;
    pthread_mutex_lock(&l->base.mu);
    if (strcmp(name, SECOND) == 0 && err_type == MARS_ECT_OK && err_code == 0) l->second_ok_port = port;
    pthread_mutex_unlock(&l->base.mu);
}

static void lc_new_dns(void *ud, const char *name, const char *host, mars_str_list *out) {
    link_ctx *l = ud;
    pthread_mutex_lock(&l->base.mu);
    if (strcmp(name, SECOND) == 0 && strcmp(host, SECOND_HOST) == 0) l->dns_asked++;
    pthread_mutex_unlock(&l->base.mu);
    mars_str_list_add(out, g_srv.extra_host);
}

static void lc_plain_dns(void *ud, const char *host, int longlink, mars_str_list *out) {
    link_ctx *l = ud;
    pthread_mutex_lock(&l->base.mu);
    l->plain_dns_asked++;
    pthread_mutex_unlock(&l->base.mu);
}

/* lc_engine creates an engine on marsd's main listener with the link
 * callbacks set. */
static mars_stn *lc_engine(link_ctx *l, int poll) {
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, NULL, &port);
    cfg.poll_events = poll;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, &l->base);
    cb.on_push = lc_push;
    cb.on_new_dns = lc_plain_dns;
    cb.on_longlink_status_change_of = lc_status_of;
    cb.on_longlink_network_error_of = lc_net_error_of;
    cb.on_longlink_new_dns = lc_new_dns;
    return create_engine(&l->base, &cfg, &cb);
}

/* second_config fills c (defaults otherwise) for SECOND on marsd's
 * listener b, by the name SECOND_HOST that on_longlink_new_dns resolves. */
static void second_config(mars_longlink_config *c) {
    mars_longlink_config_init(c);
    c->name = SECOND;
    c->host = SECOND_HOST;
    c->ports = &g_srv.extra_port;
    c->ports_len = 1;
}

/* add_second creates SECOND (second_config). */
static int add_second(mars_stn *s, int keep_alive) {
    mars_longlink_config c;
    second_config(&c);
    c.keep_alive = keep_alive;
    return mars_stn_create_longlink(s, &c);
}

/* lc_start initialises l and creates its engine (poll_events = poll) with
 * SECOND added when second_keep_alive is 0 or 1 (-1: no SECOND); NULL on
 * failure. */
static mars_stn *lc_start(link_ctx *l, int poll, int second_keep_alive) {
    lc_init(l);
    mars_stn *s = lc_engine(l, poll);
    if (s != NULL && second_keep_alive >= 0 && add_second(s, second_keep_alive) != MARS_OK) {
        mars_stn_destroy(s);
        return NULL;
    }
    return s;
}

/* wait_end waits for the n-th task end and checks it was taskid's with
 * (err_type, err_code). */
static int wait_end(link_ctx *l, int n, uint32_t taskid, int err_type, int err_code) {
    if (event_wait(&l->base.ended, n, TEST_TIMEOUT_MS) != 0) {
        fprintf(stderr, "  task %u: no end\n", taskid);
        return 0;
    }
    pthread_mutex_lock(&l->base.mu);
    int ok = l->base.last_taskid == taskid && l->base.last_err_type == err_type &&
             l->base.last_err_code == err_code;
    if (!ok)
        fprintf(stderr, "  last end: task %u (%d, %d), want task %u (%d, %d)\n", l->base.last_taskid,
                l->base.last_err_type, l->base.last_err_code, taskid, err_type, err_code);
    pthread_mutex_unlock(&l->base.mu);
    return ok;
}

static int push_channel_is(link_ctx *l, const char *want) {
    pthread_mutex_lock(&l->base.mu);
    int ok = strcmp(l->push_channel, want) == 0;
    if (!ok) fprintf(stderr, "  push on \"%s\", want \"%s\"\n", l->push_channel, want);
    pthread_mutex_unlock(&l->base.mu);
    return ok;
}

/* A task goes to the link its channel_name names: the push marsd echoes
 * comes back on that link and on_push names it; the link's connect success
 * names the second listener's port; on_longlink_new_dns, not on_new_dns,
 * resolved its host; no channel_name is the main link. */
TEST(test_tasks_route_by_channel_name_and_pushes_name_the_link) {
    link_ctx l;
    mars_stn *s = lc_start(&l, 0, 1);
    CHECK(s != NULL);
    uint32_t id = 0;
    CHECK_RC(start_on(s, SECOND, CMD_PUSH_ECHO, &id), MARS_OK);
    CHECK(event_wait(&l.base.pushed, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(push_channel_is(&l, SECOND));
    CHECK(wait_end(&l, 1, id, MARS_ECT_OK, 0));
    CHECK(event_wait(&l.status, 1, TEST_TIMEOUT_MS) == 0);
    pthread_mutex_lock(&l.base.mu);
    int port = l.second_ok_port, dns = l.dns_asked, plain = l.plain_dns_asked;
    unsigned st = l.second_status;
    pthread_mutex_unlock(&l.base.mu);
    CHECK(port == g_srv.extra_port);
    CHECK(dns >= 1 && plain == 0);
    CHECK(st & (1u << MARS_LONGLINK_CONNECTED));

    CHECK_RC(start_on(s, NULL, CMD_PUSH_ECHO, &id), MARS_OK);
    CHECK(event_wait(&l.base.pushed, 2, TEST_TIMEOUT_MS) == 0);
    CHECK(push_channel_is(&l, "default-longlink"));
    CHECK(wait_end(&l, 2, id, MARS_ECT_OK, 0));
    int up = 0;
    CHECK_RC(mars_stn_named_longlink_is_connected(s, SECOND, &up), MARS_OK);
    CHECK(up == 1);
    CHECK_RC(mars_stn_named_longlink_is_connected(s, "default-longlink", &up), MARS_OK);
    CHECK(up == 1);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* mars_stn_longlink_connection_id names each link's connection: a task
 * bound to it (mars_task.channel_id) goes out on it; one bound to another
 * connection ends with (MARS_ECT_LOCAL, MARS_ECT_LOCAL_CHANNEL_ID). */
TEST(test_channel_id_binds_a_task_to_a_connection) {
    CHECK(mars_has_feature("channel_id") == 1);
    link_ctx l;
    mars_stn *s = lc_start(&l, 0, 1);
    CHECK(s != NULL);
    uint32_t id = 0;
    CHECK_RC(start_on(s, SECOND, CMD_PUSH_ECHO, &id), MARS_OK);
    CHECK(wait_end(&l, 1, id, MARS_ECT_OK, 0));
    uint64_t conn = 0, main_conn = 7;
    CHECK_RC(mars_stn_longlink_connection_id(s, SECOND, &conn), MARS_OK);
    CHECK(conn != 0);
    CHECK_RC(mars_stn_longlink_connection_id(s, NULL, &main_conn), MARS_OK);
    CHECK(main_conn == 0); /* the main link never connected */
    CHECK_RC(mars_stn_longlink_connection_id(s, "nope", &main_conn), MARS_OK);
    CHECK(main_conn == 0);

    mars_task t;
    mars_task_init(&t);
    CHECK(t.channel_id == 0);
    t.cmdid = CMD_PUSH_ECHO;
    t.channel_select = MARS_CHANNEL_LONG;
    t.channel_name = SECOND;
    t.channel_id = conn;
    CHECK_RC(mars_stn_start_task(s, &t, &id), MARS_OK);
    CHECK(wait_end(&l, 2, id, MARS_ECT_OK, 0));
    t.channel_id = conn + 1;
    CHECK_RC(mars_stn_start_task(s, &t, &id), MARS_OK);
    CHECK(wait_end(&l, 3, id, MARS_ECT_LOCAL, MARS_ECT_LOCAL_CHANNEL_ID));
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* A link with its own host codec frames its packets with it (the main link
 * keeps the built-in header); a codec together with a client_version, or a
 * codec without pack, is refused. */
TEST(test_a_link_frames_with_its_own_codec) {
    link_ctx l;
    mars_stn *s = lc_start(&l, 0, -1);
    CHECK(s != NULL);
    host_codec_calls calls = {0, 0};
    mars_longlink_codec codec = {sizeof codec, &calls, host_pack, host_unpack, NULL, NULL, NULL, NULL};
    mars_longlink_config c;
    second_config(&c);
    c.codec = &codec;
    c.client_version = CLIENT_VERSION;
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_EINVAL);
    c.client_version = 0;
    codec.pack = NULL;
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_EINVAL);
    codec.pack = host_pack;
    c.keep_alive = 0; /* connects for its task only: no packets before it */
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_OK);
    int before = __atomic_load_n(&calls.packs, __ATOMIC_SEQ_CST); /* its heartbeat, encoded once */
    uint32_t id = 0;
    CHECK_RC(start_on(s, NULL, CMD_ECHO, &id), MARS_OK);
    CHECK(wait_end(&l, 1, id, MARS_ECT_OK, 0));
    CHECK(__atomic_load_n(&calls.packs, __ATOMIC_SEQ_CST) == before);
    CHECK(__atomic_load_n(&calls.unpacks, __ATOMIC_SEQ_CST) == 0);
    CHECK_RC(start_on(s, SECOND, CMD_ECHO, &id), MARS_OK);
    CHECK(wait_end(&l, 2, id, MARS_ECT_OK, 0));
    CHECK(__atomic_load_n(&calls.packs, __ATOMIC_SEQ_CST) > before);
    CHECK(__atomic_load_n(&calls.unpacks, __ATOMIC_SEQ_CST) >= 1);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* A task naming no existing link ends at once with a local error. */
TEST(test_unknown_channel_name_ends_with_a_local_error) {
    link_ctx l;
    mars_stn *s = lc_start(&l, 0, -1);
    CHECK(s != NULL);
    uint32_t id = 0;
    CHECK_RC(start_on(s, "nope", CMD_ECHO, &id), MARS_OK);
    CHECK(wait_end(&l, 1, id, MARS_ECT_LOCAL, MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE));
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* Destroying a link ends its tasks with (9, -15) before it returns, and the
 * link is gone from the list; the main link's tasks carry on. */
TEST(test_destroy_longlink_ends_its_tasks_with_released) {
    link_ctx l;
    mars_stn *s = lc_start(&l, 0, 1);
    CHECK(s != NULL);
    uint32_t id = 0;
    CHECK_RC(start_on(s, SECOND, CMD_ECHO, &id), MARS_OK);
    CHECK(wait_end(&l, 1, id, MARS_ECT_OK, 0)); /* connected */
    uint32_t silent = 0;
    CHECK_RC(start_on(s, SECOND, CMD_SILENCE, &silent), MARS_OK); /* never answered */
    CHECK_RC(mars_stn_destroy_longlink(s, SECOND), MARS_OK);
    int has = 1;
    CHECK_RC(mars_stn_has_task(s, silent, &has), MARS_OK);
    CHECK(has == 0);
    CHECK(wait_end(&l, 2, silent, MARS_ECT_LOCAL, MARS_ECT_LOCAL_LONGLINK_RELEASED));
    char *names = NULL;
    size_t len = 0;
    CHECK_RC(mars_stn_longlinks(s, &names, &len), MARS_OK);
    int only_default = len == sizeof "default-longlink" && strcmp(names, "default-longlink") == 0;
    mars_free(names);
    CHECK(only_default);
    CHECK_RC(mars_stn_destroy_longlink(s, SECOND), MARS_EINVAL);
    CHECK_RC(start_on(s, SECOND, CMD_ECHO, &id), MARS_OK);
    CHECK(wait_end(&l, 3, id, MARS_ECT_LOCAL, MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE));
    CHECK_RC(start_on(s, NULL, CMD_ECHO, &id), MARS_OK);
    CHECK(wait_end(&l, 4, id, MARS_ECT_OK, 0));
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* A keep_alive 0 link connects on makesure; marking it main sends the
 * tasks without a channel_name to it, and the old main link can then be
 * destroyed. */
TEST(test_mark_main_and_named_makesure) {
    link_ctx l;
    mars_stn *s = lc_start(&l, 0, 0);
    CHECK(s != NULL);
    char buf[64];
    CHECK_RC(mars_stn_main_longlink(s, buf, sizeof buf), MARS_OK);
    CHECK(strcmp(buf, MARS_DEFAULT_LONGLINK_NAME) == 0);
    int up = 1;
    CHECK_RC(mars_stn_named_longlink_is_connected(s, SECOND, &up), MARS_OK);
    CHECK(up == 0);
    CHECK_RC(mars_stn_makesure_named_longlink_connected(s, SECOND), MARS_OK);
    for (int n = 1; event_wait(&l.status, n, TEST_TIMEOUT_MS) == 0; n++) {
        pthread_mutex_lock(&l.base.mu);
        unsigned st = l.second_status;
        pthread_mutex_unlock(&l.base.mu);
        if (st & (1u << MARS_LONGLINK_CONNECTED)) break;
    }
    CHECK_RC(mars_stn_named_longlink_is_connected(s, SECOND, &up), MARS_OK);
    CHECK(up == 1);

    CHECK_RC(mars_stn_mark_main_longlink(s, SECOND), MARS_OK);
    CHECK_RC(mars_stn_main_longlink(s, buf, sizeof buf), MARS_OK);
    CHECK(strcmp(buf, SECOND) == 0);
    CHECK_RC(mars_stn_longlink_is_connected(s, &up), MARS_OK); /* the main link's */
    CHECK(up == 1);
    uint32_t id = 0;
    CHECK_RC(start_on(s, NULL, CMD_PUSH_ECHO, &id), MARS_OK);
    CHECK(event_wait(&l.base.pushed, 1, TEST_TIMEOUT_MS) == 0);
    CHECK(push_channel_is(&l, SECOND));
    CHECK(wait_end(&l, 1, id, MARS_ECT_OK, 0));
    CHECK_RC(mars_stn_destroy_longlink(s, "default-longlink"), MARS_OK);
    CHECK_RC(mars_stn_main_longlink(s, buf, sizeof buf), MARS_OK);
    CHECK(strcmp(buf, SECOND) == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* With poll_events the named status reports run in mars_stn_poll, on the
 * polling thread. */
TEST(test_named_status_is_queued_in_poll_mode) {
    link_ctx l;
    mars_stn *s = lc_start(&l, 1, 1);
    CHECK(s != NULL);
    l.poller = pthread_self();
    CHECK_RC(mars_stn_makesure_named_longlink_connected(s, SECOND), MARS_OK);
    double deadline = now_ns() + TEST_TIMEOUT_MS * 1e6;
    unsigned st = 0;
    while (!(st & (1u << MARS_LONGLINK_CONNECTED)) && now_ns() < deadline) {
        CHECK_RC(mars_stn_poll(s, 100, NULL), MARS_OK);
        pthread_mutex_lock(&l.base.mu);
        st = l.second_status;
        pthread_mutex_unlock(&l.base.mu);
    }
    CHECK(st & (1u << MARS_LONGLINK_CONNECTED));
    CHECK(l.status_off_thread == 0);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

int main(int argc, char **argv) {
    if (marsd_start_extra(&g_srv, CLIENT_VERSION, "b") != 0) {
        printf("0 passed, 1 failed\n");
        return 1;
    }
    int rc = run_tests(argc > 1 ? argv[1] : NULL, NULL);
    marsd_stop(&g_srv);
    return rc;
}
