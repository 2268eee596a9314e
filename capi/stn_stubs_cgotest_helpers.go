//go:build mars_xlog_only

package main

// A helper for stn_stubs_xlogonly_test.go (_test.go files cannot use cgo):
// every public STN function of the xlog-only build, called through shim.c.

/*
#include <stddef.h>
#include "mars.h"

// stub_misfit returns the first STN call that answers other than the
// xlog-only build promises (mars.h: MARS_EUNSUPPORTED), or NULL.
static const char *stub_misfit(void) {
    mars_stn *s = (mars_stn *)(uintptr_t)1;
    uint32_t u = 0;
    int i = 0;
    int64_t ms = 0;
    char buf[8];
    char *text = (char *)buf;
    size_t len = 1;
    uint16_t port = 80;
    const char *ips[] = {"10.0.0.1"};
    mars_stn_config cfg;
    mars_stn_callbacks cb;
    mars_task task;
    mars_longlink_config link;
    mars_proxy_info proxy;
    mars_network_quality q = {sizeof q};
    mars_stn_callbacks_init(&cb);
    mars_task_init(&task);
    mars_longlink_config_init(&link);
    mars_proxy_info_init(&proxy);
#define WANT(call, rc) if ((call) != (rc)) return #call
    WANT(mars_stn_config_init(&cfg), MARS_EUNSUPPORTED);
    WANT(mars_stn_config_init(NULL), MARS_EINVAL);
    mars_stn *made = s;
    WANT(mars_stn_create(&cfg, &cb, &made), MARS_EUNSUPPORTED);
    if (made != NULL) return "mars_stn_create left *out set";
    WANT(mars_stn_destroy(NULL), MARS_OK);
    WANT(mars_stn_destroy(s), MARS_EBADHANDLE);
    WANT(mars_stn_errmsg(s, buf, sizeof buf), MARS_EBADHANDLE);
    WANT(mars_stn_errmsg(NULL, buf, sizeof buf), MARS_OK);
    i = 1;
    WANT(mars_proxy_is_available(&proxy, "example.com", 80, 100, &i, &i), MARS_EUNSUPPORTED);
    if (i != -1) return "mars_proxy_is_available left err_code";
    size_t tiny = 1; // a struct_size no struct has: unreadable, still unsupported
    WANT(mars_proxy_is_available((mars_proxy_info *)&tiny, "h", 80, 100, NULL, NULL), MARS_EUNSUPPORTED);
    WANT(mars_stn_create((mars_stn_config *)&tiny, &cb, &made), MARS_EUNSUPPORTED);
    WANT(mars_stn_start_task(s, (mars_task *)&tiny, &u), MARS_EUNSUPPORTED);
    WANT(mars_stn_start_task(s, &task, &u), MARS_EUNSUPPORTED);
    WANT(mars_stn_stop_task(s, 1), MARS_EUNSUPPORTED);
    WANT(mars_stn_has_task(s, 1, &i), MARS_EUNSUPPORTED);
    WANT(mars_stn_redo_tasks(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_touch_tasks(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_clear_tasks(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_reset(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_set_client_version(s, 1), MARS_EUNSUPPORTED);
    WANT(mars_stn_reset_and_init_encoder_version(s, 1), MARS_EUNSUPPORTED);
    WANT(mars_stn_gen_sequence_id(&u), MARS_EUNSUPPORTED);
    WANT(mars_stn_makesure_longlink_connected(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_longlink_is_connected(s, &i), MARS_EUNSUPPORTED);
    WANT(mars_stn_set_longlink_svr_addr(s, "h", &port, 1, NULL), MARS_EUNSUPPORTED);
    WANT(mars_stn_set_shortlink_svr_addr(s, 80, NULL), MARS_EUNSUPPORTED);
    WANT(mars_stn_set_debug_ip(s, "h", "10.0.0.1"), MARS_EUNSUPPORTED);
    WANT(mars_stn_set_backup_ips(s, "h", ips, 1), MARS_EUNSUPPORTED);
    WANT(mars_stn_gen_task_id(s, &u), MARS_EUNSUPPORTED);
    WANT(mars_stn_on_foreground(s, 1), MARS_EUNSUPPORTED);
    WANT(mars_stn_set_account(s, "u"), MARS_EUNSUPPORTED);
    WANT(mars_stn_on_network_change(s, 1, "l"), MARS_EUNSUPPORTED);
    WANT(mars_stn_set_signalling_strategy(s, 1, 1), MARS_EUNSUPPORTED);
    WANT(mars_stn_poll(s, 0, &i), MARS_EUNSUPPORTED);
    mars_task_end ends[1];
    void *block = buf;
    len = 1;
    WANT(mars_stn_poll_task_ends(s, 0, ends, 1, sizeof ends[0], &len, &block), MARS_EUNSUPPORTED);
    if (len != 0 || block != NULL) return "mars_stn_poll_task_ends left its outputs";
    WANT(mars_stn_keep_signalling(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_disable_longlink(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_set_heartbeat_mode(s, 1), MARS_EUNSUPPORTED);
    WANT(mars_stn_trig_noop(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_heartbeat_interval(s, &ms), MARS_EUNSUPPORTED);
    WANT(mars_stn_network_quality(s, &q), MARS_EUNSUPPORTED);
    WANT(mars_stn_stop_signalling(s), MARS_EUNSUPPORTED);
    WANT(mars_stn_create_longlink(s, &link), MARS_EUNSUPPORTED);
    WANT(mars_stn_create_longlink(s, (mars_longlink_config *)&tiny), MARS_EUNSUPPORTED);
    WANT(mars_stn_destroy_longlink(s, "l"), MARS_EUNSUPPORTED);
    WANT(mars_stn_longlinks(s, &text, &len), MARS_EUNSUPPORTED);
    if (text != NULL || len != 0) return "mars_stn_longlinks left its outputs";
    WANT(mars_stn_main_longlink(s, buf, sizeof buf), MARS_EUNSUPPORTED);
    WANT(mars_stn_mark_main_longlink(s, "l"), MARS_EUNSUPPORTED);
    WANT(mars_stn_named_longlink_is_connected(s, "l", &i), MARS_EUNSUPPORTED);
    WANT(mars_stn_makesure_named_longlink_connected(s, "l"), MARS_EUNSUPPORTED);
    text = (char *)buf, len = 1;
    WANT(mars_sdt_check("{}", 1, &text, &len), MARS_EUNSUPPORTED);
    if (text != NULL || len != 0) return "mars_sdt_check left its outputs";
    WANT(mars_has_feature("stn"), 0);
    WANT(mars_has_feature("xlog"), 1);
#undef WANT
    return NULL;
}
*/
import "C"

// testStubMisfit names the first STN call that breaks the xlog-only
// build's promise, or is "".
func testStubMisfit() string { return C.GoString(C.stub_misfit()) }
