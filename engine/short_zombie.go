package engine

import "time"

// Short-link zombies: a short task the network failed is parked as
// a long one is (longlink_zombie.go): it stays in shortState.tasks, so HasTask,
// StopTask, ClearTasks and Reset see it, but leaves the idle set, so
// runShorts passes it by. It wakes with the long ones (link connected,
// identify or any task succeeded) and by the idle rule on the short
// timer; it then goes again on the short link with no retries.

// parkShort parks st instead of ending it with (typ, code), if the policy
// takes it; it reports whether it did.
func (o *owner) parkShort(st *shortTask, typ ErrType, code int) bool {
	now := time.Now()
	if !o.parkable(st.task, typ, code, now) {
		return false
	}
	st.pol.parked = true // before cancelShort, which would put it back in idle
	o.cancelShort(st)
	delete(o.sl.idle, st.t.TaskID)
	st.retryAt, st.authWait = time.Time{}, false
	o.markParked(st.task, typ, code, now)
	o.sl.parked[st.t.TaskID] = st
	o.armShortAt(o.shortDeadline(st, now))
	return true
}

// unparkShort makes st runnable again as Mars's fresh StartTask would: no
// retries, the task timeout of one attempt capped by the time left. The
// owner loop runs it (sl.runNeeded): a wake-up may come from inside
// shortDone, before the task that succeeded has left the idle set.
func (o *owner) unparkShort(st *shortTask, now time.Time) {
	delete(o.sl.parked, st.t.TaskID)
	left := markUnparked(st.task, now)
	st.timeout = now.Sub(st.start) + o.shortTimeout(st.t, 0, left)
	o.sl.idle[st.t.TaskID] = st
	o.sl.runNeeded = true
	o.armShortAt(st.start.Add(st.timeout))
	o.logf(LogInfo, "task %d: back from the park, %v left", st.t.TaskID, left)
}

// shortZombiesIdleCheck runs the parked short tasks whose idle restart
// time came.
func (o *owner) shortZombiesIdleCheck(now time.Time) {
	if len(o.sl.parked) == 0 {
		return
	}
	for _, st := range sortShorts(nil, o.sl.parked) {
		if !now.Before(o.pol.zombie.RestartAt(st.pol.parkedAt, o.pol.lastStart)) {
			o.unparkShort(st, now)
		}
	}
}
