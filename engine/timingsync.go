package engine

// Timing sync, when Config.TimingSync is on: while the main long link is down the host is asked
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

// startSync (re)arms the timing sync alarm, if Config.TimingSync is on.
// The interval depends on IsLogoned, which the host answers on its own
// goroutine; a stop or a newer start meanwhile makes the answer stale.
func (o *owner) startSync() {
	if !o.e.cfg.TimingSync {
		return
	}
	o.pol.syncOn = true
	o.pol.syncGen++
	a, ok := o.cb.(AccountReporter)
	if !ok {
		o.armSync(o.pol.syncGen, false)
		return
	}
	e, gen := o.e, o.pol.syncGen
	e.host.post(hostCall{droppable: true, fn: func() {
		logged := a.IsLogoned()
		e.runOnOwner(func(o *owner) { o.armSync(gen, logged) })
	}})
}

// armSync arms the alarm of start gen for the interval that fits logged.
func (o *owner) armSync(gen uint64, logged bool) {
	if gen != o.pol.syncGen || !o.pol.syncOn {
		return
	}
	o.pol.syncTimer.Reset(o.pol.sync.Interval(o.active, logged, o.network != NetworkNone))
}

// stopSync cancels it (the link is up).
func (o *owner) stopSync() {
	o.pol.syncOn = false
	o.pol.syncGen++
	o.pol.syncTimer.Stop()
}

// onSyncTimer asks the host to sync when there is a network, and re-arms.
func (o *owner) onSyncTimer() {
	if !o.pol.syncOn || o.main.connected() {
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
