// Package heartbeat is the smart heartbeat: it learns, per network, the
// longest heartbeat interval the network's NAT keeps a quiet connection
// alive for (smart_heartbeat.cc).
//
// Schedule. A fresh record starts probing at Min (210 s). Every connection
// first sends WarmUp (3) heartbeats at Min. After SuccessCount (5) answered
// heartbeats at the record's interval it is proven good and the next probe
// is interval+Step (+60 s), up to Max (580 s). FailCount (2) unanswered
// heartbeats at a probe end the search: the interval falls back to
// max(Min, interval−Backoff (80 s), the last proven interval) and the record
// is stable. A stable record that fails FailCount times starts over from
// Min; one that has not changed for ReprobeAge (7 days) probes
// interval+Refine (+20 s) once, keeping it after SuccessCount successes and
// going back to the proven value after FailCount failures.
//
// Where this differs from Mars: the fall-back never goes below the last
// proven interval (Mars drops to interval−80 s, e.g. 250 s where 270 s was
// proven), a weekly re-probe that succeeds settles at once instead of
// probing on in +60 s steps, the doze-mode detection is left out, and the
// learner runs on every platform the host enables it on.
//
// The Learner owns no timer: the engine asks Interval when it arms its
// heartbeat timer and reports each heartbeat's outcome with Result.
package heartbeat

import "time"

// Params are the learner's constants (config.h:33-45).
type Params struct {
	Min          time.Duration // MinHeartInterval: 210 s
	Max          time.Duration // MaxHeartInterval − SuccessStep: 580 s
	Step         time.Duration // HeartStep: +60 s per proven probe
	Backoff      time.Duration // fall-back after a failed probe: −80 s
	Refine       time.Duration // SuccessStep: +20 s weekly re-probe
	SuccessCount int           // BaseSuccCount: 5 successes prove an interval
	FailCount    int           // MaxHeartFailCount: 2 failures reject it
	WarmUp       int           // NetStableTestCount: 3 heartbeats at Min per connection
	ReprobeAge   time.Duration // a stable record this old re-probes: 7 days
}

// Phase is where a record's search stands.
type Phase uint8

// Phases.
const (
	Probing  Phase = iota // stepping up by Step
	Stable                // the interval is learned
	Refining              // one Refine probe above a stable value
)

// Record is what the learner knows about one network, persisted by label.
type Record struct {
	Label     string
	Interval  time.Duration // the interval in use once warmed up
	Proven    time.Duration // longest interval answered SuccessCount times; 0 if none
	Phase     Phase
	Successes int       // consecutive answered heartbeats at Interval
	Failures  int       // consecutive unanswered heartbeats at Interval
	Modified  time.Time // last change of Interval or Phase
}

// Learner applies the schedule to one network's record.
type Learner struct {
	p         Params
	rec       Record
	connOK    int // answered heartbeats on the current connection
	connTries int // heartbeats sent on the current connection
}

// New returns a learner for rec; a record with no interval (new network)
// or one outside [Min, Max] starts probing at Min.
func New(p Params, rec Record, now time.Time) *Learner {
	if rec.Interval < p.Min || rec.Interval > p.Max {
		rec = Record{Label: rec.Label, Interval: p.Min, Phase: Probing, Modified: now}
	}
	if rec.Modified.IsZero() {
		rec.Modified = now
	}
	return &Learner{p: p, rec: rec}
}

// Record returns the current record.
func (l *Learner) Record() Record { return l.rec }

// Connected starts a new connection: its first WarmUp heartbeats use Min.
func (l *Learner) Connected() { l.connOK, l.connTries = 0, 0 }

// Interval is the heartbeat interval to arm next.
func (l *Learner) Interval() time.Duration {
	if l.connOK < l.p.WarmUp {
		return l.p.Min
	}
	return l.rec.Interval
}

// Result records one heartbeat sent after used of idleness: answered (ok)
// or not. Outcomes at an interval other than the record's (warm-up) only
// count for the connection. It reports whether the record changed in a way
// worth persisting.
func (l *Learner) Result(used time.Duration, ok bool, now time.Time) bool {
	l.connTries++
	if ok {
		l.connOK++
	}
	if used != l.rec.Interval {
		return false
	}
	if ok {
		l.rec.Failures = 0
		l.rec.Successes++
		return l.succeeded(now)
	}
	l.rec.Successes = 0
	l.rec.Failures++
	if l.rec.Failures < l.p.FailCount {
		return false
	}
	l.rec.Failures = 0
	return l.failed(now)
}

func (l *Learner) succeeded(now time.Time) bool {
	r := &l.rec
	switch r.Phase {
	case Stable:
		if now.Sub(r.Modified) < l.p.ReprobeAge || r.Interval >= l.p.Max {
			return false
		}
		r.Interval = min(r.Interval+l.p.Refine, l.p.Max)
		r.Phase = Refining
	case Probing, Refining:
		if r.Successes < l.p.SuccessCount {
			return false
		}
		r.Proven = r.Interval
		if r.Phase == Refining || r.Interval >= l.p.Max {
			r.Phase = Stable
		} else {
			r.Interval = min(r.Interval+l.p.Step, l.p.Max)
		}
	}
	r.Successes = 0
	r.Modified = now
	return true
}

func (l *Learner) failed(now time.Time) bool {
	r := &l.rec
	switch {
	case r.Interval == l.p.Min:
		return false // nothing shorter to try: a bad network, not a NAT limit
	case r.Phase == Stable:
		r.Interval, r.Proven, r.Phase = l.p.Min, 0, Probing
	default:
		r.Interval = max(l.p.Min, r.Interval-l.p.Backoff, r.Proven)
		r.Phase = Stable
	}
	r.Modified = now
	return true
}
