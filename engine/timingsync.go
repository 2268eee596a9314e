package engine

import "time"

// Timing sync (§4.14), when Config.TimingSync is on: while the main long link is down the host is asked
// to pull (RequestSync) every 90 s when active and logged in, 4 min when
// only active, 10 min when inactive, three times that with no network. The
// alarm starts with the engine, stops when the link connects and starts
// again when it disconnects (not after a failed connect) or the network
// changes while it runs; each firing re-arms it.

// AccountReporter is an optional extension of Callbacks: the timing sync
// asks it whether a user is logged in (Mars's GetAccountInfo().is_logoned).
// Without it nobody counts as logged in.
type AccountReporter interface {
	IsLogoned() bool
}

func (o *owner) syncInterval() time.Duration {
	logged := false
	if a, ok := o.cb.(AccountReporter); ok {
		logged = a.IsLogoned()
	}
	return o.pol.sync.Interval(o.active, logged, o.network != NetworkNone)
}

// startSync (re)arms the timing sync alarm, if Config.TimingSync is on.
func (o *owner) startSync() {
	if !o.e.cfg.TimingSync {
		return
	}
	o.pol.syncOn = true
	o.pol.syncTimer.Reset(o.syncInterval())
}

// stopSync cancels it (the link is up).
func (o *owner) stopSync() {
	o.pol.syncOn = false
	o.pol.syncTimer.Stop()
}

// onSyncTimer asks the host to sync when there is a network, and re-arms.
func (o *owner) onSyncTimer() {
	if !o.pol.syncOn || o.connected() {
		return
	}
	if o.network != NetworkNone {
		o.toHost(o.cb.RequestSync)
	}
	o.startSync()
}

// stopPolicies stops every policy timer and closes the keeper's socket
// (Close).
func (o *owner) stopPolicies() {
	o.stopSync()
	o.pol.sigTimer.Stop()
	o.pol.qualityTimer.Stop()
	o.closeSignal()
}
