package dial

import "time"

// AttemptDelay derives the connect stagger from the connect times measured
// on this network (RFC 8305 §5): SRTT + 4·RTTVAR in the
// RFC 6298 form, clamped to [Min, Max]; while nothing was measured, a first
// guess that fits the kind of network (RFC 8305's 250 ms on Wi-Fi). A
// blackholed first address then costs about three connect RTTs instead of a
// fixed 2.5 s, and a slow network keeps a long enough stagger not to
// multiply the server's load. The zero value has no samples.
type AttemptDelay struct {
	SRTT    time.Duration // smoothed connect time
	RTTVar  time.Duration // its mean deviation
	Samples int
}

// Observe adds one successful connect time.
func (a *AttemptDelay) Observe(rtt time.Duration) {
	if rtt < 0 {
		return
	}
	if a.Samples == 0 {
		a.SRTT, a.RTTVar = rtt, rtt/2
	} else {
		dev := a.SRTT - rtt
		if dev < 0 {
			dev = -dev
		}
		a.RTTVar = (3*a.RTTVar + dev) / 4
		a.SRTT = (7*a.SRTT + rtt) / 8
	}
	a.Samples++
}

// Delay is the stagger to use, within [lo, hi]; first (also clamped)
// without samples.
func (a AttemptDelay) Delay(lo, first, hi time.Duration) time.Duration {
	d := first
	if a.Samples > 0 {
		d = a.SRTT + 4*a.RTTVar
	}
	return min(max(d, lo), hi)
}
