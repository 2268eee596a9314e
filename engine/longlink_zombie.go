package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/timeout"
	"github.com/mars-go/mars/engine/internal/zombie"
)

// Zombie tasks: a task the network failed, with a positive
// TotalTimeout not yet spent, is parked instead of ended. It stays in the
// task table (HasTask true, StopTask and ClearTasks remove it, Reset ends
// it) and runs again, with no retries and the time left, when the long
// link connects, a task or identify check succeeds, or it has been parked
// 60 s with no task started for as long. Its one OnTaskEnd comes when it
// finally succeeds, fails again, or its total timeout runs out
// (EctLocal, EctLocalTaskTimeout). Long tasks park here; short ones in
// short_zombie.go, under the same rule and wake-ups.

// taskPolicy is a task's policy state.
type taskPolicy struct {
	parked    bool
	fromPark  bool      // restarted from the park once: not parked again
	parkedAt  time.Time //
	firstByte time.Time // of the current attempt's response
}

// zombieCause classifies an outcome for the park.
func zombieCause(typ ErrType, code int) zombie.Cause {
	switch typ {
	case EctEnDecode, EctServer, EctFalse:
		return zombie.Host
	case EctLocal:
		if code == EctLocalTaskTimeout {
			return zombie.Network // the network did not deliver in time
		}
		return zombie.Local
	case EctSocket:
		if isHandshakeCode(code) || isProxyCode(code) {
			return zombie.Local // waiting for a better network cannot fix a pin or a proxy
		}
	}
	return zombie.Network
}

// parkable reports whether the policy parks tk, ending with (typ, code) at
// now, on either link.
func (o *owner) parkable(tk *task, typ ErrType, code int, now time.Time) bool {
	if typ == EctOK || tk.pol.parked {
		return false
	}
	_, ok := o.pol.zombie.Park(zombie.Candidate{
		Cause: zombieCause(typ, code), Sensitive: tk.t.NetworkStatusSensitive,
		TotalTimeout: tk.t.TotalTimeout, Elapsed: now.Sub(tk.start), FromPark: tk.pol.fromPark,
	})
	return ok
}

// markParked is the part of parking both links share: the task waits, with
// no attempt, until start + TotalTimeout unless woken first.
func (o *owner) markParked(tk *task, typ ErrType, code int, now time.Time) {
	tk.link, tk.sentAt, tk.lastRecv = nil, time.Time{}, time.Time{}
	tk.pol.parked, tk.pol.parkedAt = true, now
	tk.timeout = tk.t.TotalTimeout
	o.logf(LogInfo, "task %d: parked after (%d, %d), %v left", tk.t.TaskID, typ, code, tk.t.TotalTimeout-now.Sub(tk.start))
}

// markUnparked is the part of waking both links share: no retries, and the
// time left as the total timeout of a fresh start; it returns the time left.
func markUnparked(tk *task, now time.Time) time.Duration {
	tk.pol.parked, tk.pol.fromPark = false, true
	tk.remain = 0
	return tk.t.TotalTimeout - now.Sub(tk.start)
}

// park parks tk instead of ending it with (typ, code), if the policy takes
// it; it reports whether it did.
func (o *owner) park(tk *task, typ ErrType, code int) bool {
	now := time.Now()
	if !o.parkable(tk, typ, code, now) {
		return false
	}
	o.detach(tk)
	o.markParked(tk, typ, code, now)
	if o.pol.parked == nil {
		o.pol.parked = make(map[uint32]*task)
	}
	o.pol.parked[tk.t.TaskID] = tk
	return true
}

// zombiesWake runs every parked task again, long and short.
func (o *owner) zombiesWake() {
	if len(o.pol.parked) == 0 && len(o.sl.parked) == 0 {
		return // the common case, on every response: no scan
	}
	now := time.Now()
	for _, tk := range o.sortedParked() {
		o.unpark(tk, now)
	}
	for _, st := range sortShorts(nil, o.sl.parked) {
		o.unparkShort(st, now)
	}
}

// zombiesIdleCheck runs the parked tasks whose idle restart time came.
func (o *owner) zombiesIdleCheck(now time.Time) {
	for _, tk := range o.sortedParked() {
		if !now.Before(o.pol.zombie.RestartAt(tk.pol.parkedAt, o.pol.lastStart)) {
			o.unpark(tk, now)
		}
	}
}

// sortedParked returns the parked tasks in queue order (priority, then
// start order), the order Mars re-sends them in.
func (o *owner) sortedParked() []*task {
	out := make([]*task, 0, len(o.pol.parked))
	for _, tk := range o.pol.parked {
		out = append(out, tk)
	}
	sortByOrder(out)
	return out
}

// zombiesWakeAt is the earliest idle restart of a parked task, or zero.
func (o *owner) zombiesWakeAt() time.Time {
	var at time.Time
	for _, tk := range o.pol.parked {
		if t := o.pol.zombie.RestartAt(tk.pol.parkedAt, o.pol.lastStart); at.IsZero() || t.Before(at) {
			at = t
		}
	}
	return at
}

// unpark queues tk again as Mars's fresh StartTask would: no retries, the
// task timeout of one attempt capped by the time left.
func (o *owner) unpark(tk *task, now time.Time) {
	delete(o.pol.parked, tk.t.TaskID)
	left := markUnparked(tk, now)
	tk.timeout = now.Sub(tk.start) + timeout.Task(o.tp, millis(tk.t.ServerProcessCost), 0, left)
	tk.ll.pending.Push(tk.t.Priority, tk)
	o.runNeeded = true
	o.logf(LogInfo, "task %d: back from the park, %v left", tk.t.TaskID, left)
}
