package engine

import (
	"fmt"
	"time"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/engine/internal/ipsort"
	"github.com/mars-go/mars/engine/internal/timeout"
	"github.com/mars-go/mars/internal/goid"
)

// owner is the state of one engine, touched only by its owner goroutine.
type owner struct {
	e           *Engine
	cb          Callbacks
	tp          timeout.Params // the timeout constants of the current network (Wi-Fi or mobile)
	pkgInterval time.Duration  // and its pkg-pkg interval

	// Tasks.
	tasks     map[uint32]*task
	order     uint64 // start counter, for stable batch order
	runNeeded bool

	// Long links (longlink_state.go).
	links    map[string]*longLink
	linkList []*longLink // the same, in creation order
	main     *longLink   // the link tasks with no channel name use
	longOff  bool        // DisableLongLink: no link connects for the engine's life (longoff.go)

	network NetworkType
	label   string // network label of the IP history

	// App state (appstate.go).
	foreground    bool
	active        bool      // false 10 min after going to the background
	fgChange      time.Time // of the last foreground change (New at first)
	inactiveTimer *time.Timer
	userKnown     bool // the host called SetAccount
	userSignedIn  bool // its user name was not empty

	// Connect strategy (scores.go).
	scores   *ipsort.Table
	rtt      map[string]dial.AttemptDelay // network label → measured connect times
	settings AddressSettings

	taskTimer   *time.Timer
	taskTimerAt time.Time // zero when stopped

	// Long-link policies (policies.go).
	pol policies

	// Short-link tasks (short.go).
	sl shortState

	// The automatic network check (netcheck.go).
	nc netCheckState

	closed   bool
	drainBuf []ownerWork
}

func (o *owner) init(e *Engine) {
	o.e = e
	o.cb = e.cb
	o.tasks = make(map[uint32]*task)
	o.pol.init(e.cfg, time.Now())
	o.useNetwork(e.cfg.Network)
	o.foreground, o.active, o.fgChange = true, true, time.Now()
	o.initScores()
	o.pol.hbStore = o.loadHeartbeatStore() // here, not on the owner: it never waits on a disk
	o.main = o.newLongLink(e.defaultSetup())
	o.links = map[string]*longLink{o.main.name: o.main}
	o.linkList = []*longLink{o.main}
	o.initShort()
	o.longOff = e.cfg.DisableLongLink
}

// useNetwork records the network type and picks its timeout column: the
// mobile defaults on mobile, the WiFi ones otherwise (as Mars branches on
// getNetInfo() == kMobile); fields the host set stay as set.
func (o *owner) useNetwork(n NetworkType) {
	o.network = n
	o.policiesNetworkChanged()
	o.e.mss.Store(wifiMSS(n))
	column := NetworkWiFi
	if n == NetworkMobile {
		column = NetworkMobile
	}
	c := o.e.rawCfg
	c.Network = column
	c = c.withDefaults()
	o.tp, o.pkgInterval = c.timeoutParams(), c.PackageInterval
}

// newStoppedTimer returns a timer that has not been armed.
func newStoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

// run is the owner goroutine.
func (o *owner) run(ready chan<- struct{}) {
	defer close(o.e.done)
	o.e.ownerGID.Store(goid.ID())
	o.taskTimer, o.inactiveTimer = newStoppedTimer(), newStoppedTimer()
	close(ready)
	o.startSync() // asks AccountReporter on the host goroutine, never inside New
	for !o.closed {
		select {
		case <-o.e.inbox.Wake():
			o.drain()
		case <-o.taskTimer.C:
			o.taskTimerAt = time.Time{}
			o.onTaskTimer(time.Now())
		case <-o.sl.timer.C:
			o.onShortTimer(time.Now())
		case <-o.pol.sigTimer.C:
			o.onSignalTimer(time.Now())
		case <-o.pol.syncTimer.C:
			o.onSyncTimer()
		case <-o.pol.qualityTimer.C:
			o.checkQuality(time.Now())
		case <-o.inactiveTimer.C:
			o.onInactive()
		}
		o.e.wakeups.Add(1)
		if !o.closed {
			for _, ll := range o.linkList {
				if ll.recovery.movable {
					ll.moveBackIfIdle()
				}
			}
		}
		if o.runNeeded && !o.closed {
			o.runNeeded = false
			o.runTasks(time.Now())
		}
		if o.sl.runNeeded && !o.closed {
			o.sl.runNeeded = false
			o.runShorts(time.Now())
		}
	}
	for _, w := range o.e.inbox.Close() {
		o.drop(w)
	}
	o.e.files.close() // after the last save (Close's reset)
	o.e.host.post(hostCall{last: true})
}

// drain runs every queued piece of work in order.
func (o *owner) drain() {
	o.drainBuf = o.e.inbox.Drain(o.drainBuf)
	for _, w := range o.drainBuf {
		if o.closed {
			o.drop(w)
			continue
		}
		o.assertOwner()
		w.runOn(o)
	}
}

// drop disposes of work that arrives after shutdown.
func (o *owner) drop(w ownerWork) {
	if d, ok := w.(droppable); ok {
		d.drop(o)
	}
}

// armTaskTimer makes the task timer fire no later than at.
func (o *owner) armTaskTimer(at time.Time) {
	if !o.taskTimerAt.IsZero() && !at.Before(o.taskTimerAt) {
		return
	}
	o.taskTimerAt = at
	o.taskTimer.Reset(time.Until(at))
}

// stopTaskTimer disarms the task timer (no task left).
func (o *owner) stopTaskTimer() {
	o.taskTimer.Stop()
	o.taskTimerAt = time.Time{}
}

func (o *owner) logf(level LogLevel, format string, args ...any) {
	if l := o.e.cfg.Logger; l.Enabled(level) {
		l.Log(level, fmt.Sprintf(format, args...))
	}
}
