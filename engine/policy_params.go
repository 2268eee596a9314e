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
// constants from here, built from defaults.go.

// smartParams are the heartbeat learner's constants.
func smartParams() heartbeat.Params {
	return heartbeat.Params{Min: DefaultSmartHeartbeatMin, Max: DefaultSmartHeartbeatMax,
		Step: DefaultSmartHeartbeatStep, Backoff: DefaultSmartHeartbeatBackoff,
		Refine: DefaultSmartHeartbeatRefine, SuccessCount: DefaultSmartHeartbeatSuccess,
		FailCount: DefaultSmartHeartbeatFail, WarmUp: DefaultSmartHeartbeatWarmUp,
		ReprobeAge: DefaultSmartHeartbeatReprobe}
}

func frequencyParams() limit.FrequencyParams {
	return limit.FrequencyParams{Records: DefaultFrequencyRecords, Intercept: DefaultFrequencyIntercept,
		ClearInterval: DefaultFrequencyClearInterval, KeepRecent: DefaultFrequencyKeepRecent,
		KeepCount: DefaultFrequencyKeepCount, KeepCap: DefaultFrequencyKeepCap}
}

func flowParams() limit.FlowParams {
	return limit.FlowParams{Capacity: DefaultFlowCapacity, ActiveRate: DefaultFlowActiveRate,
		InactiveRate: DefaultFlowInactiveRate, InactiveLevel: DefaultFlowInactiveLevel}
}

func zombiePolicy() zombie.Policy { return zombie.Policy{IdleRestart: DefaultZombieIdleRestart} }

func timingSyncParams() timingsync.Params {
	return timingsync.Params{ActiveLoggedIn: DefaultSyncActiveLoggedIn, Active: DefaultSyncActive,
		Inactive: DefaultSyncInactive, NoNetFactor: DefaultSyncNoNetFactor}
}

func dynTimeoutParams() dyntimeout.Params {
	return dyntimeout.Params{Slots: DefaultDynTimeoutSlots, BadAtOK: DefaultDynTimeoutBadAtOK,
		Consecutive: DefaultDynTimeoutConsecutive, Window: DefaultDynTimeoutWindow,
		MidSize: DefaultDynTimeoutSmall,
		Sizes:   [3]int{DefaultDynTimeoutSmall, DefaultDynTimeoutMedium, DefaultDynTimeoutLarge},
		WiFiFast: [4]time.Duration{DefaultDynTimeoutFastSmall, DefaultDynTimeoutFastMedium,
			DefaultDynTimeoutFastLarge, DefaultDynTimeoutFastHuge},
		MobileFast: [4]time.Duration{MobileDynTimeoutFastSmall, MobileDynTimeoutFastMedium,
			MobileDynTimeoutFastLarge, MobileDynTimeoutFastHuge}}
}

func qualityParams() netquality.Params {
	return netquality.Params{Alpha: DefaultQualityAlpha, WeakRTT: DefaultWeakRTT, GoodRTT: DefaultGoodRTT,
		WeakThroughput: DefaultWeakThroughput, MinThroughputBytes: DefaultMinThroughputBytes,
		WeakHold: DefaultWeakHold, ClearAfter: DefaultWeakClearAfter, SlowTask: DefaultSlowTask,
		FastTask: DefaultFastTask}
}
