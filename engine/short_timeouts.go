package engine

import "time"

// onShortTimer is the short-link timeout scan (shortlink_task_manager.cc
// :212-300), then the send pass for tasks whose pause ended.
func (o *owner) onShortTimer(now time.Time) {
	o.sl.timerAt = time.Time{}
	for _, st := range o.sortedShorts() {
		if o.sl.tasks[st.t.TaskID] != st || st.decoding {
			continue // ended by an earlier task's step, or answered
		}
		if now.Sub(st.start) >= st.timeout {
			o.endShort(st, EctLocal, EctLocalTaskTimeout)
			continue
		}
		if code := o.shortAttemptTimeout(st, now); code != 0 {
			o.logf(LogInfo, "task %d: short attempt %d timed out (%d)", st.t.TaskID, st.attempts, code)
			o.pol.dyn.Failure(now)
			o.qualityAttemptFailed(now)
			o.retryShort(st, EctHttp, code, RespHandleDefault, o.e.cfg.RetryInterval)
		}
	}
	o.shortZombiesIdleCheck(now)
	o.runShorts(now)
	o.armShortTimer(now)
}

// shortAttemptTimeout returns the timeout a sent attempt has hit, first
// match wins: read/write, long-polling (no byte within its timeout), first
// packet (not long-polling), pkg-pkg.
func (o *owner) shortAttemptTimeout(st *shortTask, now time.Time) int {
	if !st.running || st.sentAt.IsZero() || st.decoding {
		return 0
	}
	sinceSend := now.Sub(st.sentAt)
	switch {
	case sinceSend >= st.readWrite:
		return EctHttpReadWriteTimeout
	case st.t.LongPolling && st.lastRecv.IsZero() && sinceSend >= millis(st.t.LongPollingTimeout):
		return EctHttpLongPollingTimeout
	case !st.t.LongPolling && st.lastRecv.IsZero() && sinceSend >= st.firstPkt:
		return EctHttpFirstPkgTimeout
	case !st.lastRecv.IsZero() && now.Sub(st.lastRecv) >= o.pkgInterval:
		return EctHttpPkgPkgTimeout
	}
	return 0
}

// shortDeadline is the earliest moment st needs the timer: its whole-task
// limit, the running attempt's limits, the retry pause or the auth poll.
func (o *owner) shortDeadline(st *shortTask, now time.Time) time.Time {
	next := st.start.Add(st.timeout)
	earliest := func(t time.Time) {
		if t.Before(next) {
			next = t
		}
	}
	switch {
	case st.pol.parked:
		earliest(o.pol.zombie.RestartAt(st.pol.parkedAt, o.pol.lastStart))
	case st.running && !st.sentAt.IsZero():
		earliest(st.sentAt.Add(st.readWrite))
		switch {
		case !st.lastRecv.IsZero():
			earliest(st.lastRecv.Add(o.pkgInterval))
		case st.t.LongPolling:
			earliest(st.sentAt.Add(millis(st.t.LongPollingTimeout)))
		default:
			earliest(st.sentAt.Add(st.firstPkt))
		}
	case !st.running && st.retryAt.After(now):
		earliest(st.retryAt)
	case st.authWait:
		earliest(now.Add(o.e.cfg.AuthPollInterval))
	}
	return next
}

// armShortTimer arms the short timer for the earliest short deadline after
// a scan of every task (when the timer fires); with no short task it stays
// stopped (no idle cost). Between fires armShortAt only moves it earlier.
func (o *owner) armShortTimer(now time.Time) {
	var next time.Time
	for _, st := range o.sl.tasks {
		if st.decoding {
			continue // answered: the host's verdict decides, no deadline
		}
		if at := o.shortDeadline(st, now); next.IsZero() || at.Before(next) {
			next = at
		}
	}
	if next.IsZero() {
		o.stopShortTimer()
		return
	}
	if !next.Equal(o.sl.timerAt) {
		o.setShortTimer(next)
	}
}

// armShortAt makes the short timer fire no later than at. A deadline that
// passes unneeded (its task ended) costs one scan, not one per event.
func (o *owner) armShortAt(at time.Time) {
	if o.sl.timerAt.IsZero() || at.Before(o.sl.timerAt) {
		o.setShortTimer(at)
	}
}

func (o *owner) setShortTimer(at time.Time) {
	o.sl.timerAt = at
	o.sl.timer.Reset(time.Until(at))
}

func (o *owner) stopShortTimer() {
	o.sl.timer.Stop()
	o.sl.timerAt = time.Time{}
}
