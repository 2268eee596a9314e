package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/dyntimeout"
	"github.com/mars-go/mars/engine/internal/netquality"
)

// NetworkQualityLevel is the coarse verdict on the current network.
type NetworkQualityLevel int

// Network quality levels.
const (
	QualityUnknown NetworkQualityLevel = 0 // no sample yet on this network
	QualityWeak    NetworkQualityLevel = 1 // RTT ≥ 2 s, < 4 KiB/s, or a recent weak-network mark
	QualityOK      NetworkQualityLevel = 2
	QualityGood    NetworkQualityLevel = 3 // RTT ≤ 300 ms
)

// DynamicTimeoutStatus is the dynamic timeout's classification.
type DynamicTimeoutStatus int

// Dynamic timeout statuses (Mars's kEValuating, kExcellent, kBad).
const (
	DynamicEvaluating DynamicTimeoutStatus = 1
	DynamicExcellent  DynamicTimeoutStatus = 2 // first-packet timeouts shrink to 7 s / 10 s
	DynamicBad        DynamicTimeoutStatus = 3 // ≥ 4 of the last 10 tasks failed
)

// NetworkQuality is the engine's view of the current network (beyond Mars,
// after Cronet's network quality estimator; the weak marks are Mars's). It
// resets on OnNetworkChange.
type NetworkQuality struct {
	Level          NetworkQualityLevel
	RTT            time.Duration // smoothed round trip (connects, heartbeats, first bytes); 0: none yet
	Throughput     int64         // smoothed bytes/s of large responses; 0: none yet
	WeakMarked     bool          // a Mars weak-network mark is active
	DynamicTimeout DynamicTimeoutStatus
}

// NetworkQualityObserver is an optional extension of Callbacks: a host
// whose Callbacks also implement it hears every change of the quality
// level, on the host goroutine.
type NetworkQualityObserver interface {
	OnNetworkQualityChange(q NetworkQuality)
}

// NetworkQuality returns the current estimate. It waits for the owner,
// like HasTask.
func (e *Engine) NetworkQuality() NetworkQuality {
	return askOwner(e, NetworkQuality{}, func(o *owner) NetworkQuality { return o.networkQuality(time.Now()) })
}

func (o *owner) networkQuality(now time.Time) NetworkQuality {
	est := o.pol.quality.Estimate(now)
	return NetworkQuality{Level: NetworkQualityLevel(est.Level), RTT: est.RTT, Throughput: est.Throughput,
		WeakMarked: est.WeakMarked, DynamicTimeout: DynamicTimeoutStatus(o.pol.dyn.Status())}
}

// checkQuality re-reads the estimate, reports a level change and arms the
// quality timer for the weak mark's expiry.
func (o *owner) checkQuality(now time.Time) {
	q := o.networkQuality(now)
	if at := o.pol.quality.NextChange(); at.IsZero() {
		o.pol.qualityTimer.Stop()
	} else {
		o.pol.qualityTimer.Reset(at.Sub(now))
	}
	if netquality.Level(q.Level) == o.pol.qualityLevel {
		return
	}
	o.pol.qualityLevel = netquality.Level(q.Level)
	o.logf(LogInfo, "network quality: %v (rtt %v, %d B/s, dynamic timeout %v)", netquality.Level(q.Level), q.RTT,
		q.Throughput, dyntimeout.Status(q.DynamicTimeout))
	if obs, ok := o.cb.(NetworkQualityObserver); ok {
		o.toHost(func() { obs.OnNetworkQualityChange(q) })
	}
}

// qualityAttemptFailed records an attempt the network failed.
func (o *owner) qualityAttemptFailed(now time.Time) {
	o.pol.quality.AttemptFailed(now)
	o.checkQuality(now)
}

// responseProgress notes response bytes for tk at now: the first one gives
// an RTT sample, and the traffic keeps the signalling keeper quiet.
func (o *owner) responseProgress(tk *task, now time.Time) {
	o.signalActivity(now)
	if !tk.sentAt.IsZero() && tk.pol.firstByte.Before(tk.sentAt) {
		tk.pol.firstByte = now
		o.pol.quality.FirstPacket(now.Sub(tk.sentAt), now)
		o.checkQuality(now)
	}
}

// taskSucceeded feeds a long-link success to the dynamic timeout
// and the quality estimate, and wakes the zombies.
func (o *owner) taskSucceeded(tk *task, recvBytes int, now time.Time) {
	if !tk.sentAt.IsZero() {
		cost := now.Sub(tk.sentAt)
		o.pol.dyn.Success(tk.sendBytes+recvBytes, cost, o.network == NetworkMobile, now)
		o.pol.quality.TaskSucceeded(cost, now.Sub(tk.pol.firstByte), recvBytes, now)
		o.checkQuality(now)
	}
	o.zombiesWake()
}

// dynamicFirstPacket applies the excellent-network first-packet timeout
// to an attempt whose normal value is normal.
func (o *owner) dynamicFirstPacket(tk *task, normal time.Duration) time.Duration {
	base := o.e.cfg.DynamicTimeout.excellentFirstPacket(o.network)
	ll := tk.ll
	if ll == nil {
		ll = o.main // a short-link task: Mars counts the main link's queue
	}
	queued := min(ll.running, o.tp.MaxQueued)
	if d, ok := o.pol.dyn.FirstPacket(base, o.tp.TaskDelay, queued, tk.t.ServerProcessCost); ok {
		return d
	}
	return normal
}
