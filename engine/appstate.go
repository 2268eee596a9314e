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
	} else {
		o.inactiveTimer.Reset(DefaultInactiveAfter)
	}
	for _, ll := range o.linkList {
		if fg && ll.keepAlive {
			ll.keepLink = true
		}
		if ll.keepLink {
			ll.wantConnect(reconnect.AutoTrigger)
		}
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
	for _, ll := range o.linkList {
		if ll.keepLink {
			ll.wantConnect(reconnect.AutoTrigger)
		}
	}
}

// wantConnect starts a connect attempt when the schedule for trig allows
// one now; otherwise it arms the reconnect timer for when it will.
func (ll *longLink) wantConnect(trig reconnect.Trigger) {
	if ll.status == linkstatus.Connecting || ll.status == linkstatus.Connected || ll.o.network == NetworkNone || ll.o.longOff {
		return
	}
	now := time.Now()
	state := ll.o.appState(now)
	if state == reconnect.Inactive && trig == reconnect.AutoTrigger && ll.rebuildFired {
		ll.connectNow() // the rebuild alarm itself: connect
		return
	}
	if trig == reconnect.TaskTrigger && ll.lastConnectWorked() {
		// Ours: the link dropped rather than failed to connect, so the task
		// floor (a throttle for failing connects) gives way to
		// ReconnectDelay after that connect.
		if wait := ll.cfg.ReconnectDelay - now.Sub(ll.connectDone); wait > 0 {
			ll.armReconnect(wait, true)
			return
		}
		ll.connectNow()
		return
	}
	if wait, ok := ll.quickRetryWait(now); ok {
		ll.connectAfter(wait)
		return
	}
	since := time.Duration(-1)
	if !ll.connectStart.IsZero() {
		since = now.Sub(ll.connectStart)
	}
	jitter := time.Duration(rand.Int64N(int64(reconnect.MaxJitter)))
	c := reconnect.Conditions{NoNetwork: ll.o.network == NetworkNone, NoUser: ll.o.noUser()}
	ll.connectAfter(ll.o.schedule().Wait(trig, state, since, c, jitter, &ll.backoff))
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
func (ll *longLink) connectAfter(wait time.Duration) {
	if wait <= 0 {
		ll.connectNow()
		return
	}
	ll.armReconnect(wait, true)
}

// quickRetryWait is ours: after a link that had connected drops, each of
// the first QuickReconnects failed reconnects is retried
// QuickReconnectInterval (±20 %, so the clients of one restarted server
// spread out) after the previous attempt started, instead of after Mars's
// 5 s task floor or 15 s auto interval, so a server back from a restart is
// found within about 0.3 s. Mars's table applies after them, while
// inactive, and with ExactMarsTiming. ok is false when it does not apply.
func (ll *longLink) quickRetryWait(now time.Time) (wait time.Duration, ok bool) {
	n := ll.failedSinceUp
	if ll.cfg.ExactMarsTiming || !ll.o.active || n == 0 || n > DefaultQuickReconnects {
		return 0, false
	}
	d := DefaultQuickReconnectInterval
	jitter := time.Duration(rand.Int64N(int64(2*d/5)+1)) - d/5
	return d + jitter - now.Sub(ll.connectStart), true
}

// countConnect keeps the count of failed connects since a link was last up
// (none before the first link: a fresh start is no restart to ride out).
func (ll *longLink) countConnect(connected bool) {
	switch {
	case connected:
		ll.failedSinceUp = 0
	case !ll.connectDone.IsZero():
		ll.failedSinceUp++
	}
}

// armReconnect makes the reconnect timer fire within wait; rebuild marks
// the firing as the monitor's rebuild alarm (not the 500 ms wake-up).
func (ll *longLink) armReconnect(wait time.Duration, rebuild bool) {
	if due, armed := ll.reconnectTimer.due(); armed && !time.Now().Add(wait).Before(due) {
		return
	}
	ll.reconnectRebuild = rebuild
	ll.reconnectTimer.Reset(wait)
}

func (ll *longLink) cancelReconnect() { ll.reconnectTimer.Stop() }

// onReconnectTimer re-evaluates a deferred connect.
func (ll *longLink) onReconnectTimer() {
	ll.rebuildFired = ll.reconnectRebuild
	defer func() { ll.rebuildFired = false }()
	switch {
	case ll.pending.Len() > 0:
		ll.wantConnect(reconnect.TaskTrigger)
	case ll.keepLink:
		ll.wantConnect(reconnect.AutoTrigger)
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
func (ll *longLink) monitorOnStatus(s linkstatus.Status) {
	if s != linkstatus.Disconnected && s != linkstatus.ConnectFailed {
		return
	}
	ll.o.runNeeded = true // tasks requeued by the drop's batch error count too
	if ll.keepLink {
		wait := ll.cfg.ReconnectDelay
		if quick, ok := ll.quickRetryWait(time.Now()); ok {
			wait = max(min(wait, quick), 0)
		}
		ll.armReconnect(wait, false)
	}
}

// lastConnectWorked reports whether the latest connect attempt connected
// (outside ExactMarsTiming, which keeps Mars's task floor after drops too).
func (ll *longLink) lastConnectWorked() bool {
	return !ll.cfg.ExactMarsTiming && !ll.connectDone.IsZero() && !ll.connectDone.Before(ll.connectStart)
}
