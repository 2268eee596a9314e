package engine

import "time"

// onShortTimer is the short-link timeout scan (shortlink_task_manager.cc
// :212-300, §4.10), then the send pass for tasks whose pause ended.
func (o *owner) onShortTimer(now time.Time) {
	o.sl.timerAt = time.Time{}
	for _, st := range o.sortedShorts() {
		if o.sl.tasks[st.t.TaskID] != st {
			continue // ended by a callback of an earlier task
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
	o.runShorts(now)
}

// shortAttemptTimeout returns the timeout a sent attempt has hit, first
// match wins: read/write, long-polling (no byte within its timeout), first
// packet (not long-polling), pkg-pkg.
func (o *owner) shortAttemptTimeout(st *shortTask, now time.Time) int {
	if !st.running || st.sentAt.IsZero() {
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

// armShortTimer arms the short timer for the earliest short deadline; with
// no short task it stays stopped (no idle cost).
func (o *owner) armShortTimer(now time.Time) {
	var next time.Time
	earliest := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, st := range o.sl.tasks {
		earliest(st.start.Add(st.timeout))
		switch {
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
	}
	if next.IsZero() {
		o.stopShortTimer()
		return
	}
	if next.Equal(o.sl.timerAt) {
		return
	}
	o.sl.timerAt = next
	if o.sl.timer == nil {
		e := o.e
		o.sl.timer = time.AfterFunc(next.Sub(now), func() {
			e.postPolicy(func(o *owner) { o.onShortTimer(time.Now()) })
		})
		return
	}
	o.sl.timer.Reset(next.Sub(now))
}

func (o *owner) stopShortTimer() {
	if o.sl.timer != nil {
		o.sl.timer.Stop()
	}
	o.sl.timerAt = time.Time{}
}
