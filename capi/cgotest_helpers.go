//go:build !mars_xlog_only

package main

// Helpers for capi's own Go tests and benchmarks: _test.go files cannot use
// cgo, so the C side of the tests (a callback table of C functions) lives
// here, in an ordinary file, as tailscale's tsnetctest does. The linker drops
// all of it from the library, since no export reaches it.

/*
#include <stdlib.h>
#include <string.h>
#include "mars.h"

static long test_task_ends, test_pushes, test_req2bufs;

static int test_req2buf(void *ud, const mars_task_ref *t, int ch, const char *host, mars_buf *out,
                        int *err) {
    __atomic_add_fetch(&test_req2bufs, 1, __ATOMIC_SEQ_CST);
    return mars_buf_append(out, "bench", 5) == MARS_OK;
}

static int test_buf2resp(void *ud, const mars_task_ref *t, int ch, const uint8_t *b, size_t n,
                         int *err) {
    *err = 0;
    return n == 5 && memcmp(b, "bench", 5) == 0 ? MARS_RESP_OK : MARS_RESP_TASK_END;
}

static int test_on_task_end(void *ud, const mars_task_ref *t, int et, int ec,
                            const mars_task_profile *p) {
    __atomic_add_fetch(&test_task_ends, 1, __ATOMIC_SEQ_CST);
    return 0;
}

static void test_on_push(void *ud, const char *ch, uint32_t cmd, uint32_t id, const uint8_t *b,
                         size_t n) {
    __atomic_add_fetch(&test_pushes, 1, __ATOMIC_SEQ_CST);
}

static void test_fill_callbacks(mars_stn_callbacks *cb) {
    mars_stn_callbacks_init(cb);
    cb->req2buf = test_req2buf;
    cb->buf2resp = test_buf2resp;
    cb->on_task_end = test_on_task_end;
    cb->on_push = test_on_push;
}

// The optional callbacks: is_logoned answers test_logoned; quality
// reports are kept whole. Called on the test's own goroutine only.
static int test_logoned;
static long test_quality_calls;
static mars_network_quality test_quality;

static int test_is_logoned(void *ud) { return test_logoned; }

static void test_on_quality(void *ud, const mars_network_quality *q) {
    test_quality = *q;
    test_quality_calls++;
}

static void test_fill_extensions(mars_stn_callbacks *cb, int logoned) {
    test_fill_callbacks(cb);
    test_logoned = logoned;
    cb->is_logoned = test_is_logoned;
    cb->on_network_quality_change = test_on_quality;
}

static long test_last_quality(mars_network_quality *out) {
    *out = test_quality;
    return test_quality_calls;
}

static long test_counter(int which) {
    switch (which) {
    case 0: return __atomic_load_n(&test_task_ends, __ATOMIC_SEQ_CST);
    case 1: return __atomic_load_n(&test_pushes, __ATOMIC_SEQ_CST);
    default: return __atomic_load_n(&test_req2bufs, __ATOMIC_SEQ_CST);
    }
}
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"

	"github.com/mars-go/mars/engine"
)

// testCallbacks returns host callbacks backed by the C functions above.
func testCallbacks() *hostCallbacks {
	h := &hostCallbacks{}
	C.test_fill_callbacks(&h.tab)
	return h
}

// testCounters are how often the C callbacks ran.
func testCounters() (taskEnds, pushes, req2bufs int64) {
	return int64(C.test_counter(0)), int64(C.test_counter(1)), int64(C.test_counter(2))
}

// testCreateSTN calls the create export as the shim would, with the C test
// callbacks and a long link to host:port.
func testCreateSTN(host string, port uint16, version uint32) (uintptr, int) {
	var cfg C.mars_stn_config
	cfg.struct_size = C.sizeof_mars_stn_config
	marsgo_stn_config_init(&cfg)
	ch := C.CString(host)
	defer C.free(unsafe.Pointer(ch))
	p := (*C.uint16_t)(C.malloc(2))
	defer C.free(unsafe.Pointer(p))
	*p = C.uint16_t(port)
	cfg.client_version = C.uint32_t(version)
	cfg.longlink_host, cfg.longlink_ports, cfg.longlink_ports_len = ch, p, 1
	var cb C.mars_stn_callbacks
	C.test_fill_callbacks(&cb)
	var id C.uintptr_t
	rc := marsgo_stn_create(&cfg, &cb, nil, &id)
	return uintptr(id), int(rc)
}

// testStartTask calls the start export as the shim would: a long-link task
// with cmdid and mars_task_init's defaults, except that the anti-avalanche
// limits stay off (limit_flow, limit_frequency 0) so that benchmarks
// starting thousands of identical tasks are not throttled.
func testStartTask(h uintptr, cmdID uint32) int {
	var t C.mars_task
	t.struct_size = C.sizeof_mars_task
	t.cmdid = C.uint32_t(cmdID)
	t.channel_select = C.MARS_CHANNEL_LONG
	t.priority, t.retry_count = 3, -1
	t.server_process_cost_ms, t.total_timeout_ms = -1, -1
	return int(marsgo_stn_start_task(C.uintptr_t(h), &t, nil))
}

// testDestroySTN calls the destroy export.
func testDestroySTN(h uintptr) int { return int(marsgo_stn_destroy(C.uintptr_t(h))) }

// testVersionNumber calls the trivial export from Go.
func testVersionNumber() int { return int(marsgo_version_number()) }

// Result codes for the tests.
const (
	testOK        = int(C.MARS_OK)
	testBadHandle = int(C.MARS_EBADHANDLE)
	testInternal  = int(C.MARS_EINTERNAL)
)

// cInt32 lets fence_test.go use the fence without cgo types.
type cInt32 = C.int

// testTaskFields builds a C task from numbers only (every pointer NULL, the
// list lengths as given) and converts it, for FuzzTaskConversion.
func testTaskFields(chsel, prio, retry int32, spc, total int64, nShort, nLong, nHdr uint64) error {
	var t C.mars_task
	t.struct_size = C.sizeof_mars_task
	t.channel_select, t.priority, t.retry_count = C.int32_t(chsel), C.int32_t(prio), C.int32_t(retry)
	t.server_process_cost_ms, t.total_timeout_ms = C.int64_t(spc), C.int64_t(total)
	t.shortlink_hosts_len, t.longlink_hosts_len, t.headers_len = C.size_t(nShort), C.size_t(nLong), C.size_t(nHdr)
	_, err := engineTask(&t)
	return err
}

// testConfigFields builds a C config with the given numbers and converts it.
func testConfigFields(network int32, durMs []int64, minRate int32, nPorts uint64) error {
	var c C.mars_stn_config
	c.struct_size = C.sizeof_mars_stn_config
	c.network_type, c.min_rate, c.longlink_ports_len = C.int32_t(network), C.int32_t(minRate), C.size_t(nPorts)
	fields := []*C.int64_t{&c.heartbeat_interval_ms, &c.noop_timeout_ms, &c.connect_timeout_ms,
		&c.new_dns_timeout_ms, &c.base_first_packet_timeout_ms, &c.task_delay_ms}
	for i, p := range fields {
		if i < len(durMs) {
			*p = C.int64_t(durMs[i])
		}
	}
	if _, err := engineConfig(&c); err != nil {
		return err
	}
	_, err := ports(c.longlink_ports, c.longlink_ports_len)
	return err
}

// testExtensionCallbacks returns host callbacks whose is_logoned answers
// logoned and whose on_network_quality_change keeps what it gets.
func testExtensionCallbacks(logoned bool) *hostCallbacks {
	h := &hostCallbacks{}
	C.test_fill_extensions(&h.tab, cInt(logoned))
	return h
}

// testLastQuality is the last estimate on_network_quality_change got, and
// how many reports came.
func testLastQuality() (calls int64, q engine.NetworkQuality, structSize uint64) {
	var c C.mars_network_quality
	calls = int64(C.test_last_quality(&c))
	q = engine.NetworkQuality{Level: engine.NetworkQualityLevel(c.level),
		DynamicTimeout: engine.DynamicTimeoutStatus(c.dynamic_timeout),
		RTT:            time.Duration(c.rtt_ms) * time.Millisecond, Throughput: int64(c.throughput),
		WeakMarked: c.weak_marked != 0}
	return calls, q, uint64(c.struct_size)
}

// testHeartbeatInterval calls the heartbeat-interval export.
func testHeartbeatInterval(h uintptr) (int64, int) {
	var ms C.int64_t
	rc := marsgo_stn_heartbeat_interval(C.uintptr_t(h), &ms)
	return int64(ms), int(rc)
}

// testNetworkQuality calls the network-quality export with a full struct.
func testNetworkQuality(h uintptr) (level int32, rttMs int64, structSize uint64, rc int) {
	var q C.mars_network_quality
	q.struct_size = C.sizeof_mars_network_quality
	rc = int(marsgo_stn_network_quality(C.uintptr_t(h), &q))
	return int32(q.level), int64(q.rtt_ms), uint64(q.struct_size), rc
}

// testProfileWeakNetwork is the C profile's weak_network for a Go profile
// with WeakNetwork set to weak.
func testProfileWeakNetwork(weak bool) int32 {
	var pin runtime.Pinner
	defer pin.Unpin()
	return int32(cProfile(&pin, &engine.TaskProfile{WeakNetwork: weak}).weak_network)
}

// testNilProfileResidue fills poisoned C memory with a nil profile (strings
// NULL) and counts the bytes left non-zero apart from struct_size: the
// garbage writeTaskEnds would hand the host in its malloc'd block.
func testNilProfileResidue() int {
	const size = C.sizeof_mars_task_profile
	c := (*C.mars_task_profile)(C.malloc(size))
	defer C.free(unsafe.Pointer(c))
	C.memset(unsafe.Pointer(c), 0xAA, size)
	fillProfile(c, nil, func(string) *C.char { return nil })
	c.struct_size = 0
	residue := 0
	for _, b := range unsafe.Slice((*byte)(unsafe.Pointer(c)), size) {
		if b != 0 {
			residue++
		}
	}
	return residue
}
