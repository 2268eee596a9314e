//go:build !mars_xlog_only

package main

// C side of netcheck_test.go (a _test.go file cannot use cgo); the linker
// drops it from the library, since no export reaches it.

/*
#include <stdlib.h>
#include <string.h>
#include "mars.h"

static long test_nc_asked, test_nc_reports, test_nc_len_ok;
static char test_nc_json[4096];

static void test_nc_hosts(void *ud, mars_str_list *out) {
    test_nc_asked++;
    mars_str_list_add(out, "a.example");
    mars_str_list_add(out, "b.example");
}

static void test_nc_result(void *ud, const char *json, size_t len) {
    test_nc_reports++;
    test_nc_len_ok = json != NULL && strlen(json) == len;
    strncpy(test_nc_json, json, sizeof test_nc_json - 1);
}

static void test_nc_fill(mars_stn_callbacks *cb) {
    mars_stn_callbacks_init(cb);
    cb->request_netcheck_hosts = test_nc_hosts;
    cb->on_netcheck_result = test_nc_result;
}

static const char *test_nc_last_json(void) { return test_nc_json; }

static long test_nc_state(int which) {
    switch (which) {
    case 0: return test_nc_asked;
    case 1: return test_nc_reports;
    default: return test_nc_len_ok;
    }
}
*/
import "C"

import (
	"unsafe"

	"github.com/mars-go/mars/engine"
)

// testNetCheckCallbacks returns host callbacks with the C net-check
// callbacks set (with set false: both NULL).
func testNetCheckCallbacks(set bool) *hostCallbacks {
	h := &hostCallbacks{}
	if set {
		C.test_nc_fill(&h.tab)
	} else {
		C.mars_stn_callbacks_init(&h.tab)
	}
	return h
}

// testNetCheckSeen is what the C callbacks saw: calls of each, whether the
// last JSON's length matched, and the JSON.
func testNetCheckSeen() (asked, reports int64, lenOK bool, json string) {
	return int64(C.test_nc_state(0)), int64(C.test_nc_state(1)), C.test_nc_state(2) != 0,
		C.GoString(C.test_nc_last_json())
}

// testNetCheckConfig converts a C config carrying the net-check fields.
func testNetCheckConfig(off bool, cgi string, window, bad, good int32) (engine.Config, error) {
	var c C.mars_stn_config
	c.struct_size = C.sizeof_mars_stn_config
	marsgo_stn_config_init(&c)
	if off {
		c.netcheck_off = 1
	}
	cs := C.CString(cgi)
	defer C.free(unsafe.Pointer(cs))
	c.netcheck_cgi = cs
	c.netcheck_window, c.netcheck_bad_below, c.netcheck_good_above = C.int32_t(window), C.int32_t(bad), C.int32_t(good)
	return engineConfig(&c)
}

// testNetCheckDefaults is what mars_stn_config_init writes.
func testNetCheckDefaults() (window, bad, good int32) {
	var c C.mars_stn_config
	c.struct_size = C.sizeof_mars_stn_config
	marsgo_stn_config_init(&c)
	return int32(c.netcheck_window), int32(c.netcheck_bad_below), int32(c.netcheck_good_above)
}
