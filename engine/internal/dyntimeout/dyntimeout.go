// Package dyntimeout is Mars's dynamic timeout (dynamic_timeout.cc): it watches how fast tasks complete and
// classifies the network as Evaluating, Excellent or Bad.
//
// Each sample takes the next of Slots (10) ring bits: ok for a success,
// failed for a failure. A success is "fast" when its cost is within the
// limit of its size class (request + response bytes): < 3 KiB ≤ 500 ms
// (mobile 1 000), ≤ 10 KiB ≤ 2 000 (3 000), ≤ 30 KiB ≤ 4 000 (5 000),
// bigger ≤ 6 000 (7 000). While evaluating, a fast success extends the run
// of consecutive fast tasks (and a fast one of ≥ 3 KiB records its time);
// a slow success or a failure ends the run. When the Window (5 min) since
// the first sample has passed, the window restarts with every bit ok (every
// bit failed while Bad).
//
// Transitions: Evaluating → Excellent after Consecutive (10) fast tasks
// with a fast ≥ 3 KiB one within the window; Evaluating → Bad at ≤ 6 ok
// bits; Excellent → Evaluating on a failure; Bad → Evaluating at > 6 ok
// bits. Excellent shortens the first-packet timeout of tasks with a server
// process cost of exactly 0 (FirstPacket). Reset returns to Evaluating
// (network change).
package dyntimeout

import "time"

// Status is the network's classification.
type Status int

// Statuses (kEValuating, kExcellent, kBad).
const (
	Evaluating Status = 1
	Excellent  Status = 2
	Bad        Status = 3
)

func (s Status) String() string {
	switch s {
	case Evaluating:
		return "evaluating"
	case Excellent:
		return "excellent"
	case Bad:
		return "bad"
	}
	return "unknown"
}

// Params are the constants of config.h:66-96.
type Params struct {
	Slots       int           // ring size: 10
	BadAtOK     int           // ≤ this many ok bits is Bad: 6
	Consecutive int           // fast tasks for Excellent: 10
	Window      time.Duration // kDynTimeCountExpireTime: 5 min
	MidSize     int           // a fast task this big is needed for Excellent: 3 KiB
	Sizes       [3]int        // size class bounds: 3 KiB, 10 KiB, 30 KiB
	WiFiFast    [4]time.Duration
	MobileFast  [4]time.Duration
}

// Tracker is the classifier's state.
type Tracker struct {
	p           Params
	status      Status
	ring        []bool // ok bits
	pos         int
	windowStart time.Time
	fastRun     int
	lastFastMid time.Time
}

// New returns a tracker in Evaluating with every bit ok.
func New(p Params) *Tracker {
	t := &Tracker{p: p, ring: make([]bool, p.Slots)}
	t.Reset()
	return t
}

// Reset returns to Evaluating with a fresh window (network change).
func (t *Tracker) Reset() {
	t.status = Evaluating
	for i := range t.ring {
		t.ring[i] = true
	}
	t.pos, t.fastRun = 0, 0
	t.windowStart, t.lastFastMid = time.Time{}, time.Time{}
}

// Status returns the current classification.
func (t *Tracker) Status() Status { return t.status }

// Success records a task that moved size bytes (request + response) in
// cost; mobile selects the mobile limits. It reports whether the status
// changed.
func (t *Tracker) Success(size int, cost time.Duration, mobile bool, now time.Time) bool {
	t.advance(now)
	fast := cost <= t.limit(size, mobile)
	if t.status == Evaluating {
		if fast {
			t.fastRun++
			if size >= t.p.MidSize {
				t.lastFastMid = now
			}
		} else {
			t.fastRun, t.lastFastMid = 0, time.Time{}
		}
	}
	t.mark(true)
	return t.transition(now)
}

// Failure records a failed task (connect failure or network timeout). It
// reports whether the status changed.
func (t *Tracker) Failure(now time.Time) bool {
	t.advance(now)
	t.fastRun, t.lastFastMid = 0, time.Time{}
	t.mark(false)
	if t.status == Excellent {
		t.status = Evaluating
		return true
	}
	return t.transition(now)
}

func (t *Tracker) limit(size int, mobile bool) time.Duration {
	fast := t.p.WiFiFast
	if mobile {
		fast = t.p.MobileFast
	}
	for i, bound := range t.p.Sizes {
		if size < bound || (i > 0 && size <= bound) {
			return fast[i]
		}
	}
	return fast[3]
}

func (t *Tracker) advance(now time.Time) {
	if !t.windowStart.IsZero() && now.Sub(t.windowStart) < t.p.Window {
		return
	}
	t.windowStart = now
	for i := range t.ring {
		t.ring[i] = t.status != Bad
	}
}

func (t *Tracker) mark(ok bool) {
	t.ring[t.pos] = ok
	t.pos = (t.pos + 1) % len(t.ring)
}

func (t *Tracker) okBits() int {
	n := 0
	for _, b := range t.ring {
		if b {
			n++
		}
	}
	return n
}

func (t *Tracker) transition(now time.Time) bool {
	old := t.status
	switch t.status {
	case Evaluating:
		switch {
		case t.okBits() <= t.p.BadAtOK:
			t.status = Bad
		case t.fastRun >= t.p.Consecutive && !t.lastFastMid.IsZero() && now.Sub(t.lastFastMid) <= t.p.Window:
			t.status = Excellent
		}
	case Bad:
		if t.okBits() > t.p.BadAtOK {
			t.status = Evaluating
		}
	}
	if t.status != old {
		t.fastRun, t.lastFastMid = 0, time.Time{}
	}
	return t.status != old
}

// FirstPacket returns the excellent-network first-packet timeout (7 s WiFi,
// 10 s mobile, passed as base) plus n queued tasks' delay, and true, when
// the status is Excellent and the task's server process cost is exactly 0;
// otherwise false and the normal formula applies.
func (t *Tracker) FirstPacket(base, taskDelay time.Duration, n int, spc time.Duration) (time.Duration, bool) {
	if t.status != Excellent || spc != 0 {
		return 0, false
	}
	return base + time.Duration(n)*taskDelay, true
}
