//go:build !mars_xlog_only

package main

import (
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/marsd/marsdtest"
)

const testClientVersion = 200

// startMarsd runs the reference server in-process on loopback.
func startMarsd(tb testing.TB) (host string, port uint16) {
	tb.Helper()
	srv := marsdtest.Start(tb, marsd.Config{ClientVersion: testClientVersion})
	h, p, err := net.SplitHostPort(srv.LongAddr())
	if err != nil {
		tb.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return h, uint16(n)
}

// waitFor polls a counter the C callbacks bump; C cannot signal a Go
// channel, so this is the one place a test polls (with a deadline).
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestExportsRoundTripAndHandleTableEmptiesOnDestroy(t *testing.T) {
	host, port := startMarsd(t)
	h, rc := testCreateSTN(host, port, testClientVersion)
	if rc != testOK {
		t.Fatalf("create rc = %d", rc)
	}
	if stns.len() != 1 {
		t.Fatalf("%d engines in the handle table, want 1", stns.len())
	}
	ends0, _, req0 := testCounters()
	for range 3 {
		if rc := testStartTask(h, 100); rc != testOK {
			t.Fatalf("start rc = %d", rc)
		}
	}
	waitFor(t, "3 task ends", func() bool { e, _, _ := testCounters(); return e >= ends0+3 })
	if _, _, req := testCounters(); req < req0+3 {
		t.Fatalf("req2buf ran %d times, want >= 3", req-req0)
	}
	if rc := testDestroySTN(h); rc != testOK {
		t.Fatalf("destroy rc = %d", rc)
	}
	if rc := testDestroySTN(h); rc != testBadHandle {
		t.Fatalf("second destroy rc = %d, want MARS_EBADHANDLE", rc)
	}
	if rc := testStartTask(h, 100); rc != testBadHandle {
		t.Fatalf("start on a destroyed engine rc = %d, want MARS_EBADHANDLE", rc)
	}
	if stns.len() != 0 {
		t.Fatalf("%d engines left in the handle table", stns.len())
	}
}

func TestCheckUnpackBounds(t *testing.T) {
	cases := []struct {
		in           int
		off, n, used uint64
		ok           bool
	}{
		{40, 20, 20, 40, true},
		{40, 20, 0, 20, true},
		{40, 20, 20, 0, false},            // consumed nothing: would spin
		{40, 20, 20, 41, false},           // consumed more than given
		{40, 21, 20, 40, false},           // body past the packet
		{40, 1 << 62, 1 << 62, 40, false}, // overflow attempt
		{40, 0, ^uint64(0), 40, false},    // length overflow
	}
	for _, c := range cases {
		if err := checkUnpack(c.in, c.off, c.n, c.used); (err == nil) != c.ok {
			t.Errorf("checkUnpack(%d, %d, %d, %d) = %v, want ok=%v", c.in, c.off, c.n, c.used, err, c.ok)
		}
	}
}

// FuzzCheckUnpack: whatever a host codec claims, an accepted claim never
// lets the library slice outside the input.
func FuzzCheckUnpack(f *testing.F) {
	f.Add(40, uint64(20), uint64(20), uint64(40))
	f.Add(0, uint64(0), uint64(0), uint64(0))
	f.Add(5, ^uint64(0), uint64(2), uint64(5))
	f.Fuzz(func(t *testing.T, in int, off, n, used uint64) {
		if in < 0 {
			return
		}
		if checkUnpack(in, off, n, used) != nil {
			return
		}
		if used == 0 || used > uint64(in) || off+n > used || off+n < off {
			t.Fatalf("accepted in=%d off=%d n=%d used=%d", in, off, n, used)
		}
	})
}

// goCallbacks is the Go-API side of the round-trip comparison: the same
// work as the C test callbacks, in Go.
type goCallbacks struct {
	engine.NopCallbacks
	ends atomic.Int64
	done chan struct{}
}

func (g *goCallbacks) Req2Buf(_ engine.TaskRef, _ engine.ChannelSelect, _ string, dst []byte) ([]byte, int, bool) {
	return append(dst[:0], "bench"...), 0, true
}

func (g *goCallbacks) OnTaskEnd(engine.TaskRef, engine.ErrType, int, *engine.TaskProfile) int {
	g.ends.Add(1)
	g.done <- struct{}{}
	return 0
}

// cWithSignal runs the C test callbacks and signals a channel at task end.
type cWithSignal struct {
	*hostCallbacks
	done chan struct{}
}

func (c cWithSignal) OnTaskEnd(t engine.TaskRef, et engine.ErrType, code int, p *engine.TaskProfile) int {
	r := c.hostCallbacks.OnTaskEnd(t, et, code, p)
	c.done <- struct{}{}
	return r
}

func newBenchEngine(b *testing.B, cb engine.Callbacks) *engine.Engine {
	host, port := startMarsd(b)
	e, err := engine.New(engine.Config{ClientVersion: testClientVersion}, cb)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Close() })
	e.SetLonglinkSvrAddr(host, []int{int(port)}, "")
	return e
}

// BenchmarkTaskRoundTrip compares one task, start to OnTaskEnd against
// marsd in-process, with Go callbacks (the Go API) and with the C callbacks
// behind capi's trampolines. The C-program figure (bench_capi) adds the
// C->Go call of mars_stn_start_task.
func BenchmarkTaskRoundTrip(b *testing.B) {
	b.Logf("one long-link task, sequential, against marsd on loopback")
	run := func(b *testing.B, e *engine.Engine, done chan struct{}) {
		task := engine.NewTask(0, 100)
		task.ChannelSelect = engine.ChannelLong
		for b.Loop() {
			task.TaskID = e.GenTaskID()
			if err := e.StartTask(task); err != nil {
				b.Fatal(err)
			}
			<-done
		}
	}
	b.Run("GoAPI", func(b *testing.B) {
		g := &goCallbacks{done: make(chan struct{}, 1)}
		run(b, newBenchEngine(b, g), g.done)
	})
	b.Run("CCallbacks", func(b *testing.B) {
		c := cWithSignal{testCallbacks(), make(chan struct{}, 1)}
		run(b, newBenchEngine(b, c), c.done)
	})
}

// BenchmarkCallbackGoToC is the cost of one callback into C: a push with a
// 64-byte body, and a req2buf that appends 5 bytes.
func BenchmarkCallbackGoToC(b *testing.B) {
	h := testCallbacks()
	body := make([]byte, 64)
	b.Run("OnPush", func(b *testing.B) {
		for b.Loop() {
			h.OnPush(engine.DefaultChannelName, 10001, 0, body)
		}
	})
	b.Run("Req2Buf", func(b *testing.B) {
		ref := engine.TaskRef{TaskID: 1, CmdID: 100, UserID: "u"}
		dst := make([]byte, 0, 64)
		for b.Loop() {
			out, _, ok := h.Req2Buf(ref, engine.ChannelLong, "host", dst)
			if !ok || len(out) != 5 {
				b.Fatal("req2buf failed")
			}
		}
	})
}

// BenchmarkExportStartTask is the Go side of mars_stn_start_task (handle
// lookup, task conversion, post), without the C->Go transition.
func BenchmarkExportStartTask(b *testing.B) {
	host, port := startMarsd(b)
	h, rc := testCreateSTN(host, port, testClientVersion)
	if rc != testOK {
		b.Fatalf("create rc = %d", rc)
	}
	b.Cleanup(func() { testDestroySTN(h) })
	for b.Loop() {
		if rc := testStartTask(h, 10004); rc != testOK { // silent: never answered
			b.Fatalf("start rc = %d", rc)
		}
	}
	b.StopTimer()
}

func BenchmarkExportTrivial(b *testing.B) {
	for b.Loop() {
		if testVersionNumber() != versionNumber {
			b.Fatal("wrong version")
		}
	}
}

// TestConcurrentCreateStartDestroy runs the exports from many goroutines at
// once under the race detector: every call on a live or dead handle gives
// OK, CLOSED or BADHANDLE, and the handle table ends empty.
func TestConcurrentCreateStartDestroy(t *testing.T) {
	host, port := startMarsd(t)
	const workers, rounds = 4, 10
	errs := make(chan string, workers*rounds*4)
	done := make(chan struct{})
	var strays sync.WaitGroup
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for r := range rounds {
				h, rc := testCreateSTN(host, port, testClientVersion)
				if rc != testOK {
					errs <- "create failed"
					return
				}
				if rc := testStartTask(h, 10004); rc != testOK {
					errs <- "start on a live engine failed"
				}
				if (w+r)%2 == 0 {
					testDestroySTN(h)
					if rc := testStartTask(h, 10004); rc != testBadHandle {
						errs <- "start on a destroyed engine did not give MARS_EBADHANDLE"
					}
				} else {
					strays.Go(func() { testStartTask(h, 10004) }) // races the destroy: any code, no crash
					testDestroySTN(h)
				}
			}
		}()
	}
	for range workers {
		<-done
	}
	strays.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := stns.len(); n != 0 {
		t.Fatalf("%d engines left in the handle table", n)
	}
}
