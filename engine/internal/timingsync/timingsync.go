// Package timingsync gives the period of Mars's timing sync
// (timing_sync.cc): while the main long link is down the
// engine asks the host to pull (RequestSync) every
//
//	90 s   active and logged in
//	4 min  active, not logged in
//	10 min inactive
//
// and three times that with no network. The engine arms one timer with
// Interval: at creation, when the link becomes disconnected (not on a
// failed connect), and on activity and network changes while it runs; a
// connected link cancels it.
package timingsync

import "time"

// Params are the periods.
type Params struct {
	ActiveLoggedIn time.Duration // 90 s
	Active         time.Duration // 4 min
	Inactive       time.Duration // 10 min
	NoNetFactor    int           // ×3
}

// Interval is the wait before the next RequestSync.
func (p Params) Interval(active, loggedIn, network bool) time.Duration {
	d := p.Inactive
	switch {
	case active && loggedIn:
		d = p.ActiveLoggedIn
	case active:
		d = p.Active
	}
	if !network {
		d *= time.Duration(p.NoNetFactor)
	}
	return d
}
