package dyntimeout

import (
	"testing"
	"time"
)

// marsParams are Mars's numbers, as the engine passes them.
var marsParams = Params{
	Slots: 10, BadAtOK: 6, Consecutive: 10, Window: 5 * time.Minute,
	MidSize: 3 << 10, Sizes: [3]int{3 << 10, 10 << 10, 30 << 10},
	WiFiFast:   [4]time.Duration{500 * time.Millisecond, 2 * time.Second, 4 * time.Second, 6 * time.Second},
	MobileFast: [4]time.Duration{time.Second, 3 * time.Second, 5 * time.Second, 7 * time.Second},
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestTenFastTasksWithAMidSizedOneMakeItExcellent(t *testing.T) {
	d := New(marsParams)
	now := t0
	for i := range 9 {
		now = now.Add(time.Second)
		if d.Success(100, 400*time.Millisecond, false, now) {
			t.Fatalf("status changed after %d fast tasks", i+1)
		}
	}
	now = now.Add(time.Second)
	if d.Success(100, 400*time.Millisecond, false, now) {
		t.Fatal("excellent without a fast task of ≥ 3 KiB")
	}
	d.Reset()
	for i := range 10 {
		size := 100
		if i == 3 {
			size = 5 << 10
		}
		d.Success(size, 400*time.Millisecond, false, now)
	}
	if d.Status() != Excellent {
		t.Fatalf("status %v, want excellent", d.Status())
	}
	got, ok := d.FirstPacket(7*time.Second, 1500*time.Millisecond, 2, 0)
	if !ok || got != 10*time.Second {
		t.Fatalf("FirstPacket %v %v, want 10s", got, ok)
	}
	if _, ok := d.FirstPacket(7*time.Second, 0, 0, -1); ok {
		t.Fatal("excellent branch taken with an unknown server cost")
	}
	if !d.Failure(now) || d.Status() != Evaluating {
		t.Fatalf("a failure left %v, want evaluating", d.Status())
	}
}

func TestSlowTaskBreaksTheRun(t *testing.T) {
	d := New(marsParams)
	for range 9 {
		d.Success(4<<10, time.Second, false, t0)
	}
	d.Success(4<<10, 3*time.Second, false, t0) // 4 KiB: limit 2 s
	d.Success(4<<10, time.Second, false, t0)
	if d.Status() != Evaluating {
		t.Fatalf("status %v after a broken run", d.Status())
	}
	m := New(marsParams)
	for range 10 {
		m.Success(4<<10, 2500*time.Millisecond, true, t0) // mobile: limit 3 s
	}
	if m.Status() != Excellent {
		t.Fatalf("mobile status %v, want excellent", m.Status())
	}
}

func TestFourFailuresInTenMakeItBadAndRecoveryNeedsSevenOK(t *testing.T) {
	d := New(marsParams)
	for i := range 3 {
		if d.Failure(t0) {
			t.Fatalf("bad after %d failures", i+1)
		}
	}
	if !d.Failure(t0) || d.Status() != Bad {
		t.Fatalf("status %v after 4 failures, want bad", d.Status())
	}
	// Ring: 4 failed + 6 ok; position 4 is an ok bit, so one success
	// leaves 6 ok bits: still bad.
	d.Success(100, time.Millisecond, false, t0)
	if d.Status() != Bad {
		t.Fatalf("status %v, want still bad at 6 ok bits", d.Status())
	}
	for range 6 {
		d.Success(100, time.Millisecond, false, t0)
	}
	if d.Status() != Evaluating {
		t.Fatalf("status %v after the failures were overwritten, want evaluating", d.Status())
	}
}

func TestWindowExpiryRefillsTheRing(t *testing.T) {
	d := New(marsParams)
	for range 3 {
		d.Failure(t0)
	}
	d.Failure(t0.Add(5 * time.Minute)) // new window: ring all ok, then one failure
	if d.Status() != Evaluating {
		t.Fatalf("status %v, want evaluating after the window restarted", d.Status())
	}
	b := New(marsParams)
	for range 4 {
		b.Failure(t0)
	}
	b.Success(100, time.Millisecond, false, t0.Add(6*time.Minute)) // window restarts all failed while bad
	if b.Status() != Bad {
		t.Fatalf("status %v, want bad kept across the window", b.Status())
	}
}

func TestSizeClasses(t *testing.T) {
	d := New(marsParams)
	for _, tc := range []struct {
		size int
		want time.Duration
	}{{0, 500 * time.Millisecond}, {3<<10 - 1, 500 * time.Millisecond}, {3 << 10, 2 * time.Second},
		{10 << 10, 2 * time.Second}, {10<<10 + 1, 4 * time.Second}, {30 << 10, 4 * time.Second}, {30<<10 + 1, 6 * time.Second}} {
		if got := d.limit(tc.size, false); got != tc.want {
			t.Errorf("limit(%d) = %v, want %v", tc.size, got, tc.want)
		}
	}
}
