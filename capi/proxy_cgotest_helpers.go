//go:build !mars_xlog_only

package main

// C callbacks for proxy_dns_test.go (see cgotest_helpers.go for why they
// live in an ordinary file).

/*
#include <stdlib.h>
#include <string.h>
#include "mars.h"

static int test_proxy_ret, test_proxy_kind, test_proxy_overlong;
static char test_proxy_host[256];
static int test_proxy_longlink;

static int test_get_proxy_info(void *ud, const char *host, int longlink, mars_proxy_info *out) {
    strncpy(test_proxy_host, host, sizeof test_proxy_host - 1);
    test_proxy_longlink = longlink;
    out->kind = test_proxy_kind;
    if (test_proxy_overlong) {
        memset(out->addr, 'a', sizeof out->addr); // no NUL
    } else {
        strcpy(out->addr, "127.0.0.1:1080");
        strcpy(out->user, "u");
        strcpy(out->password, "p");
    }
    return test_proxy_ret;
}

static void test_fill_proxy(mars_stn_callbacks *cb, int ret, int kind, int overlong) {
    mars_stn_callbacks_init(cb);
    test_proxy_ret = ret;
    test_proxy_kind = kind;
    test_proxy_overlong = overlong;
    cb->get_proxy_info = test_get_proxy_info;
}

static char test_dns_host[64], test_dns_ip[64], test_dns_error[128];
static mars_dns_profile test_dns;
static long test_dns_calls;

static void test_report_dns(void *ud, const mars_dns_profile *p) {
    test_dns = *p;
    strncpy(test_dns_host, p->host, sizeof test_dns_host - 1);
    strncpy(test_dns_error, p->error, sizeof test_dns_error - 1);
    test_dns_ip[0] = 0;
    if (p->ip_count > 0) {
        strncpy(test_dns_ip, p->ips[p->ip_count - 1], sizeof test_dns_ip - 1);
    }
    test_dns_calls++;
}

static const char *test_proxy_host_get(void) { return test_proxy_host; }
static int test_proxy_longlink_get(void) { return test_proxy_longlink; }
static const mars_dns_profile *test_dns_get(void) { return &test_dns; }
static long test_dns_calls_get(void) { return test_dns_calls; }
static const char *test_dns_text(int which) {
    return which == 0 ? test_dns_host : which == 1 ? test_dns_ip : test_dns_error;
}

static void test_fill_dns(mars_stn_callbacks *cb) {
    mars_stn_callbacks_init(cb);
    cb->report_dns_profile = test_report_dns;
}
*/
import "C"

import "unsafe"

// testProxyCallbacks is a table whose get_proxy_info answers ret with kind.
func testProxyCallbacks(ret, kind int, overlong bool) *hostCallbacks {
	h := &hostCallbacks{}
	C.test_fill_proxy(&h.tab, C.int(ret), C.int(kind), cInt(overlong))
	return h
}

// testProxyAsked is what get_proxy_info was last asked.
func testProxyAsked() (host string, longlink bool) {
	return C.GoString(C.test_proxy_host_get()), C.test_proxy_longlink_get() != 0
}

// testDnsCallbacks is a table with report_dns_profile only.
func testDnsCallbacks() *hostCallbacks {
	h := &hostCallbacks{}
	C.test_fill_dns(&h.tab)
	return h
}

// testDnsSeen is the last profile report_dns_profile saw.
type testDnsSeen struct {
	calls                        int64
	host, lastIP, errText        string
	longlink, source, ipCount    int
	startMs, costMs              int64
	errType, errCode, structSize int
}

func testLastDns() testDnsSeen {
	d := *C.test_dns_get()
	return testDnsSeen{calls: int64(C.test_dns_calls_get()), host: C.GoString(C.test_dns_text(0)),
		lastIP: C.GoString(C.test_dns_text(1)), errText: C.GoString(C.test_dns_text(2)),
		longlink: int(d.longlink), source: int(d.source), ipCount: int(d.ip_count), startMs: int64(d.start_ms),
		costMs: int64(d.cost_ms), errType: int(d.err_type), errCode: int(d.err_code), structSize: int(d.struct_size)}
}

// testProxyIsAvailable calls the export as the shim would.
func testProxyIsAvailable(kind int, addr, host string, port, timeoutMs int, nilProxy bool) (rc, available, code int) {
	var p C.mars_proxy_info
	C.mars_proxy_info_init(&p)
	p.kind = C.int32_t(kind)
	ca := C.CString(addr)
	defer C.free(unsafe.Pointer(ca))
	C.strncpy(&p.addr[0], ca, C.size_t(len(p.addr)-1))
	ch := C.CString(host)
	defer C.free(unsafe.Pointer(ch))
	var av, ec C.int
	pp := &p
	if nilProxy {
		pp = nil
	}
	r := marsgo_proxy_is_available(pp, ch, C.int(port), C.int(timeoutMs), &av, &ec)
	return int(r), int(av), int(ec)
}

// mars.h's numbers for the tests, which cannot use cgo.
const (
	cProxyNone        = int(C.MARS_PROXY_NONE)
	cProxyHTTP        = int(C.MARS_PROXY_HTTP)
	cProxySOCKS5      = int(C.MARS_PROXY_SOCKS5)
	cSizeofDnsProfile = int(C.sizeof_mars_dns_profile)
)
