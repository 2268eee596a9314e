package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/dyntimeout"
	"github.com/mars-go/mars/engine/internal/heartbeat"
	"github.com/mars-go/mars/engine/internal/limit"
	"github.com/mars-go/mars/engine/internal/netquality"
	"github.com/mars-go/mars/engine/internal/timingsync"
	"github.com/mars-go/mars/engine/internal/zombie"
)

// The internal packages hold no numbers of their own: each takes its
// constants from here, built from Config (whose zero fields mean
// defaults.go's numbers).

// params are the heartbeat learner's constants.
func (c SmartHeartbeatConfig) params() heartbeat.Params {
	return heartbeat.Params{Min: c.Min, Max: c.Max, Step: c.Step, Backoff: c.Backoff, Refine: c.Refine,
		SuccessCount: c.SuccessCount, FailCount: c.FailCount, WarmUp: c.WarmUp, ReprobeAge: c.ReprobeAge}
}

func (c FrequencyLimitConfig) params() limit.FrequencyParams {
	return limit.FrequencyParams{Records: c.Records, Intercept: c.Intercept, ClearInterval: c.ClearInterval,
		KeepRecent: c.KeepRecent, KeepCount: c.KeepCount, KeepCap: c.KeepCap}
}

func (c FlowLimitConfig) params() limit.FlowParams {
	return limit.FlowParams{Capacity: c.Capacity, ActiveRate: c.ActiveRate, InactiveRate: c.InactiveRate,
		InactiveLevel: c.InactiveLevel}
}

func (c Config) zombiePolicy() zombie.Policy { return zombie.Policy{IdleRestart: c.ZombieIdleRestart} }

func (c TimingSyncConfig) params() timingsync.Params {
	return timingsync.Params{ActiveLoggedIn: c.ActiveLoggedIn, Active: c.Active, Inactive: c.Inactive,
		NoNetFactor: c.NoNetFactor}
}

func (c DynamicTimeoutConfig) params() dyntimeout.Params {
	return dyntimeout.Params{Slots: c.Slots, BadAtOK: c.BadAtOK, Consecutive: c.Consecutive, Window: c.Window,
		MidSize: DefaultDynTimeoutSmall,
		Sizes:   [3]int{DefaultDynTimeoutSmall, DefaultDynTimeoutMedium, DefaultDynTimeoutLarge},
		WiFiFast: [4]time.Duration{DefaultDynTimeoutFastSmall, DefaultDynTimeoutFastMedium,
			DefaultDynTimeoutFastLarge, DefaultDynTimeoutFastHuge},
		MobileFast: [4]time.Duration{MobileDynTimeoutFastSmall, MobileDynTimeoutFastMedium,
			MobileDynTimeoutFastLarge, MobileDynTimeoutFastHuge}}
}

func (c QualityConfig) params() netquality.Params {
	return netquality.Params{Alpha: DefaultQualityAlpha, WeakRTT: c.WeakRTT, GoodRTT: c.GoodRTT,
		WeakThroughput: c.WeakThroughput, MinThroughputBytes: DefaultMinThroughputBytes, WeakHold: c.WeakHold,
		ClearAfter: DefaultWeakClearAfter, SlowTask: c.SlowTask, FastTask: c.FastTask}
}
