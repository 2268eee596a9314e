package limit

import (
	"math/bits"
	"time"
)

// FlowParams are the flow limit's constants (flow_limit.cc:29-32).
type FlowParams struct {
	Capacity      int64 // kMaxVol: 80 MiB
	ActiveRate    int64 // bytes drained per hour while active: 80 MiB
	InactiveRate  int64 // bytes drained per hour while inactive: 20 MiB
	InactiveLevel int64 // level cap on becoming inactive: 60 MiB
}

// Flow is a leaky bucket over request bytes on mobile networks:
// a request is rejected when level + length would exceed Capacity,
// otherwise its length is added. The bucket drains at ActiveRate per hour
// while the app is active and InactiveRate while inactive; becoming
// inactive caps the level at InactiveLevel.
//
// Unlike Mars draining is exact: it is computed from the
// elapsed nanoseconds and keeps the remainder, where Mars counts whole
// seconds and drops the fraction at every check.
type Flow struct {
	p      FlowParams
	level  int64 // bytes
	frac   int64 // drained bytes × hour not yet taken off level, in byte·ns
	active bool
	last   time.Time
}

// NewFlow returns an empty bucket, active, with its clock at now.
func NewFlow(p FlowParams, now time.Time) *Flow {
	return &Flow{p: p, active: true, last: now}
}

// Check reports whether a request of n bytes may be sent now, and counts it
// if so.
func (f *Flow) Check(n int, now time.Time) bool {
	f.drain(now)
	if f.level+int64(n) > f.p.Capacity {
		return false
	}
	f.level += int64(n)
	return true
}

// SetActive records the app's activity; going inactive caps the level.
func (f *Flow) SetActive(active bool, now time.Time) {
	f.drain(now)
	if f.active && !active {
		f.level = min(f.level, f.p.InactiveLevel)
	}
	f.active = active
}

// Level returns the bytes in the bucket at now.
func (f *Flow) Level(now time.Time) int64 {
	f.drain(now)
	return f.level
}

// drain takes rate·elapsed/hour bytes off the level, carrying the
// remainder (in byte·ns) to the next call so nothing is lost to rounding.
func (f *Flow) drain(now time.Time) {
	elapsed := now.Sub(f.last)
	if elapsed <= 0 {
		return
	}
	f.last = now
	if elapsed > maxDrainStep {
		elapsed = maxDrainStep // empties any bucket; keeps the product in 128 bits
	}
	rate := f.p.ActiveRate
	if !f.active {
		rate = f.p.InactiveRate
	}
	hi, lo := bits.Mul64(uint64(max(rate, 0)), uint64(elapsed))
	lo, carry := bits.Add64(lo, uint64(f.frac), 0)
	hi += carry
	drained, frac := bits.Div64(hi, lo, uint64(time.Hour))
	f.frac = int64(frac)
	if drained >= uint64(f.level) {
		f.level, f.frac = 0, 0
		return
	}
	f.level -= int64(drained)
}

// maxDrainStep bounds one drain step; a bucket empties in far less.
const maxDrainStep = 10000 * time.Hour
