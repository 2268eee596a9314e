// Package netquality is the engine's estimate of the current network:
// a smoothed round-trip time, a smoothed throughput and a level (weak, ok,
// good), after Cronet's network quality estimator, combined with Mars's
// weak-network marks (weak_network_logic.cc).
//
// RTT samples (connects, answered heartbeats, a task's first response byte)
// and throughput samples (responses of at least MinThroughputBytes) feed
// exponentially weighted averages with weight Alpha (1/4) for the new
// sample. Mars's weak marks — a connect that needed a later candidate, a
// connect or first-packet RTT above WeakRTT (2 s), a failed attempt, a
// task taking SlowTask (5 s) or longer — make the level Weak until
// WeakHold (60 s) passes without a new mark, the app goes to the
// background, or, at least ClearAfter (8 s) after the mark, a connect
// fails or a task succeeds within FastTask (600 ms).
//
// Level: Weak while marked, or with an RTT estimate ≥ WeakRTT or a
// throughput estimate below WeakThroughput (4 KiB/s, Mars's mobile minimum
// rate); Good with an RTT estimate ≤ GoodRTT (300 ms, near Cronet's
// 3G/4G boundary of 272 ms) and no slow throughput; Unknown before any
// sample; OK otherwise. The Estimator owns no timer: the engine re-reads
// the estimate at NextChange, when a weak mark expires.
package netquality

import "time"

// Level is the coarse verdict.
type Level int

// Levels.
const (
	Unknown Level = 0
	Weak    Level = 1
	OK      Level = 2
	Good    Level = 3
)

func (l Level) String() string {
	switch l {
	case Weak:
		return "weak"
	case OK:
		return "ok"
	case Good:
		return "good"
	}
	return "unknown"
}

// Estimate is the engine's view of the current network.
type Estimate struct {
	Level      Level
	RTT        time.Duration // smoothed; 0 before the first sample
	Throughput int64         // smoothed bytes/s; 0 before the first sample
	WeakMarked bool          // a Mars weak-network mark is active
}

// Params are the estimator's constants.
type Params struct {
	Alpha              float64       // weight of a new sample: 0.25
	WeakRTT            time.Duration // 2 s
	GoodRTT            time.Duration // 300 ms
	WeakThroughput     int64         // 4096 bytes/s
	MinThroughputBytes int           // a response this big gives a throughput sample: 32 KiB
	WeakHold           time.Duration // 60 s
	ClearAfter         time.Duration // 8 s
	SlowTask           time.Duration // 5 s
	FastTask           time.Duration // 600 ms
}

// Estimator holds the averages and the weak mark.
type Estimator struct {
	p        Params
	rtt      float64 // ns
	tput     float64 // bytes/s
	markedAt time.Time
	marked   bool
}

// New returns an estimator with no samples.
func New(p Params) *Estimator { return &Estimator{p: p} }

// Reset forgets everything (network change).
func (e *Estimator) Reset() { *e = Estimator{p: e.p} }

// Background clears the weak mark (Mars tracks it in the foreground only).
func (e *Estimator) Background() { e.marked = false }

// Connected records a connect that took rtt; later is true when an
// earlier candidate failed first.
func (e *Estimator) Connected(rtt time.Duration, later bool, now time.Time) {
	e.rttSample(rtt)
	if later || rtt > e.p.WeakRTT {
		e.mark(now)
	}
}

// ConnectFailed records a failed connect.
func (e *Estimator) ConnectFailed(now time.Time) { e.clearIfOld(now) }

// RTT records a round trip without a payload worth timing (heartbeat).
func (e *Estimator) RTT(rtt time.Duration) { e.rttSample(rtt) }

// FirstPacket records a task's time from send to its first response byte.
func (e *Estimator) FirstPacket(d time.Duration, now time.Time) {
	e.rttSample(d)
	if d > e.p.WeakRTT {
		e.mark(now)
	}
}

// TaskSucceeded records a task that took cost from send to its complete
// response of recvBytes, whose transfer after the first byte took transfer.
func (e *Estimator) TaskSucceeded(cost, transfer time.Duration, recvBytes int, now time.Time) {
	if recvBytes >= e.p.MinThroughputBytes && transfer > 0 {
		e.tputSample(float64(recvBytes) / transfer.Seconds())
	}
	switch {
	case cost >= e.p.SlowTask:
		e.mark(now)
	case cost < e.p.FastTask:
		e.clearIfOld(now)
	}
}

// AttemptFailed records an attempt the network failed (timeout, reset).
func (e *Estimator) AttemptFailed(now time.Time) { e.mark(now) }

// Estimate returns the current view at now.
func (e *Estimator) Estimate(now time.Time) Estimate {
	if e.marked && now.Sub(e.markedAt) >= e.p.WeakHold {
		e.marked = false
	}
	est := Estimate{RTT: time.Duration(e.rtt), Throughput: int64(e.tput), WeakMarked: e.marked}
	slow := e.tput > 0 && int64(e.tput) < e.p.WeakThroughput
	switch {
	case e.marked || slow || (e.rtt > 0 && est.RTT >= e.p.WeakRTT):
		est.Level = Weak
	case e.rtt == 0 && e.tput == 0:
		est.Level = Unknown
	case e.rtt > 0 && est.RTT <= e.p.GoodRTT:
		est.Level = Good
	default:
		est.Level = OK
	}
	return est
}

// NextChange is when the weak mark expires by itself; zero when none is
// active.
func (e *Estimator) NextChange() time.Time {
	if !e.marked {
		return time.Time{}
	}
	return e.markedAt.Add(e.p.WeakHold)
}

func (e *Estimator) mark(now time.Time) { e.marked, e.markedAt = true, now }

func (e *Estimator) clearIfOld(now time.Time) {
	if e.marked && now.Sub(e.markedAt) >= e.p.ClearAfter {
		e.marked = false
	}
}

func (e *Estimator) rttSample(d time.Duration) {
	if d <= 0 {
		return
	}
	if e.rtt == 0 {
		e.rtt = float64(d)
		return
	}
	e.rtt += e.p.Alpha * (float64(d) - e.rtt)
}

func (e *Estimator) tputSample(bps float64) {
	if e.tput == 0 {
		e.tput = bps
		return
	}
	e.tput += e.p.Alpha * (bps - e.tput)
}
