/* test_api.c — the parts of mars.h that need no server and no object:
 * versions, result codes, buffers, struct layout pins, init defaults.
 *
 * Usage: test_api [filter]   (MARS_HEADER = path of mars.h for the errstr test) */
#include "harness.h"

#include <stddef.h>

TEST(test_header_and_library_versions_agree) {
    CHECK(mars_version_number() == MARS_VERSION_NUMBER);
    CHECK(strcmp(mars_version(), MARS_VERSION_STRING) == 0);
    CHECK(MARS_VERSION_NUMBER ==
          MARS_VERSION_MAJOR * 1000000 + MARS_VERSION_MINOR * 1000 + MARS_VERSION_PATCH);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", MARS_VERSION_MAJOR, MARS_VERSION_MINOR, MARS_VERSION_PATCH);
    CHECK(strcmp(want, MARS_VERSION_STRING) == 0);
}

/* open_header opens the mars.h named by MARS_HEADER (NULL if unset or
 * unreadable). */
static FILE *open_header(void) {
    const char *path = getenv("MARS_HEADER");
    return path ? fopen(path, "r") : NULL;
}

/* MARS_VERSION_AT_LEAST compares against this header's version: equal and
 * older versions pass, any newer component fails. */
TEST(test_version_at_least_macro) {
    CHECK(MARS_VERSION_AT_LEAST(MARS_VERSION_MAJOR, MARS_VERSION_MINOR, MARS_VERSION_PATCH));
    CHECK(MARS_VERSION_AT_LEAST(0, 1, 0));
    CHECK(MARS_VERSION_AT_LEAST(0, 0, 999));
    CHECK(!MARS_VERSION_AT_LEAST(MARS_VERSION_MAJOR, MARS_VERSION_MINOR, MARS_VERSION_PATCH + 1));
    CHECK(!MARS_VERSION_AT_LEAST(MARS_VERSION_MAJOR, MARS_VERSION_MINOR + 1, 0));
    CHECK(!MARS_VERSION_AT_LEAST(MARS_VERSION_MAJOR + 1, 0, 0));
#if MARS_VERSION_AT_LEAST(0, 2, 0)
    int in_preprocessor = 1;
#else
    int in_preprocessor = 0;
#endif
    CHECK(in_preprocessor);
}

/* Every feature name mars.h lists under mars_has_feature is answered 1 by
 * this (full) build; unknown names, near misses and NULL are 0. */
TEST(test_has_feature_answers_every_documented_name) {
    FILE *f = open_header();
    CHECK(f != NULL);
    char line[512];
    int in_list = 0, n = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "The names of this version:")) {
            in_list = 1;
            continue;
        }
        if (!in_list) continue;
        if (strstr(line, "struct fields named above")) break;
        char name[64];
        if (sscanf(line, " * \"%63[a-z_]\"", name) != 1) continue;
        n++;
        if (mars_has_feature(name) != 1) {
            fprintf(stderr, "  feature \"%s\" is documented but answered 0\n", name);
            CHECK(0);
        }
    }
    fclose(f);
    CHECK(n >= 13);
    CHECK(mars_has_feature(NULL) == 0);
    CHECK(mars_has_feature("") == 0);
    CHECK(mars_has_feature("no_such_feature") == 0);
    CHECK(mars_has_feature("STN") == 0);
    CHECK(mars_has_feature("stn ") == 0);
    CHECK(mars_has_feature("st") == 0);
}

/* Every MARS_OK / MARS_E<NAME> code declared in the header has its own text,
 * different from the text of an unknown code. */
/* mars_stn_gen_sequence_id draws Mars's 16-bit GenSequenceId values. */
TEST(test_gen_sequence_id_is_sixteen_bits) {
    int distinct = 0;
    static unsigned char seen[65536];
    for (int i = 0; i < 1000; i++) {
        uint32_t v = 0x10000;
        CHECK_RC(mars_stn_gen_sequence_id(&v), MARS_OK);
        CHECK(v <= 0xFFFF);
        if (v <= 0xFFFF && !seen[v]) {
            seen[v] = 1;
            distinct++;
        }
    }
    CHECK(distinct > 900); /* 1000 draws of 65536 values repeat about 8 times */
    CHECK_RC(mars_stn_gen_sequence_id(NULL), MARS_EINVAL);
}

TEST(test_every_result_code_has_its_own_errstr) {
    FILE *f = open_header();
    CHECK(f != NULL);
    char line[512];
    const char *texts[64] = {0};
    int codes[64], n = 0;
    while (fgets(line, sizeof line, f) && n < 64) {
        char name[64];
        int value;
        if (sscanf(line, "#define MARS_%63s %d", name, &value) != 2) continue;
        int is_code = strcmp(name, "OK") == 0;
        if (name[0] == 'E' && !strchr(name, '_')) is_code = 1;
        if (!is_code) continue;
        codes[n] = value;
        texts[n] = mars_errstr(value);
        n++;
    }
    fclose(f);
    CHECK(n >= 10);
    const char *unknown = mars_errstr(-12345);
    for (int i = 0; i < n; i++) {
        CHECK(texts[i] != NULL && texts[i][0] != 0);
        if (strcmp(texts[i], unknown) == 0) {
            fprintf(stderr, "  code %d has no text of its own\n", codes[i]);
            CHECK(0);
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(texts[i], texts[j]) == 0) {
                fprintf(stderr, "  codes %d and %d share \"%s\"\n", codes[i], codes[j], texts[i]);
                CHECK(0);
            }
        }
    }
}

TEST(test_buf_append_reserve_commit) {
    mars_buf b = {0};
    CHECK_RC(mars_buf_append(&b, "abc", 3), MARS_OK);
    uint8_t *p = NULL;
    CHECK_RC(mars_buf_reserve(&b, 1000, &p), MARS_OK);
    CHECK(p == b.data + 3 && b.cap >= 1003);
    memset(p, 'x', 1000);
    CHECK_RC(mars_buf_commit(&b, 1000), MARS_OK);
    CHECK(b.len == 1003 && memcmp(b.data, "abcx", 4) == 0);
    CHECK_RC(mars_buf_commit(&b, b.cap - b.len + 1), MARS_EINVAL);
    CHECK_RC(mars_buf_append(&b, NULL, 0), MARS_OK);
    CHECK_RC(mars_buf_append(&b, NULL, 1), MARS_EINVAL);
    CHECK_RC(mars_buf_append(NULL, "a", 1), MARS_EINVAL);
    CHECK_RC(mars_buf_reserve(&b, (size_t)1 << 40, &p), MARS_EINVAL);
    CHECK_RC(mars_buf_reserve(&b, SIZE_MAX, &p), MARS_EINVAL);
    CHECK_RC(mars_buf_reserve(&b, 1, NULL), MARS_EINVAL);
    CHECK(b.len == 1003);
    free(b.data); /* test-only: the library frees buffers it hands out */
}

TEST(test_str_list_add) {
    mars_str_list l = {0};
    CHECK_RC(mars_str_list_add(&l, "127.0.0.1"), MARS_OK);
    CHECK_RC(mars_str_list_add(&l, "::1"), MARS_OK);
    CHECK_RC(mars_str_list_add(&l, NULL), MARS_EINVAL);
    CHECK_RC(mars_str_list_add(NULL, "x"), MARS_EINVAL);
    CHECK(l.len == 2 && strcmp(l.items[1], "::1") == 0);
    int rc = MARS_OK;
    while (rc == MARS_OK && l.len < 5000) rc = mars_str_list_add(&l, "x");
    CHECK_RC(rc, MARS_EINVAL);
    CHECK(l.len == 1024);
    for (size_t i = 0; i < l.len; i++) free(l.items[i]);
    free(l.items);
    mars_free(NULL);
}

/* The public structs' layout on LP64 targets (x86_64, arm64): a change here
 * breaks every compiled caller, so it must be deliberate (fields are only
 * added at the end). */
TEST(test_struct_layout_pins) {
#if defined(__LP64__)
    CHECK(sizeof(mars_buf) == 24);
    CHECK(sizeof(mars_str_list) == 24);
    CHECK(sizeof(mars_task_ref) == 40);
    CHECK(sizeof(mars_task_profile) == 168);
    CHECK(sizeof(mars_stn_callbacks) == 248);
    CHECK(offsetof(mars_stn_callbacks, on_shortlink_network_error) == 168);
    CHECK(offsetof(mars_stn_callbacks, on_task_end_resp) == 176);
    CHECK(offsetof(mars_stn_callbacks, on_longlink_status_change_of) == 184);
    CHECK(offsetof(mars_stn_callbacks, on_longlink_network_error_of) == 192);
    CHECK(offsetof(mars_stn_callbacks, on_longlink_new_dns) == 200);
    CHECK(sizeof(mars_longlink_config) == 176);
    CHECK(offsetof(mars_longlink_config, codec) == 168);
    CHECK(offsetof(mars_longlink_config, name) == 8);
    CHECK(offsetof(mars_longlink_config, backup_ips_len) == 56);
    CHECK(offsetof(mars_longlink_config, client_version) == 64);
    CHECK(offsetof(mars_longlink_config, tls) == 68);
    CHECK(offsetof(mars_longlink_config, tls_pinned_spki_len) == 96);
    CHECK(offsetof(mars_longlink_config, proxy_kind) == 104);
    CHECK(offsetof(mars_longlink_config, proxy_password) == 128);
    CHECK(offsetof(mars_longlink_config, heartbeat_mode) == 136);
    CHECK(offsetof(mars_longlink_config, heartbeat_interval_ms) == 144);
    CHECK(offsetof(mars_longlink_config, identify_check) == 152);
    CHECK(offsetof(mars_longlink_config, keep_alive) == 156);
    CHECK(offsetof(mars_longlink_config, main) == 160);
    CHECK(sizeof(mars_longlink_codec) == 88);
    CHECK(sizeof(mars_proxy_info) == 792);
    CHECK(offsetof(mars_proxy_info, kind) == 8);
    CHECK(offsetof(mars_proxy_info, addr) == 12);
    CHECK(offsetof(mars_proxy_info, user) == 276);
    CHECK(offsetof(mars_proxy_info, password) == 532);
    CHECK(sizeof(mars_dns_profile) == 72);
    CHECK(offsetof(mars_dns_profile, ips) == 24);
    CHECK(offsetof(mars_dns_profile, start_ms) == 40);
    CHECK(offsetof(mars_dns_profile, err_type) == 56);
    CHECK(offsetof(mars_dns_profile, error) == 64);
    CHECK(offsetof(mars_stn_callbacks, get_proxy_info) == 232);
    CHECK(offsetof(mars_stn_callbacks, report_dns_profile) == 240);
    CHECK(sizeof(mars_stn_config) == 480);
    CHECK(offsetof(mars_stn_config, doh_allow_http) == 472);
    CHECK(offsetof(mars_stn_config, verify_connect) == 476);
    CHECK(offsetof(mars_stn_config, max_in_flight) == 456);
    CHECK(offsetof(mars_stn_config, max_packet_size) == 460);
    CHECK(offsetof(mars_stn_config, receive_backlog_bytes) == 464);
    CHECK(offsetof(mars_stn_config, heartbeat_mode) == 352);
    CHECK(offsetof(mars_stn_config, shortlink_tls_pinned_spki_len) == 424);
    CHECK(offsetof(mars_stn_config, resolver_timeout_ms) == 240);
    CHECK(offsetof(mars_stn_config, tls_pinned_spki_len) == 312);
    CHECK(offsetof(mars_stn_config, proxy_password) == 344);
    CHECK(offsetof(mars_stn_config, poll_events) == 232);
    CHECK(offsetof(mars_stn_config, log) == 224);
    CHECK(sizeof(mars_task) == 208);
    CHECK(sizeof(mars_task_end) == 72);
    CHECK(offsetof(mars_task_end, user_context) == 16);
    CHECK(offsetof(mars_task_end, client_sequence_id) == 32);
    CHECK(offsetof(mars_task_end, err_type) == 36);
    CHECK(offsetof(mars_task_end, body) == 48);
    CHECK(offsetof(mars_task_end, body_len) == 56);
    CHECK(offsetof(mars_task_end, profile) == 64);
    CHECK(offsetof(mars_task, channel_id) == 200);
    CHECK(offsetof(mars_task, long_polling_timeout_ms) == 176);
    CHECK(offsetof(mars_task, body) == 184);
    CHECK(offsetof(mars_task, body_len) == 192);
    CHECK(sizeof(mars_xlog_config) == 112);
    CHECK(sizeof(mars_xlog_stats) == 80);
    CHECK(offsetof(mars_task_ref, client_sequence_id) == 32);
    CHECK(offsetof(mars_task_profile, connect_ip) == 104);
    CHECK(offsetof(mars_task_profile, task_timeout_ms) == 144);
    CHECK(offsetof(mars_task_profile, weak_network) == 152);
    CHECK(offsetof(mars_task_profile, resp_flags) == 156);
    CHECK(offsetof(mars_task_profile, server_sequence_id) == 160);
    CHECK(sizeof(mars_network_quality) == 40);
    CHECK(offsetof(mars_network_quality, level) == 8);
    CHECK(offsetof(mars_network_quality, dynamic_timeout) == 12);
    CHECK(offsetof(mars_network_quality, rtt_ms) == 16);
    CHECK(offsetof(mars_network_quality, throughput) == 24);
    CHECK(offsetof(mars_network_quality, weak_marked) == 32);
    CHECK(offsetof(mars_stn_callbacks, req2buf) == 16);
    CHECK(offsetof(mars_stn_callbacks, on_task_end) == 32);
    CHECK(offsetof(mars_stn_callbacks, request_sync) == 128);
    CHECK(offsetof(mars_stn_callbacks, on_network_quality_change) == 136);
    CHECK(offsetof(mars_stn_callbacks, is_logoned) == 144);
    CHECK(offsetof(mars_longlink_codec, pack) == 16);
    CHECK(offsetof(mars_longlink_codec, is_identify_response) == 56);
    CHECK(offsetof(mars_longlink_codec, pack_ext) == 64);
    CHECK(offsetof(mars_longlink_codec, unpack_ext) == 72);
    CHECK(offsetof(mars_longlink_codec, identify) == 80);
    CHECK(offsetof(mars_stn_callbacks, req2buf_ext) == 208);
    CHECK(offsetof(mars_stn_callbacks, on_push_ext) == 224);
    CHECK(offsetof(mars_stn_config, client_version) == 8);
    CHECK(offsetof(mars_stn_config, longlink_ports_len) == 32);
    CHECK(offsetof(mars_stn_config, network_type) == 72);
    CHECK(offsetof(mars_stn_config, heartbeat_interval_ms) == 88);
    CHECK(offsetof(mars_stn_config, min_rate) == 208);
    CHECK(offsetof(mars_stn_config, codec) == 216);
    CHECK(offsetof(mars_task, taskid) == 8);
    CHECK(offsetof(mars_task, priority) == 60);
    CHECK(offsetof(mars_task, server_process_cost_ms) == 72);
    CHECK(offsetof(mars_task, user_context) == 88);
    CHECK(offsetof(mars_task, headers_len) == 160);
    CHECK(offsetof(mars_xlog_config, log_dir) == 16);
    CHECK(offsetof(mars_xlog_config, level) == 52);
    CHECK(offsetof(mars_xlog_config, max_file_size) == 56);
    CHECK(offsetof(mars_xlog_config, buffer_size) == 104);
    CHECK(offsetof(mars_xlog_stats, lines_written) == 8);
    CHECK(offsetof(mars_xlog_stats, mapped) == 64);
    CHECK(offsetof(mars_xlog_stats, lines_truncated) == 72);
#endif
    CHECK(offsetof(mars_stn_config, struct_size) == 0);
    CHECK(offsetof(mars_stn_callbacks, struct_size) == 0);
    CHECK(offsetof(mars_task, struct_size) == 0);
    CHECK(offsetof(mars_xlog_config, struct_size) == 0);
    CHECK(offsetof(mars_longlink_codec, struct_size) == 0);
    CHECK(offsetof(mars_network_quality, struct_size) == 0);
}

TEST(test_init_functions_fill_size_and_defaults) {
    mars_stn_config cfg;
    memset(&cfg, 0xAB, sizeof cfg);
    CHECK_RC(mars_stn_config_init(&cfg), MARS_OK);
    CHECK(cfg.struct_size == sizeof cfg);
    CHECK(cfg.heartbeat_interval_ms == 210000 && cfg.noop_timeout_ms == 8000);
    CHECK(cfg.new_dns_timeout_ms == 2000 && cfg.network_type == MARS_NET_WIFI);
    CHECK(cfg.longlink_host == NULL && cfg.codec == NULL);
    CHECK(cfg.resolver_timeout_ms == 1000 && cfg.max_connecting == 3);
    CHECK(cfg.connect_interval_ms == 2500 && cfg.min_connect_interval_ms == 250);
    CHECK(cfg.tls == 0 && cfg.proxy_kind == MARS_PROXY_NONE && cfg.poll_events == 0);
    CHECK(cfg.heartbeat_mode == MARS_HEARTBEAT_FIXED && cfg.signalling_period_ms == 5000);
    CHECK(cfg.signalling_keep_time_ms == 20000 && cfg.timing_sync == 0 && cfg.shortlink_tls == 0);
    mars_task t;
    memset(&t, 0xAB, sizeof t);
    CHECK_RC(mars_task_init(&t), MARS_OK);
    CHECK(t.struct_size == sizeof t && t.taskid == 0 && t.channel_select == MARS_CHANNEL_BOTH);
    CHECK(t.priority == 3 && t.retry_count == -1 && t.total_timeout_ms == -1);
    CHECK(t.limit_flow == 1 && t.limit_frequency == 1 && t.user_context == NULL);
    mars_stn_callbacks cb;
    memset(&cb, 0xAB, sizeof cb);
    CHECK_RC(mars_stn_callbacks_init(&cb), MARS_OK);
    CHECK(cb.struct_size == sizeof cb && cb.on_task_end == NULL && cb.user_data == NULL);
    mars_xlog_config x;
    memset(&x, 0xAB, sizeof x);
    CHECK_RC(mars_xlog_config_init(&x), MARS_OK);
    CHECK(x.struct_size == sizeof x && x.log_dir == NULL && x.mode == MARS_XLOG_MODE_ASYNC);
    CHECK(x.max_alive_time_ms == 10LL * 24 * 3600 * 1000 && x.buffer_size == 150 * 1024);
    CHECK_RC(mars_stn_config_init(NULL), MARS_EINVAL);
    CHECK_RC(mars_task_init(NULL), MARS_EINVAL);
    CHECK_RC(mars_stn_callbacks_init(NULL), MARS_EINVAL);
    CHECK_RC(mars_xlog_config_init(NULL), MARS_EINVAL);
}

/* An older caller's struct is a prefix of today's: *_init_sized fills exactly
 * the size it is given and not one byte more. */
TEST(test_init_sized_fills_only_the_callers_size) {
    unsigned char buf[sizeof(mars_task) + 32];
    size_t older = offsetof(mars_task, retry_count); /* a header that ended before retry_count */
    memset(buf, 0xAB, sizeof buf);
    CHECK_RC(mars_task_init_sized((mars_task *)buf, older), MARS_OK);
    mars_task t;
    memcpy(&t, buf, sizeof t);
    CHECK(t.struct_size == older && t.priority == 3 && t.channel_select == MARS_CHANNEL_BOTH);
    for (size_t i = older; i < sizeof buf; i++) {
        if (buf[i] != 0xAB) {
            fprintf(stderr, "  byte %zu past the caller's size was written\n", i);
            CHECK(0);
            break;
        }
    }
    mars_stn_config cfg;
    memset(&cfg, 0xAB, sizeof cfg);
    CHECK_RC(mars_stn_config_init_sized(&cfg, sizeof cfg + 64), MARS_OK); /* a newer caller: ours is filled */
    CHECK(cfg.struct_size == sizeof cfg && cfg.heartbeat_interval_ms == 210000);
    mars_stn_callbacks cb;
    CHECK_RC(mars_stn_callbacks_init_sized(&cb, sizeof cb), MARS_OK);
    CHECK(cb.struct_size == sizeof cb && cb.on_task_end == NULL);
    mars_xlog_config x;
    CHECK_RC(mars_xlog_config_init_sized(&x, sizeof x), MARS_OK);
    CHECK(x.struct_size == sizeof x && x.buffer_size == 150 * 1024);
    CHECK_RC(mars_task_init_sized(NULL, sizeof t), MARS_EINVAL);
    CHECK_RC(mars_stn_config_init_sized(&cfg, sizeof(size_t) - 1), MARS_EINVAL);
    CHECK_RC(mars_stn_callbacks_init_sized(NULL, sizeof cb), MARS_EINVAL);
    CHECK_RC(mars_xlog_config_init_sized(NULL, sizeof x), MARS_EINVAL);
    unsigned char lbuf[sizeof(mars_longlink_config) + 16];
    size_t lolder = offsetof(mars_longlink_config, identify_check);
    memset(lbuf, 0xAB, sizeof lbuf);
    CHECK_RC(mars_longlink_config_init_sized((mars_longlink_config *)lbuf, lolder), MARS_OK);
    mars_longlink_config lc;
    memcpy(&lc, lbuf, lolder);
    CHECK(lc.struct_size == lolder && lc.name == NULL && lc.heartbeat_interval_ms == 0);
    CHECK(lbuf[lolder] == 0xAB && lbuf[sizeof lbuf - 1] == 0xAB);
    CHECK_RC(mars_longlink_config_init_sized(&lc, sizeof lc), MARS_OK);
    CHECK(lc.struct_size == sizeof lc && lc.keep_alive == 1 && lc.identify_check == 1);
    mars_proxy_info px;
    memset(&px, 0xAB, sizeof px);
    CHECK_RC(mars_proxy_info_init_sized(&px, sizeof px), MARS_OK);
    CHECK(px.struct_size == sizeof px && px.kind == MARS_PROXY_NONE);
    CHECK_RC(mars_longlink_config_init_sized(NULL, sizeof lc), MARS_EINVAL);
    CHECK_RC(mars_proxy_info_init_sized(&px, sizeof(size_t) - 1), MARS_EINVAL);
}

int main(int argc, char **argv) { return run_tests(argc > 1 ? argv[1] : NULL, NULL); }
