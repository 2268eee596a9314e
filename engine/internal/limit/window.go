package limit

import "time"

// Window admits at most N events within any Period: Mars's
// CommFrequencyLimit without its off-by-one, which
// admits N+1. An event is admitted when fewer than N admitted events lie
// within the last Period; refused events are not counted.
type Window struct {
	n      int
	period time.Duration
	times  []time.Time // admitted, oldest first
}

// NewWindow returns a window admitting n events per period.
func NewWindow(n int, period time.Duration) *Window {
	return &Window{n: n, period: period}
}

// Allow reports whether an event at now is admitted, and records it if so.
func (w *Window) Allow(now time.Time) bool {
	drop := 0
	for drop < len(w.times) && now.Sub(w.times[drop]) >= w.period {
		drop++
	}
	w.times = w.times[drop:]
	if len(w.times) >= w.n {
		return false
	}
	w.times = append(w.times, now)
	return true
}
