// Package signalling is the schedule of Mars's signalling keeper
// (signalling_keeper.cc): while the host says
// a burst of interactive signalling is going on, small UDP datagrams keep
// the NAT and radio state of the long link's path warm.
//
// Keep records the touch and, if the keeper was idle, asks for a datagram
// at once. When the timer fires, Due says whether to send. After every datagram and every read or write on the main long
// link the engine calls Activity: more than KeepTime (20 s) after the last
// touch the keeper stops; otherwise the next datagram is due Period (5 s)
// later. So datagrams go out after each 5 s of silence until 20 s after the
// last Keep. Stop ends it at once. The engine owns the one timer.
package signalling

import "time"

// Keeper is the keeper's state.
type Keeper struct {
	Period   time.Duration
	KeepTime time.Duration

	keeping   bool
	lastTouch time.Time
}

// Keeping reports whether the keeper is running.
func (k *Keeper) Keeping() bool { return k.keeping }

// Keep records a touch at now; it reports whether a datagram should go out
// now (the keeper was idle).
func (k *Keeper) Keep(now time.Time) bool {
	k.lastTouch = now
	if k.keeping {
		return false
	}
	k.keeping = true
	return true
}

// Due reports, when the timer fires at now, whether to send a datagram: a
// keeper past KeepTime since the last touch stops instead.
func (k *Keeper) Due(now time.Time) bool {
	if k.keeping && now.Sub(k.lastTouch) > k.KeepTime {
		k.keeping = false
	}
	return k.keeping
}

// Stop ends keeping.
func (k *Keeper) Stop() { k.keeping = false }

// Activity notes a datagram or link traffic at now and returns when the
// next datagram is due; ok is false when the keeper is (now) stopped.
func (k *Keeper) Activity(now time.Time) (next time.Time, ok bool) {
	if !k.keeping {
		return time.Time{}, false
	}
	if now.Sub(k.lastTouch) > k.KeepTime {
		k.keeping = false
		return time.Time{}, false
	}
	return now.Add(k.Period), true
}
