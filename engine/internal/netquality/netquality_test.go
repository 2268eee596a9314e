package netquality

import (
	"testing"
	"time"
)

// marsParams are the engine's numbers, as it passes them.
var marsParams = Params{
	Alpha: 0.25, WeakRTT: 2 * time.Second, GoodRTT: 300 * time.Millisecond, WeakThroughput: 4096,
	MinThroughputBytes: 32 << 10, WeakHold: 60 * time.Second, ClearAfter: 8 * time.Second,
	SlowTask: 5 * time.Second, FastTask: 600 * time.Millisecond,
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestLevelsFromRTT(t *testing.T) {
	e := New(marsParams)
	if got := e.Estimate(t0).Level; got != Unknown {
		t.Fatalf("no samples: %v", got)
	}
	e.RTT(100 * time.Millisecond)
	if est := e.Estimate(t0); est.Level != Good || est.RTT != 100*time.Millisecond {
		t.Fatalf("fast: %+v", est)
	}
	e.RTT(900 * time.Millisecond) // 100 + (900-100)/4 = 300 ms: still good
	if est := e.Estimate(t0); est.RTT != 300*time.Millisecond || est.Level != Good {
		t.Fatalf("after 900ms sample: %+v, want 300ms good", est)
	}
	e.RTT(700 * time.Millisecond) // 400 ms
	if est := e.Estimate(t0); est.Level != OK {
		t.Fatalf("400ms: %+v, want ok", est)
	}
	for range 20 {
		e.RTT(3 * time.Second)
	}
	if est := e.Estimate(t0); est.Level != Weak {
		t.Fatalf("3s RTTs: %+v, want weak", est)
	}
}

func TestWeakMarkHoldsSixtySeconds(t *testing.T) {
	e := New(marsParams)
	e.RTT(50 * time.Millisecond)
	e.AttemptFailed(t0)
	if est := e.Estimate(t0.Add(59 * time.Second)); est.Level != Weak || !est.WeakMarked {
		t.Fatalf("59s after the mark: %+v", est)
	}
	if at := e.NextChange(); !at.Equal(t0.Add(time.Minute)) {
		t.Fatalf("NextChange %v", at)
	}
	if est := e.Estimate(t0.Add(time.Minute)); est.Level != Good {
		t.Fatalf("60s after the mark: %+v, want good", est)
	}
	if !e.NextChange().IsZero() {
		t.Fatal("NextChange after expiry")
	}
}

func TestFastTaskClearsOnlyAfterEightSeconds(t *testing.T) {
	e := New(marsParams)
	e.RTT(50 * time.Millisecond)
	e.TaskSucceeded(6*time.Second, 0, 10, t0) // slow task marks
	e.TaskSucceeded(100*time.Millisecond, 0, 10, t0.Add(7*time.Second))
	if e.Estimate(t0.Add(7*time.Second)).Level != Weak {
		t.Fatal("cleared 7s after the mark")
	}
	e.TaskSucceeded(100*time.Millisecond, 0, 10, t0.Add(8*time.Second))
	if e.Estimate(t0.Add(8*time.Second)).Level != Good {
		t.Fatal("fast task 8s after the mark did not clear")
	}
	e.Connected(100*time.Millisecond, true, t0.Add(10*time.Second)) // later candidate marks
	e.Background()
	if e.Estimate(t0.Add(10 * time.Second)).WeakMarked {
		t.Fatal("background kept the mark")
	}
	e.Connected(3*time.Second, false, t0)
	e.ConnectFailed(t0.Add(9 * time.Second))
	if e.Estimate(t0.Add(9 * time.Second)).WeakMarked {
		t.Fatal("connect failure 9s after the mark kept it")
	}
}

func TestThroughput(t *testing.T) {
	e := New(marsParams)
	e.TaskSucceeded(time.Second, time.Second, 1000, t0) // too small to count
	if e.Estimate(t0).Throughput != 0 {
		t.Fatal("small response counted")
	}
	e.TaskSucceeded(time.Second, 2*time.Second, 64<<10, t0)
	if est := e.Estimate(t0); est.Throughput != 32<<10 || est.Level != OK {
		t.Fatalf("%+v, want 32 KiB/s ok", est)
	}
	for range 30 {
		e.TaskSucceeded(time.Second, 20*time.Second, 40<<10, t0)
	}
	if est := e.Estimate(t0); est.Level != Weak {
		t.Fatalf("%+v, want weak at 2 KiB/s", est)
	}
	e.Reset()
	if e.Estimate(t0).Level != Unknown {
		t.Fatal("Reset kept samples")
	}
}
