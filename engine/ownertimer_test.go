package engine

import (
	"testing"
	"testing/synctest"
	"time"
)

// A firing already on its way when the timer is stopped or moved later is
// dropped; the timer fires once, when due.
func TestOwnerTimerDropsStaleFirings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		var fired []time.Duration
		start := time.Now()
		var ot *ownerTimer
		e.runOnOwnerWait(func(*owner) {
			ot = newOwnerTimer(e, func() { fired = append(fired, time.Since(start)) })
			ot.Reset(time.Second)
			time.Sleep(time.Second)   // the owner is busy while the firing is posted ...
			ot.Reset(3 * time.Second) // ... and sees it only after this Reset
		})
		synctest.Wait()
		var early []time.Duration
		e.runOnOwnerWait(func(*owner) { early = append(early, fired...) })
		if len(early) != 0 {
			t.Fatalf("fired at %v, before its new due time", early)
		}
		time.Sleep(3 * time.Second)
		synctest.Wait()
		e.runOnOwnerWait(func(*owner) {
			if len(fired) != 1 || fired[0] != 4*time.Second {
				t.Errorf("fired at %v, want once at 4s", fired)
			}
			ot.Reset(time.Second)
			ot.Stop()
		})
		time.Sleep(2 * time.Second)
		synctest.Wait()
		e.runOnOwnerWait(func(*owner) {
			if len(fired) != 1 {
				t.Errorf("a stopped timer fired: %v", fired)
			}
		})
	})
}
