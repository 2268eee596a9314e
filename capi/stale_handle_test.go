//go:build !mars_xlog_only

package main

import "testing"

// oldWrapReleases is how many more releases brought a 16-bit generation
// (1..65 535) back to the value of an id released just before them.
const oldWrapReleases = 1<<16 - 2

// cycleSlot releases the most recently freed slot of tab n more times, as n
// opens and closes of other objects would.
func cycleSlot[T any](t *testing.T, tab *handleTable[T], n int) {
	t.Helper()
	var zero T
	for range n {
		id, ok := tab.add(zero)
		if !ok {
			t.Fatal("handle table full")
		}
		tab.remove(id)
	}
}

// TestStaleHandleIsRefusedAfterItsSlotWasReused65535Times goes through the
// exports, for both handle kinds: a released handle must not name the object
// that takes its slot after the slot's generation went round once.
func TestStaleHandleIsRefusedAfterItsSlotWasReused65535Times(t *testing.T) {
	host, port := startMarsd(t)
	dir := t.TempDir()
	for _, k := range []struct {
		name    string
		open    func() (uintptr, int)
		release func(uintptr) int
		use     func(uintptr) int // MARS_OK only on a live object
		cycle   func(*testing.T)
	}{
		{"stn", func() (uintptr, int) { return testCreateSTN(host, port, testClientVersion) }, testDestroySTN,
			func(h uintptr) int { return testStartTask(h, 100) },
			func(t *testing.T) { cycleSlot(t, stns, oldWrapReleases) }},
		{"xlog", func() (uintptr, int) { return testOpenXlog(dir) }, testCloseXlog, testXlogLevel,
			func(t *testing.T) { cycleSlot(t, xlogs, oldWrapReleases) }},
	} {
		t.Run(k.name, func(t *testing.T) {
			stale, rc := k.open()
			if rc != testOK {
				t.Fatalf("open rc = %d", rc)
			}
			if rc := k.release(stale); rc != testOK {
				t.Fatalf("release rc = %d", rc)
			}
			k.cycle(t)
			live, rc := k.open()
			if rc != testOK {
				t.Fatalf("second open rc = %d", rc)
			}
			if live == stale {
				t.Errorf("the new object got the stale id %#x", stale)
			}
			if rc := k.release(stale); rc != testBadHandle {
				t.Errorf("release(stale) rc = %d, want MARS_EBADHANDLE", rc)
			}
			if rc := k.use(live); rc != testOK {
				t.Errorf("a call on the live object rc = %d: the stale id released it", rc)
			}
			if rc := k.release(live); rc != testOK {
				t.Fatalf("release(live) rc = %d", rc)
			}
		})
	}
}
