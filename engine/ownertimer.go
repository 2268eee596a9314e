package engine

import "time"

// ownerTimer is a timer whose firing runs fire on the owner goroutine, as
// owner work. Each long link arms its own, so a link's timers come and go
// with the link instead of being cases of the owner's select.
//
// Reset and Stop run on the owner only. A firing that was already on its
// way when the timer was stopped or re-armed is recognised on arrival and
// dropped: it runs fire only while the timer is armed and due.
type ownerTimer struct {
	t     *time.Timer
	at    time.Time // due time while armed
	armed bool
}

// newOwnerTimer returns a stopped timer of e that runs fire when due.
func newOwnerTimer(e *Engine, fire func()) *ownerTimer {
	ot := &ownerTimer{}
	ot.t = time.AfterFunc(time.Hour, func() {
		e.runOnOwner(func(*owner) {
			if !ot.armed || time.Now().Before(ot.at) {
				return // stopped or re-armed since
			}
			ot.armed = false
			fire()
		})
	})
	ot.t.Stop()
	return ot
}

// Reset arms the timer to fire after d.
func (ot *ownerTimer) Reset(d time.Duration) {
	ot.at, ot.armed = time.Now().Add(d), true
	ot.t.Reset(d)
}

// due reports when the timer fires, and whether it is armed.
func (ot *ownerTimer) due() (time.Time, bool) { return ot.at, ot.armed }

// Stop disarms the timer.
func (ot *ownerTimer) Stop() {
	ot.armed = false
	ot.t.Stop()
}
