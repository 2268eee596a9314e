package engine

import (
	"math/rand/v2"
	"time"

	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/reconnect"
)

// The app state and the reconnect policy that depends on it (Mars's
// ActiveLogic and LongLinkConnectMonitor). Until the host
// first calls OnForeground the app counts as in the foreground since New, so
// a desktop or server host that never calls it gets the foreground column.

// appState is the state column of the reconnect table now.
func (o *owner) appState(now time.Time) reconnect.State {
	return reconnect.StateOf(o.active, o.foreground, now.Sub(o.fgChange))
}

// schedule is Mars's table with the foreground < 1 min column taken from
// TaskConnectInterval and AutoConnectInterval.
func (o *owner) schedule() reconnect.Table {
	t := reconnect.MarsTable
	t[reconnect.TaskTrigger][reconnect.ForegroundOneMinute] = o.e.cfg.TaskConnectInterval
	t[reconnect.AutoTrigger][reconnect.ForegroundOneMinute] = o.e.cfg.AutoConnectInterval
	return t
}

// setForeground is OnForeground: it records the change, marks the app
// active, keeps the link when in front, (re)starts the 10-minute inactivity
// alarm in the background and lets the monitor reconnect (SignalForeground).
func (o *owner) setForeground(fg bool, now time.Time) {
	if fg != o.foreground {
		o.fgChange = now
	}
	o.foreground = fg
	o.setActive(true, now) // any call marks the app active (ActiveLogic)
	if fg {
		o.inactiveTimer.Stop()
		o.keepLink = true
	} else {
		o.inactiveTimer.Reset(DefaultInactiveAfter)
	}
	if o.keepLink {
		o.wantConnect(reconnect.AutoTrigger)
	}
}

// onInactive is the 10-minute alarm after going to the background
// (SignalActive(false)).
func (o *owner) onInactive() {
	if o.foreground {
		return
	}
	o.setActive(false, time.Now())
	o.logf(LogInfo, "app inactive")
	if o.keepLink {
		o.wantConnect(reconnect.AutoTrigger)
	}
}

// wantConnect starts a connect attempt when the schedule for trig allows
// one now; otherwise it arms the reconnect timer for when it will.
func (o *owner) wantConnect(trig reconnect.Trigger) {
	if o.status == linkstatus.Connecting || o.status == linkstatus.Connected || o.network == NetworkNone {
		return
	}
	now := time.Now()
	state := o.appState(now)
	if state == reconnect.Inactive && trig == reconnect.AutoTrigger && o.rebuildFired {
		o.connectNow() // the rebuild alarm itself: connect
		return
	}
	if trig == reconnect.TaskTrigger && o.lastConnectWorked() {
		// Ours: the link dropped rather than failed to connect, so the task
		// floor (a throttle for failing connects) gives way to
		// ReconnectDelay after that connect.
		if wait := o.e.cfg.ReconnectDelay - now.Sub(o.connectDone); wait > 0 {
			o.armReconnect(wait, true)
			return
		}
		o.connectNow()
		return
	}
	if wait, ok := o.quickRetryWait(now); ok {
		o.connectAfter(wait)
		return
	}
	since := time.Duration(-1)
	if !o.connectStart.IsZero() {
		since = now.Sub(o.connectStart)
	}
	jitter := time.Duration(rand.Int64N(int64(reconnect.MaxJitter)))
	c := reconnect.Conditions{NoNetwork: o.network == NetworkNone, NoUser: o.noUser()}
	o.connectAfter(o.schedule().Wait(trig, state, since, c, jitter, &o.backoff))
}

// noUser is Mars's empty account user name: the host said nobody is signed
// in (SetAccount("")). A host that never said counts as signed in, except
// with ExactMarsTiming, where it is Mars's default empty account.
func (o *owner) noUser() bool {
	if !o.userKnown {
		return o.e.cfg.ExactMarsTiming
	}
	return !o.userSignedIn
}

// connectAfter connects now when wait ≤ 0 and arms the rebuild alarm
// otherwise.
func (o *owner) connectAfter(wait time.Duration) {
	if wait <= 0 {
		o.connectNow()
		return
	}
	o.armReconnect(wait, true)
}

// quickRetryWait is ours: after a link that had connected drops, each of
// the first QuickReconnects failed reconnects is retried
// QuickReconnectInterval (±20 %, so the clients of one restarted server
// spread out) after the previous attempt started, instead of after Mars's
// 5 s task floor or 15 s auto interval, so a server back from a restart is
// found within about 0.3 s. Mars's table applies after them, while
// inactive, and with ExactMarsTiming. ok is false when it does not apply.
func (o *owner) quickRetryWait(now time.Time) (wait time.Duration, ok bool) {
	n := o.failedSinceUp
	if o.e.cfg.ExactMarsTiming || !o.active || n == 0 || n > DefaultQuickReconnects {
		return 0, false
	}
	d := DefaultQuickReconnectInterval
	jitter := time.Duration(rand.Int64N(int64(2*d/5)+1)) - d/5
	return d + jitter - now.Sub(o.connectStart), true
}

// countConnect keeps the count of failed connects since a link was last up
// (none before the first link: a fresh start is no restart to ride out).
func (o *owner) countConnect(connected bool) {
	switch {
	case connected:
		o.failedSinceUp = 0
	case !o.connectDone.IsZero():
		o.failedSinceUp++
	}
}

// armReconnect makes the reconnect timer fire within wait; rebuild marks
// the firing as the monitor's rebuild alarm (not the 500 ms wake-up).
func (o *owner) armReconnect(wait time.Duration, rebuild bool) {
	at := time.Now().Add(wait)
	if o.reconnectPending && !at.Before(o.reconnectAt) {
		return
	}
	o.reconnectPending, o.reconnectAt, o.reconnectRebuild = true, at, rebuild
	o.reconnectTimer.Reset(wait)
}

func (o *owner) cancelReconnect() {
	if o.reconnectPending {
		o.reconnectTimer.Stop()
		o.reconnectPending = false
	}
}

// onReconnectTimer re-evaluates a deferred connect.
func (o *owner) onReconnectTimer() {
	o.rebuildFired = o.reconnectRebuild
	defer func() { o.rebuildFired = false }()
	switch {
	case o.pending.Len() > 0:
		o.wantConnect(reconnect.TaskTrigger)
	case o.keepLink:
		o.wantConnect(reconnect.AutoTrigger)
	}
}

// monitorOnStatus is the connect monitor's status consumer. Every way a
// connection or connect attempt ends, whatever its cause (a timeout, the
// heartbeat, a corrupt stream, Buf2Resp, Reset, a network change, the peer,
// a failed write or connect), passes through setStatus into here, so all
// get the same reconnect policy: the task loop asks for the link when tasks
// wait (task trigger), and a kept link is reconsidered ReconnectDelay
// (500 ms) later by the auto trigger, as Mars's monitor arms its wake-up on
// every transition to disconnected or connect-failed (sooner while a
// restarted server is retried quickly, see quickRetryWait).
func (o *owner) monitorOnStatus(s linkstatus.Status) {
	if s != linkstatus.Disconnected && s != linkstatus.ConnectFailed {
		return
	}
	o.runNeeded = true // tasks requeued by the drop's batch error count too
	if o.keepLink {
		wait := o.e.cfg.ReconnectDelay
		if quick, ok := o.quickRetryWait(time.Now()); ok {
			wait = max(min(wait, quick), 0)
		}
		o.armReconnect(wait, false)
	}
}

// lastConnectWorked reports whether the latest connect attempt connected
// (outside ExactMarsTiming, which keeps Mars's task floor after drops too).
func (o *owner) lastConnectWorked() bool {
	return !o.e.cfg.ExactMarsTiming && !o.connectDone.IsZero() && !o.connectDone.Before(o.connectStart)
}
