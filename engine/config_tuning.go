package engine

import (
	"fmt"
	"time"
)

// The policy numbers of Config: Mars's constants, overridable. Each zero
// field takes the Default… constant its comment names (defaults.go).

// FrequencyLimitConfig tunes the limit on byte-identical requests
// (frequency_limit.cc).
type FrequencyLimitConfig struct {
	Records       int           // distinct requests tracked. Default 30
	Intercept     int           // a count above this is rejected. Default 105
	ClearInterval time.Duration // purge period. Default 60 min
	KeepRecent    time.Duration // a purge keeps records updated this recently… Default 10 min
	KeepCount     int           // …with at least this count… Default 75
	KeepCap       int           // …capped at this count (not below KeepCount). Default 99
}

// FlowLimitConfig tunes the leaky bucket over mobile request bytes
// (flow_limit.cc).
type FlowLimitConfig struct {
	Capacity      int64 // bytes. Default 80 MiB
	ActiveRate    int64 // bytes drained per hour while active. Default 80 MiB
	InactiveRate  int64 // bytes drained per hour while inactive. Default 20 MiB
	InactiveLevel int64 // level cap on going inactive (at most Capacity). Default 60 MiB
}

// SmartHeartbeatConfig tunes the heartbeat learner of HeartbeatSmart
// (config.h:33-45).
type SmartHeartbeatConfig struct {
	Min          time.Duration // first and least interval. Default 210 s
	Max          time.Duration // greatest interval (not below Min). Default 580 s
	Step         time.Duration // step up per proven interval. Default 60 s
	Backoff      time.Duration // fall-back after a failed probe. Default 80 s
	Refine       time.Duration // weekly re-probe step. Default 20 s
	ReprobeAge   time.Duration // a stable value this old re-probes. Default 7 days
	SuccessCount int           // answered heartbeats that prove an interval. Default 5
	FailCount    int           // failures that reject it. Default 2
	WarmUp       int           // heartbeats at Min per connection. Default 3
}

// TimingSyncConfig holds the periods of the timing sync (Config.TimingSync,
// timing_sync.cc).
type TimingSyncConfig struct {
	ActiveLoggedIn time.Duration // Default 90 s
	Active         time.Duration // active, nobody logged in. Default 4 min
	Inactive       time.Duration // Default 10 min
	NoNetFactor    int           // the period is this many times longer with no network. Default 3
}

// RecoveryConfig tunes the check that moves a link off a backup IP
// (netsource_timercheck.cc).
type RecoveryConfig struct {
	Period        time.Duration // between checks while on a backup IP. Default 150 s
	ProbeTimeout  time.Duration // wait for a probe's noop answer. Default 10 s
	ProbesPerHour int           // at most this many probes per hour. Default 30
}

// DynamicTimeoutConfig tunes Mars's dynamic timeout (dynamic_timeout.cc).
// The size classes and their fast-task costs stay Mars's.
type DynamicTimeoutConfig struct {
	// ExcellentFirstPacketTimeout is the first-packet timeout base on an
	// excellent network. Zero means "by network", as the network
	// timeouts: 7 s on Wi-Fi, 10 s on mobile (…ExcellentFirstPacketTimeout).
	ExcellentFirstPacketTimeout time.Duration
	Slots                       int           // ring of recent outcomes. Default 10
	BadAtOK                     int           // this many ok outcomes or fewer is bad (below Slots). Default 6
	Consecutive                 int           // fast tasks in a row for excellent. Default 10
	Window                      time.Duration // the evaluation window. Default 5 min
}

// QualityConfig tunes the network-quality estimate (Engine.NetworkQuality).
type QualityConfig struct {
	WeakRTT        time.Duration // an RTT this long marks the network weak. Default 2 s
	GoodRTT        time.Duration // good at or below (not above WeakRTT). Default 300 ms
	WeakHold       time.Duration // a weak mark lasts. Default 60 s
	WeakThroughput int64         // bytes/s below which throughput is weak. Default 4 096
	SlowTask       time.Duration // a task this slow marks the network weak. Default 5 s
	FastTask       time.Duration // a task this fast may clear the mark. Default 600 ms
}

func (c FrequencyLimitConfig) withDefaults() FrequencyLimitConfig {
	setInt(&c.Records, DefaultFrequencyRecords)
	setInt(&c.Intercept, DefaultFrequencyIntercept)
	setDur(&c.ClearInterval, DefaultFrequencyClearInterval)
	setDur(&c.KeepRecent, DefaultFrequencyKeepRecent)
	setInt(&c.KeepCount, DefaultFrequencyKeepCount)
	setInt(&c.KeepCap, DefaultFrequencyKeepCap)
	return c
}

func (c FlowLimitConfig) withDefaults() FlowLimitConfig {
	setInt(&c.Capacity, DefaultFlowCapacity)
	setInt(&c.ActiveRate, DefaultFlowActiveRate)
	setInt(&c.InactiveRate, DefaultFlowInactiveRate)
	setInt(&c.InactiveLevel, DefaultFlowInactiveLevel)
	return c
}

func (c SmartHeartbeatConfig) withDefaults() SmartHeartbeatConfig {
	setDur(&c.Min, DefaultSmartHeartbeatMin)
	setDur(&c.Max, DefaultSmartHeartbeatMax)
	setDur(&c.Step, DefaultSmartHeartbeatStep)
	setDur(&c.Backoff, DefaultSmartHeartbeatBackoff)
	setDur(&c.Refine, DefaultSmartHeartbeatRefine)
	setDur(&c.ReprobeAge, DefaultSmartHeartbeatReprobe)
	setInt(&c.SuccessCount, DefaultSmartHeartbeatSuccess)
	setInt(&c.FailCount, DefaultSmartHeartbeatFail)
	setInt(&c.WarmUp, DefaultSmartHeartbeatWarmUp)
	return c
}

func (c TimingSyncConfig) withDefaults() TimingSyncConfig {
	setDur(&c.ActiveLoggedIn, DefaultSyncActiveLoggedIn)
	setDur(&c.Active, DefaultSyncActive)
	setDur(&c.Inactive, DefaultSyncInactive)
	setInt(&c.NoNetFactor, DefaultSyncNoNetFactor)
	return c
}

func (c RecoveryConfig) withDefaults() RecoveryConfig {
	setDur(&c.Period, DefaultRecoveryPeriod)
	setDur(&c.ProbeTimeout, DefaultRecoveryProbeTimeout)
	setInt(&c.ProbesPerHour, DefaultRecoveryProbesPerHr)
	return c
}

// withDefaults leaves ExcellentFirstPacketTimeout zero: it follows the
// network (excellentFirstPacket).
func (c DynamicTimeoutConfig) withDefaults() DynamicTimeoutConfig {
	setInt(&c.Slots, DefaultDynTimeoutSlots)
	setInt(&c.BadAtOK, DefaultDynTimeoutBadAtOK)
	setInt(&c.Consecutive, DefaultDynTimeoutConsecutive)
	setDur(&c.Window, DefaultDynTimeoutWindow)
	return c
}

// excellentFirstPacket is the excellent-network first-packet base on
// network n.
func (c DynamicTimeoutConfig) excellentFirstPacket(n NetworkType) time.Duration {
	switch {
	case c.ExcellentFirstPacketTimeout != 0:
		return c.ExcellentFirstPacketTimeout
	case n == NetworkMobile:
		return MobileExcellentFirstPacketTimeout
	}
	return DefaultExcellentFirstPacketTimeout
}

func (c QualityConfig) withDefaults() QualityConfig {
	setDur(&c.WeakRTT, DefaultWeakRTT)
	setDur(&c.GoodRTT, DefaultGoodRTT)
	setDur(&c.WeakHold, DefaultWeakHold)
	setInt(&c.WeakThroughput, DefaultWeakThroughput)
	setDur(&c.SlowTask, DefaultSlowTask)
	setDur(&c.FastTask, DefaultFastTask)
	return c
}

// tuned is one policy number as validate names it.
type tuned struct {
	name string
	v    int64
	show any
}

func dur(name string, d time.Duration) tuned { return tuned{name, int64(d), d} }
func num[T ~int | ~int64](name string, n T) tuned {
	return tuned{name, int64(n), n}
}

// tuningProblems lists the policy numbers no default can repair, in the
// fields' order: negative values, then bounds in the wrong order.
func (c Config) tuningProblems() []error {
	f, fl, h, s, r, d, q := c.FrequencyLimit, c.FlowLimit, c.SmartHeartbeat, c.TimingSyncPeriods, c.Recovery,
		c.DynamicTimeout, c.Quality
	var errs []error
	for _, t := range []tuned{
		num("FrequencyLimit.Records", f.Records), num("FrequencyLimit.Intercept", f.Intercept),
		dur("FrequencyLimit.ClearInterval", f.ClearInterval), dur("FrequencyLimit.KeepRecent", f.KeepRecent),
		num("FrequencyLimit.KeepCount", f.KeepCount), num("FrequencyLimit.KeepCap", f.KeepCap),
		num("FlowLimit.Capacity", fl.Capacity), num("FlowLimit.ActiveRate", fl.ActiveRate),
		num("FlowLimit.InactiveRate", fl.InactiveRate), num("FlowLimit.InactiveLevel", fl.InactiveLevel),
		dur("ZombieIdleRestart", c.ZombieIdleRestart),
		dur("SmartHeartbeat.Min", h.Min), dur("SmartHeartbeat.Max", h.Max), dur("SmartHeartbeat.Step", h.Step),
		dur("SmartHeartbeat.Backoff", h.Backoff), dur("SmartHeartbeat.Refine", h.Refine),
		dur("SmartHeartbeat.ReprobeAge", h.ReprobeAge), num("SmartHeartbeat.SuccessCount", h.SuccessCount),
		num("SmartHeartbeat.FailCount", h.FailCount), num("SmartHeartbeat.WarmUp", h.WarmUp),
		dur("TimingSyncPeriods.ActiveLoggedIn", s.ActiveLoggedIn), dur("TimingSyncPeriods.Active", s.Active),
		dur("TimingSyncPeriods.Inactive", s.Inactive), num("TimingSyncPeriods.NoNetFactor", s.NoNetFactor),
		dur("Recovery.Period", r.Period), dur("Recovery.ProbeTimeout", r.ProbeTimeout),
		num("Recovery.ProbesPerHour", r.ProbesPerHour),
		dur("DynamicTimeout.ExcellentFirstPacketTimeout", d.ExcellentFirstPacketTimeout),
		num("DynamicTimeout.Slots", d.Slots), num("DynamicTimeout.BadAtOK", d.BadAtOK),
		num("DynamicTimeout.Consecutive", d.Consecutive), dur("DynamicTimeout.Window", d.Window),
		dur("Quality.WeakRTT", q.WeakRTT), dur("Quality.GoodRTT", q.GoodRTT), dur("Quality.WeakHold", q.WeakHold),
		num("Quality.WeakThroughput", q.WeakThroughput), dur("Quality.SlowTask", q.SlowTask),
		dur("Quality.FastTask", q.FastTask),
	} {
		if t.v < 0 {
			errs = append(errs, fmt.Errorf("engine: Config.%s is negative (%v)", t.name, t.show))
		}
	}
	for _, b := range []struct {
		lo, hi tuned
	}{
		{num("FrequencyLimit.KeepCount", f.KeepCount), num("FrequencyLimit.KeepCap", f.KeepCap)},
		{num("FlowLimit.InactiveLevel", fl.InactiveLevel), num("FlowLimit.Capacity", fl.Capacity)},
		{dur("SmartHeartbeat.Min", h.Min), dur("SmartHeartbeat.Max", h.Max)},
		{dur("Quality.GoodRTT", q.GoodRTT), dur("Quality.WeakRTT", q.WeakRTT)},
	} {
		if b.lo.v > b.hi.v {
			errs = append(errs, fmt.Errorf("engine: Config.%s %v exceeds %s %v", b.lo.name, b.lo.show, b.hi.name, b.hi.show))
		}
	}
	if d.BadAtOK >= d.Slots {
		errs = append(errs, fmt.Errorf("engine: Config.DynamicTimeout.BadAtOK %d is not below Slots %d (always bad)",
			d.BadAtOK, d.Slots))
	}
	return errs
}
