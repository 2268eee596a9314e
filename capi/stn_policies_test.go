//go:build !mars_xlog_only

package main

import (
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
)

// The optional engine extensions reach the C table, and a NULL entry gives
// the engine's default (nobody logged in; no quality report).
func TestOptionalCallbacksReachC(t *testing.T) {
	if testCallbacks().IsLogoned() {
		t.Error("NULL is_logoned answered true; the default is nobody logged in")
	}
	if !testExtensionCallbacks(true).IsLogoned() || testExtensionCallbacks(false).IsLogoned() {
		t.Error("is_logoned's answer did not reach the engine")
	}

	calls0, _, _ := testLastQuality()
	testCallbacks().OnNetworkQualityChange(engine.NetworkQuality{Level: engine.QualityWeak})
	if calls, _, _ := testLastQuality(); calls != calls0 {
		t.Fatal("a NULL on_network_quality_change was called")
	}
	want := engine.NetworkQuality{Level: engine.QualityGood, RTT: 42 * time.Millisecond, Throughput: 123456,
		WeakMarked: true, DynamicTimeout: engine.DynamicExcellent}
	testExtensionCallbacks(false).OnNetworkQualityChange(want)
	calls, got, size := testLastQuality()
	if calls != calls0+1 || got != want {
		t.Fatalf("C saw %d reports, the last %+v; want 1 more with %+v", calls-calls0, got, want)
	}
	if size == 0 {
		t.Fatal("the quality's struct_size is 0")
	}
}

func TestProfileWeakNetwork(t *testing.T) {
	if testProfileWeakNetwork(true) != 1 || testProfileWeakNetwork(false) != 0 {
		t.Fatal("TaskProfile.WeakNetwork does not reach mars_task_profile.weak_network")
	}
}

// The queries wait for the engine's owner and report its view: the default
// fixed heartbeat, and a quality estimate that knows loopback after a task.
func TestHeartbeatIntervalAndNetworkQualityExports(t *testing.T) {
	host, port := startMarsd(t)
	h, rc := testCreateSTN(host, port, testClientVersion)
	if rc != testOK {
		t.Fatalf("create rc = %d", rc)
	}
	defer testDestroySTN(h)
	if ms, rc := testHeartbeatInterval(h); rc != testOK || ms != engine.DefaultHeartbeatInterval.Milliseconds() {
		t.Fatalf("heartbeat interval = %d ms (rc %d), want the default %v", ms, rc, engine.DefaultHeartbeatInterval)
	}
	level, rtt, size, rc := testNetworkQuality(h)
	if rc != testOK || level != int32(engine.QualityUnknown) || rtt != 0 || size == 0 {
		t.Fatalf("before any traffic: level %d rtt %d size %d rc %d; want unknown, 0, set, OK", level, rtt, size, rc)
	}

	ends0, _, _ := testCounters()
	if rc := testStartTask(h, 100); rc != testOK {
		t.Fatalf("start rc = %d", rc)
	}
	waitFor(t, "the task's end", func() bool { e, _, _ := testCounters(); return e > ends0 })
	level, rtt, _, rc = testNetworkQuality(h)
	if rc != testOK || (level != int32(engine.QualityOK) && level != int32(engine.QualityGood)) || rtt < 0 || rtt > 2000 {
		t.Fatalf("after a loopback task: level %d rtt %d ms rc %d; want OK or good, under 2 s", level, rtt, rc)
	}

	if _, rc := testHeartbeatInterval(h + 1); rc != testBadHandle {
		t.Errorf("forged handle: rc %d, want MARS_EBADHANDLE", rc)
	}
	if _, _, _, rc := testNetworkQuality(0); rc != testBadHandle {
		t.Errorf("NULL handle: rc %d, want MARS_EBADHANDLE", rc)
	}
}

// BenchmarkNetworkQualityExport is one synchronous query through the
// export: the handle check, a round trip to the engine's owner and the copy.
func BenchmarkNetworkQualityExport(b *testing.B) {
	host, port := startMarsd(b)
	h, rc := testCreateSTN(host, port, testClientVersion)
	if rc != testOK {
		b.Fatalf("create rc = %d", rc)
	}
	defer testDestroySTN(h)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, rc := testNetworkQuality(h); rc != testOK {
			b.Fatalf("rc = %d", rc)
		}
	}
}
