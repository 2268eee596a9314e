package engine

import "time"

// onTaskTimer runs the timeout scan and then the send loop.
func (o *owner) onTaskTimer(now time.Time) {
	o.scanTimeouts(now)
	o.zombiesIdleCheck(now)
	o.runTasks(now)
	o.armNextTaskWake(now)
}

// scanTimeouts is __RunOnTimeout. For each sent attempt: no
// response byte within the first-packet limit → -500; a gap longer than the
// package interval → -501; longer than the read/write limit → -502 (the
// last match wins and is charged to the link). A task past its whole limit
// ends (EctLocal, EctLocalTaskTimeout) at once. Any of these then resets the
// link and retries or fails every other running task on it; each link
// answers for its own tasks.
func (o *owner) scanTimeouts(now time.Time) {
	sorted := o.sortedTasks()
	for _, ll := range o.linkList {
		ll.scanTimeouts(sorted, now)
	}
}

// scanTimeouts is the scan of ll's tasks among sorted.
func (ll *longLink) scanTimeouts(sorted []*task, now time.Time) {
	o := ll.o
	var linkCode int
	var src uint32
	taskTimedOut := false
	for _, tk := range sorted {
		if tk.ll != ll || o.tasks[tk.t.TaskID] != tk || tk.decoding {
			continue // another link's, ended by an earlier step of this scan, or answered
		}
		if tk.running && !tk.sentAt.IsZero() {
			if c := o.attemptTimeout(tk, now); c != 0 {
				linkCode, src = c, tk.t.TaskID
			}
		}
		if now.Sub(tk.start) >= tk.timeout {
			wasOnLink := tk.running && tk.link == ll.link
			o.end(tk, EctLocal, EctLocalTaskTimeout)
			if linkCode == 0 && ll.link != nil && (wasOnLink || tk.attempts == 0) {
				taskTimedOut, src = true, tk.t.TaskID
			}
		}
	}
	switch {
	case linkCode != 0 && ll.link != nil:
		o.qualityAttemptFailed(now)
		ll.netReport(EctNetMsgXP, linkCode, ll.linkAddr)
		ll.batchError(EctNetMsgXP, linkCode, RespHandleDefault, src)
	case taskTimedOut:
		ll.batchError(EctNetMsgXP, EctLocalTaskTimeout, RespHandleDefault, src)
	}
}

// attemptTimeout returns the timeout code a sent attempt has hit, or 0.
func (o *owner) attemptTimeout(tk *task, now time.Time) int {
	code := 0
	if tk.lastRecv.IsZero() && now.Sub(tk.sentAt) >= tk.firstPkt {
		code = EctLongFirstPkgTimeout
	}
	if !tk.lastRecv.IsZero() && now.Sub(tk.lastRecv) >= o.pkgInterval {
		code = EctLongPkgPkgTimeout
	}
	if now.Sub(tk.sentAt) >= tk.readWrite {
		code = EctLongReadWriteTimeout
	}
	return code
}

// armNextTaskWake arms the task timer for the earliest future deadline:
// task limits, attempt limits, the retry pause and the auth poll. With no
// task it stays stopped, so an idle engine has no timer.
func (o *owner) armNextTaskWake(now time.Time) {
	var next time.Time
	earliest := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, tk := range o.tasks {
		retryAt := tk.ll.lastBatchErr.Add(tk.ll.retryInterval)
		if tk.decoding {
			continue // answered: the host's verdict decides
		}
		earliest(tk.start.Add(tk.timeout))
		switch {
		case tk.running && !tk.sentAt.IsZero():
			if tk.lastRecv.IsZero() {
				earliest(tk.sentAt.Add(tk.firstPkt))
			} else {
				earliest(tk.lastRecv.Add(o.pkgInterval))
			}
			earliest(tk.sentAt.Add(tk.readWrite))
		case !tk.running && tk.attempts > 0 && retryAt.After(now):
			earliest(retryAt)
		case tk.authWait:
			earliest(now.Add(o.e.cfg.AuthPollInterval))
		}
	}
	if at := o.zombiesWakeAt(); !at.IsZero() {
		earliest(at)
	}
	if next.IsZero() {
		o.stopTaskTimer()
		return
	}
	o.taskTimerAt = time.Time{}
	o.armTaskTimer(next)
}

// sortedTasks lists the tasks in start order, so callbacks fire in a
// deterministic order.
func (o *owner) sortedTasks() []*task {
	out := make([]*task, 0, len(o.tasks))
	for _, tk := range o.tasks {
		out = append(out, tk)
	}
	sortByOrder(out)
	return out
}
