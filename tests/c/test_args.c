/* test_args.c — NULL / zero / oversized / stale / forged inputs to every
 * function that takes a handle or a struct, config rejection, and the panic
 * fence. Usage: test_args [filter]; "test_args panic" runs with
 * MARS_CAPI_TEST_PANIC set (see CMakeLists.txt). */
#include "harness.h"

#include <stddef.h>

/* new_stn creates an engine with no server: enough for argument checks. */
static mars_stn *new_stn(void) {
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    mars_stn *s = NULL;
    return mars_stn_create(&cfg, &cb, &s) == MARS_OK ? s : NULL;
}

/* all_returned checks that each of the n result codes is want, and names
 * the first call that is not. */
static int all_returned(const int *rcs, size_t n, int want) {
    for (size_t i = 0; i < n; i++) {
        if (rcs[i] != want) {
            fprintf(stderr, "  call #%zu returned %d (%s), want %d\n", i, rcs[i], mars_errstr(rcs[i]), want);
            return 0;
        }
    }
    return 1;
}

/* every_stn_call calls every function taking a mars_stn with otherwise
 * valid arguments and checks each returns want. */
static int every_stn_call(mars_stn *s, int want) {
    mars_task t;
    mars_task_init(&t);
    uint16_t port = 1;
    int64_t ms = 0;
    mars_network_quality q;
    q.struct_size = sizeof q;
    const char *ips[] = {"127.0.0.1"};
    int out = 0;
    uint32_t id = 0;
    char buf[64];
    int rcs[] = {
        mars_stn_start_task(s, &t, &id),
        mars_stn_stop_task(s, 1),
        mars_stn_has_task(s, 1, &out),
        mars_stn_redo_tasks(s),
        mars_stn_touch_tasks(s),
        mars_stn_clear_tasks(s),
        mars_stn_reset(s),
        mars_stn_makesure_longlink_connected(s),
        mars_stn_longlink_is_connected(s, &out),
        mars_stn_set_longlink_svr_addr(s, "localhost", &port, 1, NULL),
        mars_stn_set_shortlink_svr_addr(s, 1, NULL),
        mars_stn_set_debug_ip(s, "localhost", "127.0.0.1"),
        mars_stn_set_backup_ips(s, "localhost", ips, 1),
        mars_stn_gen_task_id(s, &id),
        mars_stn_set_client_version(s, 200),
        mars_stn_reset_and_init_encoder_version(s, 200),
        mars_stn_on_foreground(s, 0),
        mars_stn_set_account(s, "alice"),
        mars_stn_set_account(s, NULL),
        mars_stn_on_network_change(s, MARS_NET_WIFI, "wifi_test"),
        mars_stn_keep_signalling(s),
        mars_stn_stop_signalling(s),
        mars_stn_set_signalling_strategy(s, 5000, 20000),
        mars_stn_set_heartbeat_mode(s, MARS_HEARTBEAT_SMART),
        mars_stn_trig_noop(s),
        mars_stn_heartbeat_interval(s, &ms),
        mars_stn_network_quality(s, &q),
        mars_stn_disable_longlink(s),
        s == NULL ? want : mars_stn_errmsg(s, buf, sizeof buf),
    };
    return all_returned(rcs, sizeof rcs / sizeof rcs[0], want);
}

/* every_longlink_call calls each long-link function on s, in an order
 * that works on a live engine (create, use, destroy), and checks each
 * returns want; *names from mars_stn_longlinks is freed. */
static int every_longlink_call(mars_stn *s, int want) {
    mars_longlink_config c;
    mars_longlink_config_init(&c);
    c.name = "extra";
    char *names = NULL;
    size_t len = 0;
    char buf[64];
    int out = 0;
    uint64_t conn = 0;
    int rcs[9];
    rcs[0] = mars_stn_create_longlink(s, &c);
    rcs[1] = mars_stn_named_longlink_is_connected(s, "extra", &out);
    rcs[2] = mars_stn_makesure_named_longlink_connected(s, "extra");
    rcs[3] = mars_stn_mark_main_longlink(s, "default-longlink");
    rcs[4] = mars_stn_main_longlink(s, buf, sizeof buf);
    rcs[5] = mars_stn_longlinks(s, &names, &len);
    mars_free(names);
    rcs[6] = mars_stn_destroy_longlink(s, "extra");
    rcs[7] = mars_stn_longlink_connection_id(s, "extra", &conn);
    rcs[8] = mars_longlink_config_init(&c) == MARS_OK ? want : -1; /* needs no engine */
    return all_returned(rcs, sizeof rcs / sizeof rcs[0], want);
}

/* poll_ends calls mars_stn_poll_task_ends with valid arguments and checks
 * that a failed call leaves no output. */
static int poll_ends(mars_stn *s, int64_t timeout_ms) {
    mars_task_end ends[4];
    size_t n = 99;
    void *block = &n;
    int rc = mars_stn_poll_task_ends(s, timeout_ms, ends, 4, sizeof ends[0], &n, &block);
    if (rc != MARS_OK && (n != 0 || block != NULL)) return -1;
    mars_free(block);
    return rc;
}

/* new_polled_stn creates an engine with poll_events and no server. */
static mars_stn *new_polled_stn(void) {
    mars_stn_config cfg;
    mars_stn_config_init(&cfg);
    cfg.poll_events = 1;
    mars_stn_callbacks cb;
    mars_stn_callbacks_init(&cb);
    mars_stn *s = NULL;
    return mars_stn_create(&cfg, &cb, &s) == MARS_OK ? s : NULL;
}

TEST(test_poll_task_ends_null_and_bad_lengths_fail) {
    CHECK(mars_has_feature("poll_task_ends") == 1);
    mars_stn *s = new_polled_stn();
    CHECK(s != NULL);
    struct {
        mars_task_end e;
        unsigned char newer[24]; /* a newer caller's longer entry */
    } wide[2];
    mars_task_end ends[2];
    size_t n = 0;
    void *block = NULL;
    CHECK_RC(mars_stn_poll_task_ends(s, 0, NULL, 2, sizeof ends[0], &n, &block), MARS_EINVAL);
    CHECK_RC(mars_stn_poll_task_ends(s, 0, ends, 0, sizeof ends[0], &n, &block), MARS_EINVAL);
    CHECK_RC(mars_stn_poll_task_ends(s, 0, ends, 2, 0, &n, &block), MARS_EINVAL);
    CHECK_RC(mars_stn_poll_task_ends(s, 0, ends, 2, sizeof ends[0] - 1, &n, &block), MARS_EINVAL);
    CHECK_RC(mars_stn_poll_task_ends(s, 0, ends, 2, 4097, &n, &block), MARS_EINVAL);
    CHECK_RC(mars_stn_poll_task_ends(s, 0, ends, 2, SIZE_MAX, &n, &block), MARS_EINVAL);
    CHECK_RC(mars_stn_poll_task_ends(s, 0, ends, SIZE_MAX, sizeof ends[0], NULL, &block), MARS_EINVAL);
    CHECK_RC(mars_stn_poll_task_ends(s, 0, ends, 2, sizeof ends[0], &n, NULL), MARS_EINVAL);
    n = 5;
    block = &n;
    CHECK_RC(mars_stn_poll_task_ends(s, 0, ends, 2, sizeof ends[0], &n, &block), MARS_OK);
    CHECK(n == 0 && block == NULL); /* nothing queued, no wait */
    CHECK_RC(mars_stn_poll_task_ends(s, 0, &wide[0].e, 2, sizeof wide[0], &n, &block), MARS_OK);
    CHECK_RC(poll_ends(s, 0), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    s = new_stn(); /* without poll_events */
    CHECK(s != NULL);
    CHECK_RC(poll_ends(s, 0), MARS_ESTATE);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

TEST(test_stn_calls_succeed_on_a_live_engine) {
    mars_stn *s = new_stn();
    CHECK(s != NULL);
    CHECK(every_stn_call(s, MARS_OK));
    CHECK(every_longlink_call(s, MARS_OK));
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

TEST(test_stn_null_stale_and_forged_handles_fail) {
    mars_stn *s = new_stn();
    CHECK(s != NULL);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    CHECK(every_stn_call(s, MARS_EBADHANDLE));           /* stale */
    CHECK(every_longlink_call(s, MARS_EBADHANDLE));
    CHECK(every_longlink_call(NULL, MARS_EBADHANDLE));
    CHECK_RC(mars_stn_destroy(s), MARS_EBADHANDLE);      /* double destroy */
    CHECK_RC(mars_stn_destroy(NULL), MARS_OK);           /* harmless no-op */
    mars_stn *reused = new_stn();                        /* takes the same slot */
    CHECK(reused != NULL && reused != s);
    CHECK(every_stn_call(s, MARS_EBADHANDLE));           /* still stale */
    uintptr_t forged[] = {1, 42, 0x5001000, (uintptr_t)reused + 1, (uintptr_t)reused ^ 0x1000,
                          (uintptr_t)-1, (uintptr_t)&forged};
    CHECK_RC(mars_stn_poll(s, 0, NULL), MARS_EBADHANDLE);
    CHECK_RC(mars_stn_poll(NULL, 0, NULL), MARS_EBADHANDLE);
    CHECK_RC(poll_ends(s, -1), MARS_EBADHANDLE);
    CHECK_RC(poll_ends(NULL, -1), MARS_EBADHANDLE);
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        CHECK_RC(mars_stn_poll((mars_stn *)forged[i], -1, NULL), MARS_EBADHANDLE);
        CHECK_RC(poll_ends((mars_stn *)forged[i], -1), MARS_EBADHANDLE);
        CHECK(every_stn_call((mars_stn *)forged[i], MARS_EBADHANDLE));
        CHECK(every_longlink_call((mars_stn *)forged[i], MARS_EBADHANDLE));
        CHECK_RC(mars_stn_destroy((mars_stn *)forged[i]), MARS_EBADHANDLE);
    }
    int out;
    CHECK_RC(mars_stn_has_task(NULL, 1, &out), MARS_EBADHANDLE);
    CHECK(every_stn_call(reused, MARS_OK));
    CHECK_RC(mars_stn_destroy(reused), MARS_OK);
}

TEST(test_stn_null_and_oversized_arguments_fail) {
    mars_stn *s = new_stn();
    CHECK(s != NULL);
    uint16_t ports[100] = {0};
    const char *ips[100];
    for (int i = 0; i < 100; i++) ips[i] = "127.0.0.1";
    const char *with_null[] = {"127.0.0.1", NULL};
    CHECK_RC(mars_stn_start_task(s, NULL, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_has_task(s, 1, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_longlink_is_connected(s, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_gen_task_id(s, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_gen_sequence_id(NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_set_longlink_svr_addr(s, NULL, ports, 1, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_set_longlink_svr_addr(s, "h", NULL, 1, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_set_longlink_svr_addr(s, "h", ports, 65, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_set_longlink_svr_addr(s, "h", ports, SIZE_MAX, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_set_longlink_svr_addr(s, "h", NULL, 0, NULL), MARS_OK);
    CHECK_RC(mars_stn_set_debug_ip(s, NULL, "1.2.3.4"), MARS_EINVAL);
    CHECK_RC(mars_stn_set_debug_ip(s, "h", NULL), MARS_OK); /* removes the override */
    CHECK_RC(mars_stn_set_backup_ips(s, NULL, ips, 1), MARS_EINVAL);
    CHECK_RC(mars_stn_set_backup_ips(s, "h", NULL, 2), MARS_EINVAL);
    CHECK_RC(mars_stn_set_backup_ips(s, "h", with_null, 2), MARS_EINVAL);
    CHECK_RC(mars_stn_set_backup_ips(s, "h", ips, 100), MARS_EINVAL);
    CHECK_RC(mars_stn_set_backup_ips(s, "h", NULL, 0), MARS_OK);
    CHECK_RC(mars_stn_on_network_change(s, 0, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_on_network_change(s, 99, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_on_network_change(s, MARS_NET_NONE, NULL), MARS_OK);
    CHECK_RC(mars_stn_set_signalling_strategy(s, 0, 20000), MARS_EINVAL);
    CHECK_RC(mars_stn_set_signalling_strategy(s, 5000, -1), MARS_EINVAL);
    CHECK_RC(mars_stn_set_signalling_strategy(s, INT64_MAX, 1), MARS_EINVAL);
    CHECK_RC(mars_stn_set_heartbeat_mode(s, 3), MARS_EINVAL);
    CHECK_RC(mars_stn_set_heartbeat_mode(s, -1), MARS_EINVAL);
    CHECK_RC(mars_stn_heartbeat_interval(s, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_network_quality(s, NULL), MARS_EINVAL);
    mars_network_quality tiny = {.struct_size = sizeof(size_t)};
    CHECK_RC(mars_stn_network_quality(s, &tiny), MARS_EINVAL);

    mars_task t;
    mars_task_init(&t);
    t.struct_size = 0;
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINVAL);
    mars_task_init(&t);
    t.shortlink_hosts = ips;
    t.shortlink_hosts_len = 65;
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINVAL);
    t.shortlink_hosts_len = 0;
    t.header_names = with_null;
    t.header_values = with_null;
    t.headers_len = 2;
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINVAL);
    t.headers_len = 0;
    t.long_polling = 1;
    t.long_polling_timeout_ms = INT64_MIN;
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINVAL);
    t.long_polling = 0;
    t.long_polling_timeout_ms = 0;
    t.body_len = 5; /* without a body */
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINVAL);
    t.body = (const uint8_t *)"x";
    t.body_len = ((size_t)64 << 20) + 1; /* over 64 MiB: rejected before a byte is read */
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINVAL);
    t.body_len = SIZE_MAX;
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINVAL);
    t.body = NULL;
    t.body_len = 0;
    t.server_process_cost_ms = INT64_MAX;
    CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINVAL);
    char msg[256];
    CHECK_RC(mars_stn_errmsg(s, msg, sizeof msg), MARS_OK);
    CHECK(strstr(msg, "server_process_cost_ms") != NULL);
    CHECK_RC(mars_stn_errmsg(s, msg, 8), MARS_ERANGE);
    CHECK(strlen(msg) == 7);
    CHECK_RC(mars_stn_errmsg(s, NULL, 8), MARS_EINVAL);
    CHECK_RC(mars_stn_errmsg(s, msg, 0), MARS_EINVAL);

    /* An older, shorter task struct: the missing fields take the defaults. */
    mars_task_init(&t);
    t.struct_size = offsetof(mars_task, channel_strategy);
    t.cmdid = 5;
    t.channel_select = MARS_CHANNEL_LONG;
    uint32_t id = 0;
    CHECK_RC(mars_stn_start_task(s, &t, &id), MARS_OK);
    CHECK(id != 0);
    /* A newer, larger one: the unknown tail is ignored. */
    t.struct_size = 1 << 20;
    CHECK_RC(mars_stn_start_task(s, &t, &id), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* Each long-link call rejects NULLs, a struct_size that cannot hold the
 * name, fields out of range, unknown names and the main link's destroy. */
TEST(test_longlink_null_and_bad_arguments_fail) {
    mars_stn *s = new_stn();
    CHECK(s != NULL);
    CHECK_RC(mars_longlink_config_init(NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_create_longlink(s, NULL), MARS_EINVAL);
    mars_longlink_config c;
    CHECK_RC(mars_longlink_config_init(&c), MARS_OK);
    CHECK(c.struct_size == sizeof c && c.identify_check == 1 && c.keep_alive == 1 && c.main == 0);
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_EINVAL); /* no name */
    c.name = "";
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_EINVAL);
    c.name = "b";
    c.struct_size = 0;
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_EINVAL);
    c.struct_size = offsetof(mars_longlink_config, name);
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_EINVAL);
    uint16_t ports[65] = {0};
    const char *with_null[] = {"127.0.0.1", NULL};
    uint8_t pin[32] = {0};
#define BAD_FIELD(stmt)                                                    \
    do {                                                                   \
        mars_longlink_config_init(&c);                                     \
        c.name = "b";                                                      \
        stmt;                                                              \
        CHECK_RC(mars_stn_create_longlink(s, &c), MARS_EINVAL);            \
    } while (0)
    BAD_FIELD(c.ports = NULL; c.ports_len = 1);
    BAD_FIELD(c.ports = ports; c.ports_len = 65);
    BAD_FIELD(c.ports = ports; c.ports_len = SIZE_MAX);
    BAD_FIELD(c.backup_ips = with_null; c.backup_ips_len = 2);
    BAD_FIELD(c.backup_ips = NULL; c.backup_ips_len = 1);
    BAD_FIELD(c.heartbeat_mode = 7);
    BAD_FIELD(c.heartbeat_interval_ms = INT64_MAX);
    BAD_FIELD(c.proxy_kind = 9);
    BAD_FIELD(c.proxy_kind = MARS_PROXY_HTTP);                     /* no proxy_addr */
    BAD_FIELD(c.tls_server_name = "b.test");                       /* with tls 0 */
    BAD_FIELD(c.tls = 1; c.tls_pinned_spki_sha256 = pin; c.tls_pinned_spki_len = 65);
    BAD_FIELD(c.tls = 1; c.tls_root_ca_pem = "not a certificate");
#undef BAD_FIELD
    char msg[256];
    CHECK_RC(mars_stn_errmsg(s, msg, sizeof msg), MARS_OK);
    CHECK(strstr(msg, "mars_stn_create_longlink") != NULL);

    /* A newer, larger struct: the unknown tail is ignored. */
    mars_longlink_config_init(&c);
    c.name = "b";
    c.struct_size = 1 << 20;
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_OK);
    c.struct_size = sizeof c;
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_ESTATE); /* the name exists */
    c.name = "default-longlink";
    CHECK_RC(mars_stn_create_longlink(s, &c), MARS_ESTATE);

    CHECK_RC(mars_stn_destroy_longlink(s, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_destroy_longlink(s, "nope"), MARS_EINVAL);
    CHECK_RC(mars_stn_destroy_longlink(s, "default-longlink"), MARS_ESTATE); /* the main link */
    CHECK_RC(mars_stn_mark_main_longlink(s, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_mark_main_longlink(s, "nope"), MARS_EINVAL);
    CHECK_RC(mars_stn_makesure_named_longlink_connected(s, NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_makesure_named_longlink_connected(s, "nope"), MARS_OK);
    int out = 7;
    CHECK_RC(mars_stn_named_longlink_is_connected(s, NULL, &out), MARS_EINVAL);
    CHECK_RC(mars_stn_named_longlink_is_connected(s, "b", NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_named_longlink_is_connected(s, "nope", &out), MARS_OK);
    CHECK(out == 0);
    uint64_t conn = 7;
    CHECK_RC(mars_stn_longlink_connection_id(s, "b", NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_longlink_connection_id(s, NULL, &conn), MARS_OK);
    CHECK(conn == 0);

    char *names = (char *)1;
    size_t len = 99;
    CHECK_RC(mars_stn_longlinks(s, NULL, &len), MARS_EINVAL);
    CHECK(len == 0);
    CHECK_RC(mars_stn_longlinks(s, &names, NULL), MARS_EINVAL);
    CHECK(names == NULL);
    CHECK_RC(mars_stn_longlinks(s, &names, &len), MARS_OK);
    CHECK(len == sizeof "b" + sizeof "default-longlink" && memcmp(names, "b\0default-longlink\0", len) == 0);
    mars_free(names);

    char buf[8];
    CHECK_RC(mars_stn_main_longlink(s, NULL, 8), MARS_EINVAL);
    CHECK_RC(mars_stn_main_longlink(s, buf, 0), MARS_EINVAL);
    CHECK_RC(mars_stn_main_longlink(s, buf, sizeof buf), MARS_ERANGE);
    CHECK(strcmp(buf, "default") == 0); /* truncated, NUL-terminated */
    CHECK_RC(mars_stn_mark_main_longlink(s, "b"), MARS_OK);
    CHECK_RC(mars_stn_main_longlink(s, buf, 2), MARS_OK);
    CHECK(strcmp(buf, "b") == 0);
    CHECK_RC(mars_stn_destroy_longlink(s, "b"), MARS_ESTATE);
    CHECK_RC(mars_stn_destroy_longlink(s, "default-longlink"), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

TEST(test_stn_create_rejects_bad_config) {
    mars_stn_config cfg;
    mars_stn_callbacks cb;
    mars_stn *s = (mars_stn *)1;
    mars_stn_callbacks_init(&cb);
    mars_stn_config_init(&cfg);
    CHECK_RC(mars_stn_create(NULL, &cb, &s), MARS_EINVAL);
    CHECK(s == NULL);
    CHECK_RC(mars_stn_create(&cfg, NULL, &s), MARS_EINVAL);
    CHECK_RC(mars_stn_create(&cfg, &cb, NULL), MARS_EINVAL);
    cfg.struct_size = 0;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    cfg.noop_timeout_ms = -5;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    char msg[256];
    CHECK_RC(mars_stn_errmsg(NULL, msg, sizeof msg), MARS_OK);
    CHECK(strstr(msg, "NoopTimeout") != NULL);
    mars_stn_config_init(&cfg);
    cfg.connect_timeout_ms = INT64_MIN;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    cfg.network_type = 42;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    cfg.longlink_ports_len = 1000;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    mars_longlink_codec codec = {sizeof codec, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    cfg.codec = &codec;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    codec.struct_size = 0;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    cfg.proxy_kind = 9;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    cfg.proxy_kind = MARS_PROXY_SOCKS5; /* without proxy_addr */
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    cfg.proxy_addr = "127.0.0.1"; /* no port */
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    cfg.proxy_addr = "127.0.0.1:1080";
    cfg.proxy_password = "secret"; /* without proxy_user */
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    cfg.tls = 1;
    cfg.tls_root_ca_pem = "not a certificate";
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    cfg.tls_root_ca_pem = NULL;
    cfg.tls_pinned_spki_len = 2; /* with a NULL array */
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    uint8_t pins[2][32] = {{1}, {2}};
    cfg.tls_pinned_spki_sha256 = &pins[0][0];
    cfg.tls_pinned_spki_len = 65;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    cfg.tls_pinned_spki_len = 2;
    cfg.proxy_kind = MARS_PROXY_HTTP;
    cfg.proxy_addr = "127.0.0.1:3128";
    cfg.max_connecting = 5;
    cfg.exact_mars_timing = 1;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    mars_stn_config_init(&cfg);
    cfg.max_connecting = -1;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    cfg.heartbeat_mode = 7;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    cfg.shortlink_tls = 1;
    cfg.shortlink_tls_root_ca_pem = "-----BEGIN CERTIFICATE-----\nnope\n";
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    mars_stn_config_init(&cfg);
    cfg.heartbeat_mode = MARS_HEARTBEAT_PASSIVE;
    cfg.timing_sync = 1;
    cfg.doh_url = "https://127.0.0.1:1/dns-query";
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    /* A DoH URL that is not https is refused, plain http unless the
     * test-only switch allows it. */
    const char *bad_doh[] = {"http://127.0.0.1:1/dns-query", "ftp://127.0.0.1/q", "not a url", "https:///q"};
    for (size_t i = 0; i < sizeof bad_doh / sizeof bad_doh[0]; i++) {
        cfg.doh_url = bad_doh[i];
        CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
        CHECK_RC(mars_stn_errmsg(NULL, msg, sizeof msg), MARS_OK);
        CHECK(strstr(msg, "DoHURL") != NULL);
    }
    cfg.doh_url = "http://127.0.0.1:1/dns-query";
    cfg.doh_allow_http = 1;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    /* Pins, roots or a server name without TLS cannot be honoured: refused
     * on either link rather than dropped. */
    mars_stn_config_init(&cfg);
    cfg.tls_pinned_spki_sha256 = &pins[0][0];
    cfg.tls_pinned_spki_len = 1;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    CHECK_RC(mars_stn_errmsg(NULL, msg, sizeof msg), MARS_OK);
    CHECK(strstr(msg, "tls = 0") != NULL);
    mars_stn_config_init(&cfg);
    cfg.shortlink_tls_pinned_spki_sha256 = &pins[0][0];
    cfg.shortlink_tls_pinned_spki_len = 1;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    CHECK_RC(mars_stn_errmsg(NULL, msg, sizeof msg), MARS_OK);
    CHECK(strstr(msg, "shortlink_tls = 0") != NULL);
    cfg.shortlink_tls = 1;
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
    mars_stn_config_init(&cfg);
    cfg.tls_server_name = "example.test";
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_EINVAL);
    /* An older config struct without the timing fields is fine. */
    mars_stn_config_init(&cfg);
    cfg.struct_size = offsetof(mars_stn_config, heartbeat_interval_ms);
    CHECK_RC(mars_stn_create(&cfg, &cb, &s), MARS_OK);
    CHECK_RC(mars_stn_destroy(s), MARS_OK);
}

/* ---- xlog arguments ------------------------------------------------------ */

static char g_tmp[256];

static const char *tmpdir(void) {
    if (!g_tmp[0]) {
        snprintf(g_tmp, sizeof g_tmp, "/tmp/mars-test-api-XXXXXX");
        if (!mkdtemp(g_tmp)) return NULL;
    }
    return g_tmp;
}

static mars_xlog *new_xlog(const char *prefix) {
    mars_xlog_config c;
    mars_xlog_config_init(&c);
    c.log_dir = tmpdir();
    c.name_prefix = prefix;
    mars_xlog *x = NULL;
    return mars_xlog_open(&c, &x) == MARS_OK ? x : NULL;
}

static int every_xlog_call(mars_xlog *x, int want) {
    int lv = 0;
    char buf[64];
    mars_xlog_stats st = {sizeof st};
    int rcs[] = {
        mars_xlog_write(x, MARS_LEVEL_INFO, "tag", __FILE__, __func__, __LINE__, "hello"),
        mars_xlog_printf(x, MARS_LEVEL_INFO, "tag", __FILE__, __func__, __LINE__, "hello %d", 2),
        mars_xlog_flush(x, 0),
        mars_xlog_flush(x, 1),
        mars_xlog_set_level(x, MARS_LEVEL_DEBUG),
        mars_xlog_get_level(x, &lv),
        mars_xlog_set_console(x, 0),
        mars_xlog_set_max_file_size(x, 1 << 20),
        mars_xlog_set_max_alive_time(x, 3LL * 24 * 3600 * 1000),
        mars_xlog_get_stats(x, &st),
        /* NULL names the process-wide detail, which is valid */
        x == NULL ? want : mars_xlog_errmsg(x, buf, sizeof buf),
    };
    return all_returned(rcs, sizeof rcs / sizeof rcs[0], want);
}

TEST(test_xlog_null_stale_forged_and_bad_arguments_fail) {
    mars_xlog *x = new_xlog("api");
    CHECK(x != NULL);
    CHECK(every_xlog_call(x, MARS_OK));
    CHECK_RC(mars_xlog_write(x, MARS_LEVEL_INFO, NULL, NULL, NULL, 0, "no tag"), MARS_OK);
    CHECK_RC(mars_xlog_write(x, MARS_LEVEL_INFO, "t", "f", "fn", 1, NULL), MARS_EINVAL);
    CHECK_RC(mars_xlog_write(x, MARS_LEVEL_NONE, "t", "f", "fn", 1, "m"), MARS_EINVAL);
    CHECK_RC(mars_xlog_write(x, -1, "t", "f", "fn", 1, "m"), MARS_EINVAL);
    CHECK_RC(mars_xlog_set_level(x, 7), MARS_EINVAL);
    CHECK_RC(mars_xlog_set_mode(x, 2), MARS_EINVAL);
    CHECK_RC(mars_xlog_set_max_file_size(x, -1), MARS_EINVAL);
    CHECK_RC(mars_xlog_set_max_alive_time(x, -1), MARS_EINVAL);
    CHECK_RC(mars_xlog_set_max_alive_time(x, INT64_MAX), MARS_EINVAL);
    CHECK_RC(mars_xlog_get_level(x, NULL), MARS_EINVAL);
    CHECK_RC(mars_xlog_printf(x, MARS_LEVEL_INFO, "t", "f", "fn", 1, NULL), MARS_EINVAL);
    CHECK_RC(mars_xlog_printf(x, MARS_LEVEL_NONE, "t", "f", "fn", 1, "m"), MARS_EINVAL);
    CHECK_RC(mars_xlog_printf(x, -1, "t", "f", "fn", 1, "m"), MARS_EINVAL);
    CHECK(mars_xlog_enabled(x, MARS_LEVEL_NONE) == 0 && mars_xlog_enabled(x, -1) == 0);
    CHECK(mars_xlog_enabled(NULL, MARS_LEVEL_FATAL) == 0 && mars_xlog_enabled((mars_xlog *)1, MARS_LEVEL_FATAL) == 0);
    CHECK_RC(mars_xlog_get_stats(x, NULL), MARS_EINVAL);
    mars_xlog_stats small = {4};
    CHECK_RC(mars_xlog_get_stats(x, &small), MARS_EINVAL);
    /* An older, shorter stats struct gets only what fits. */
    struct { size_t size; uint64_t written; uint64_t canary; } old = {16, 0, 0x1234};
    CHECK_RC(mars_xlog_get_stats(x, (mars_xlog_stats *)&old), MARS_OK);
    CHECK(old.written >= 1 && old.canary == 0x1234);
    /* An stn handle value is not an xlog handle, and vice versa. */
    CHECK(every_xlog_call((mars_xlog *)1, MARS_EBADHANDLE));
    CHECK(every_xlog_call(NULL, MARS_EBADHANDLE));
    CHECK(every_stn_call((mars_stn *)x, MARS_EBADHANDLE));
    CHECK(mars_xlog_enabled(x, MARS_LEVEL_FATAL) == 1);
    CHECK_RC(mars_xlog_close(x), MARS_OK);
    CHECK(mars_xlog_enabled(x, MARS_LEVEL_FATAL) == 0);
    CHECK(every_xlog_call(x, MARS_EBADHANDLE));
    CHECK_RC(mars_xlog_close(x), MARS_EBADHANDLE);
    CHECK_RC(mars_xlog_close(NULL), MARS_OK);
}

TEST(test_xlog_open_rejects_bad_config) {
    mars_xlog_config c;
    mars_xlog *x = (mars_xlog *)1;
    CHECK_RC(mars_xlog_open(NULL, &x), MARS_EINVAL);
    CHECK(x == NULL);
    mars_xlog_config_init(&c);
    CHECK_RC(mars_xlog_open(&c, NULL), MARS_EINVAL);
    CHECK_RC(mars_xlog_open(&c, &x), MARS_EINVAL); /* no log_dir */
    c.log_dir = tmpdir();
    c.mode = 9;
    CHECK_RC(mars_xlog_open(&c, &x), MARS_EINVAL);
    mars_xlog_config_init(&c);
    c.log_dir = tmpdir();
    c.pub_key = "not a key";
    CHECK_RC(mars_xlog_open(&c, &x), MARS_EINVAL);
    mars_xlog_config_init(&c);
    c.log_dir = tmpdir();
    c.flush_interval_ms = -1;
    CHECK_RC(mars_xlog_open(&c, &x), MARS_EINVAL);
    char msg[256];
    CHECK_RC(mars_xlog_errmsg(NULL, msg, sizeof msg), MARS_OK);
    CHECK(strstr(msg, "flush_interval_ms") != NULL);
    mars_xlog_config_init(&c);
    c.log_dir = tmpdir();
    c.struct_size = 3;
    CHECK_RC(mars_xlog_open(&c, &x), MARS_EINVAL);
}

TEST(test_xlog_decode_bad_arguments_fail) {
    char *text = (char *)1;
    size_t n = 7;
    CHECK_RC(mars_xlog_decode(NULL, NULL, &text, &n), MARS_EINVAL);
    CHECK(text == NULL && n == 0);
    CHECK_RC(mars_xlog_decode("/nonexistent/x.xlog", NULL, NULL, &n), MARS_EINVAL);
    CHECK_RC(mars_xlog_decode("/nonexistent/x.xlog", NULL, &text, NULL), MARS_EINVAL);
    CHECK_RC(mars_xlog_decode("/nonexistent/x.xlog", NULL, &text, &n), MARS_EIO);
    CHECK_RC(mars_xlog_decode("/nonexistent/x.xlog", "zz", &text, &n), MARS_EINVAL);
    CHECK_RC(mars_xlog_decode_file(NULL, NULL, "/tmp/x"), MARS_EINVAL);
    CHECK_RC(mars_xlog_decode_file("/nonexistent/x.xlog", NULL, NULL), MARS_EINVAL);
    CHECK_RC(mars_xlog_decode_file("/nonexistent/x.xlog", NULL, "/nonexistent/out.log"), MARS_EIO);
}

TEST(test_sdt_check_bad_arguments_fail) {
    char *out = (char *)1;
    size_t n = 5;
    CHECK_RC(mars_sdt_check(NULL, 0, &out, &n), MARS_EINVAL);
    CHECK(out == NULL && n == 0);
    CHECK_RC(mars_sdt_check("{}", 0, NULL, &n), MARS_EINVAL);
    CHECK_RC(mars_sdt_check("{}", 0, &out, NULL), MARS_EINVAL);
    CHECK_RC(mars_sdt_check("{not json", 0, &out, &n), MARS_EINVAL);
    CHECK_RC(mars_sdt_check("{\"bogus\":1}", 0, &out, &n), MARS_EINVAL);
    CHECK_RC(mars_sdt_check("{} {}", 0, &out, &n), MARS_EINVAL);
    char msg[256];
    CHECK_RC(mars_stn_errmsg(NULL, msg, sizeof msg), MARS_OK);
    CHECK(strstr(msg, "mars_sdt_check") != NULL);
    /* an empty request with only the local checks runs and reports */
    CHECK_RC(mars_sdt_check("{\"checks\":32,\"timeout_ms\":2000}", 0, &out, &n), MARS_OK);
    CHECK(out != NULL && strstr(out, "\"results\"") != NULL);
    mars_free(out);
}

TEST(test_proxy_is_available_bad_arguments_fail) {
    CHECK_RC(mars_proxy_info_init(NULL), MARS_EINVAL);
    mars_proxy_info p;
    CHECK_RC(mars_proxy_info_init(&p), MARS_OK);
    CHECK(p.struct_size == sizeof p && p.kind == MARS_PROXY_NONE && p.addr[0] == 0);
    int available = 7, code = 7;
    CHECK_RC(mars_proxy_is_available(NULL, "127.0.0.1", 80, 100, &available, &code), MARS_EINVAL);
    CHECK(available == 0 && code == -1);
    p.kind = MARS_PROXY_HTTP;
    strcpy(p.addr, "127.0.0.1:1");
    CHECK_RC(mars_proxy_is_available(&p, NULL, 80, 100, &available, &code), MARS_EINVAL);
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, 100, NULL, &code), MARS_EINVAL);
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", -1, 100, &available, &code), MARS_EINVAL);
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 65536, 100, &available, &code), MARS_EINVAL);
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, -1, &available, &code), MARS_EINVAL);
    /* an addr without its NUL is cut inside the struct, never read past */
    memset(p.addr, 'a', sizeof p.addr);
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, 100, &available, &code), MARS_EINVAL);
    mars_proxy_info_init(&p);
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, 100, &available, &code), MARS_EINVAL); /* kind NONE */
    p.kind = 9;
    strcpy(p.addr, "127.0.0.1:1");
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, 100, &available, &code), MARS_EINVAL);
    p.struct_size = 2; /* too small to hold struct_size */
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, 100, &available, &code), MARS_EINVAL);
    /* a proxy nobody listens on: not available, the proxy's own code */
    mars_proxy_info_init(&p);
    p.kind = MARS_PROXY_HTTP;
    strcpy(p.addr, "127.0.0.1:1");
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, 2000, &available, &code), MARS_OK);
    CHECK(available == 0 && code == MARS_ECT_SOCKET_PROXY_REFUSED);
    CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, 2000, &available, NULL), MARS_OK);
}

/* Run with MARS_CAPI_TEST_PANIC=<export>: that export panics on entry; the
 * fence must turn it into MARS_EINTERNAL with a detail naming it, the process
 * must live on, and the object and every other export must keep working. */
TEST(test_panic_under_an_export_returns_an_error) {
    const char *which = getenv("MARS_CAPI_TEST_PANIC");
    CHECK(which != NULL);
    char msg[256];
    if (strcmp(which, "mars_version_number") == 0) {
        CHECK_RC(mars_version_number(), MARS_EINTERNAL);
        CHECK_RC(mars_version_number(), MARS_EINTERNAL);
        CHECK(strcmp(mars_version(), MARS_VERSION_STRING) == 0);
    } else if (strcmp(which, "mars_stn_start_task") == 0) {
        mars_stn *s = new_stn();
        CHECK(s != NULL);
        mars_task t;
        mars_task_init(&t);
        CHECK_RC(mars_stn_start_task(s, &t, NULL), MARS_EINTERNAL);
        uint32_t id = 0;
        CHECK_RC(mars_stn_gen_task_id(s, &id), MARS_OK);
        CHECK(id != 0);
        CHECK_RC(mars_stn_destroy(s), MARS_OK);
    } else if (strcmp(which, "mars_stn_poll_task_ends") == 0) {
        mars_stn *s = new_polled_stn();
        CHECK(s != NULL);
        CHECK_RC(poll_ends(s, -1), MARS_EINTERNAL); /* and no output left */
        CHECK_RC(mars_stn_poll(s, 0, NULL), MARS_OK);
        CHECK_RC(mars_stn_destroy(s), MARS_OK);
    } else if (strcmp(which, "mars_stn_create_longlink") == 0) {
        mars_stn *s = new_stn();
        CHECK(s != NULL);
        mars_longlink_config c;
        mars_longlink_config_init(&c);
        c.name = "b";
        CHECK_RC(mars_stn_create_longlink(s, &c), MARS_EINTERNAL);
        int up = 1;
        CHECK_RC(mars_stn_named_longlink_is_connected(s, "b", &up), MARS_OK);
        CHECK(up == 0);
        CHECK_RC(mars_stn_destroy_longlink(s, "b"), MARS_EINVAL); /* never created */
        CHECK_RC(mars_stn_destroy(s), MARS_OK);
    } else if (strcmp(which, "mars_xlog_write") == 0) {
        mars_xlog *x = new_xlog("panic");
        CHECK(x != NULL);
        CHECK_RC(mars_xlog_write(x, MARS_LEVEL_INFO, "t", "f", "fn", 1, "m"), MARS_EINTERNAL);
        CHECK_RC(mars_xlog_flush(x, 1), MARS_OK);
        CHECK_RC(mars_xlog_close(x), MARS_OK);
    } else if (strcmp(which, "mars_proxy_is_available") == 0) {
        mars_proxy_info p;
        mars_proxy_info_init(&p);
        p.kind = MARS_PROXY_HTTP;
        strcpy(p.addr, "127.0.0.1:1");
        int available = 7;
        CHECK_RC(mars_proxy_is_available(&p, "127.0.0.1", 80, 100, &available, NULL), MARS_EINTERNAL);
        CHECK(available == 0);
    } else {
        fprintf(stderr, "  no panic scenario for %s\n", which);
        CHECK(0);
    }
    CHECK_RC(mars_stn_errmsg(NULL, msg, sizeof msg), MARS_OK);
    CHECK(strstr(msg, which) != NULL && strstr(msg, "internal error") != NULL);
}

int main(int argc, char **argv) {
    /* The panic test needs its environment, so it runs only when asked. */
    int rc = argc > 1 ? run_tests(argv[1], NULL) : run_tests(NULL, "panic");
    if (g_tmp[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_tmp);
    }
    return rc;
}
