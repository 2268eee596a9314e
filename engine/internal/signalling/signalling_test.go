package signalling

import (
	"slices"
	"testing"
	"time"
)

func TestKeeperSchedule(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	k := Keeper{Period: 5 * time.Second, KeepTime: 20 * time.Second}
	if !k.Keep(t0) {
		t.Fatal("first Keep did not ask for a datagram")
	}
	if k.Keep(t0) {
		t.Fatal("second Keep asked again")
	}
	// Datagrams at 0, 5, 10, 15, 20; at 25 s (> 20 s after the touch) it stops.
	sent := []time.Duration{0}
	now := t0
	for range 100 {
		next, ok := k.Activity(now)
		if !ok {
			break
		}
		now = next
		if k.Due(now) {
			sent = append(sent, now.Sub(t0))
		}
	}
	want := []time.Duration{0, 5 * time.Second, 10 * time.Second, 15 * time.Second, 20 * time.Second}
	if !slices.Equal(sent, want) {
		t.Fatalf("schedule %v, want %v", sent, want)
	}
	if k.Keeping() {
		t.Fatal("still keeping")
	}
	// Traffic postpones the next datagram.
	k.Keep(t0)
	if next, _ := k.Activity(t0.Add(3 * time.Second)); !next.Equal(t0.Add(8 * time.Second)) {
		t.Fatalf("next after traffic at 3s: %v", next.Sub(t0))
	}
	k.Stop()
	if _, ok := k.Activity(t0.Add(4 * time.Second)); ok {
		t.Fatal("Activity after Stop scheduled a datagram")
	}
}
