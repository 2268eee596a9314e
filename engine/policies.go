package engine

import (
	"net"
	"time"

	"github.com/mars-go/mars/engine/internal/dyntimeout"
	"github.com/mars-go/mars/engine/internal/heartbeat"
	"github.com/mars-go/mars/engine/internal/limit"
	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/netquality"
	"github.com/mars-go/mars/engine/internal/signalling"
	"github.com/mars-go/mars/engine/internal/timingsync"
	"github.com/mars-go/mars/engine/internal/zombie"
)

// policies is the owner's state for the long-link policies that save
// battery and protect servers: smart heartbeat, signalling keeper,
// anti-avalanche, zombie tasks, dynamic timeout, timing sync and the
// network-quality estimate. Each decision comes from a pure type in
// engine/internal; the owner arms one timer per concern. Owned by the
// owner goroutine.
type policies struct {
	// Heartbeat (longlink_heartbeat_smart.go).
	hbStore heartbeat.Store

	// Signalling keeper (signalling.go).
	keeper   signalling.Keeper
	sigTimer *time.Timer
	sigConn  net.Conn // UDP socket to sigAddr
	sigAddr  string

	// Anti-avalanche (limits.go).
	freq *limit.Frequency
	flow *limit.Flow

	// Zombie tasks (longlink_zombie.go).
	zombie    zombie.Policy
	parked    map[uint32]*task // the parked tasks, so waking them costs nothing while none are
	lastStart time.Time        // of the last StartTask

	// Dynamic timeout and network quality (quality.go).
	dyn          *dyntimeout.Tracker
	quality      *netquality.Estimator
	qualityLevel netquality.Level
	qualityTimer *time.Timer
	connectLater bool // the last connect needed a later candidate

	// Timing sync (timingsync.go).
	sync      timingsync.Params
	syncTimer *time.Timer
	syncOn    bool
	syncGen   uint64 // of the last start or stop; a stale IsLogoned answer is dropped
}

// init sets the policies up from the configuration; the timing sync alarm
// starts with the engine, as Mars's does.
func (p *policies) init(cfg Config, now time.Time) {
	p.keeper = signalling.Keeper{Period: cfg.SignallingPeriod, KeepTime: cfg.SignallingKeepTime}
	p.sigTimer, p.qualityTimer, p.syncTimer = newStoppedTimer(), newStoppedTimer(), newStoppedTimer()
	p.freq = limit.NewFrequency(cfg.FrequencyLimit.params(), now)
	p.flow = limit.NewFlow(cfg.FlowLimit.params(), now)
	p.zombie = cfg.zombiePolicy()
	p.dyn = dyntimeout.New(cfg.DynamicTimeout.params())
	p.quality = netquality.New(cfg.Quality.params())
	p.sync = cfg.TimingSyncPeriods.params()
}

// policiesOnStatus applies a status change of the main link to the
// policies that follow it (signalling, timing sync, network quality).
func (o *owner) policiesOnStatus(s linkstatus.Status) {
	now := time.Now()
	switch s {
	case linkstatus.Connected:
		o.signalTarget()
		o.stopSync()
		o.pol.quality.Connected(o.main.connectDone.Sub(o.main.connectStart), o.pol.connectLater, now)
		o.checkQuality(now)
	case linkstatus.Disconnected:
		o.startSync()
	case linkstatus.ConnectFailed:
		o.pol.quality.ConnectFailed(now)
		o.checkQuality(now)
	}
}

// setActive records Mars's ActiveLogic state: the flow limit changes its
// drain rate (and caps the level on going inactive), and a running timing
// sync alarm restarts with the new period.
func (o *owner) setActive(active bool, now time.Time) {
	if active == o.active {
		return
	}
	o.active = active
	o.pol.flow.SetActive(active, now)
	o.heartbeatActiveChanged()
	if o.pol.syncOn {
		o.startSync()
	}
}

// policiesNetworkChanged resets what Mars resets on a network change:
// dynamic timeout, quality estimate, timing sync alarm (if
// running); zombies run again once the new link connects.
func (o *owner) policiesNetworkChanged() {
	if o.pol.dyn == nil {
		return // during init
	}
	o.pol.dyn.Reset()
	o.pol.quality.Reset()
	o.checkQuality(time.Now())
	if o.pol.syncOn {
		o.startSync()
	}
}
