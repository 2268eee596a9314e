package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/timeout"
	"github.com/mars-go/mars/engine/internal/zombie"
)

// Zombie tasks (§4.13): a task the network failed, with a positive
// TotalTimeout not yet spent, is parked instead of ended. It stays in the
// task table (HasTask true, StopTask and ClearTasks remove it, Reset ends
// it) and runs again, with no retries and the time left, when the long
// link connects, a task or identify check succeeds, or it has been parked
// 60 s with no task started for as long. Its one OnTaskEnd comes when it
// finally succeeds, fails again, or its total timeout runs out
// (EctLocal, EctLocalTaskTimeout).

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
	}
	return zombie.Network
}

// park parks tk instead of ending it with (typ, code), if the policy takes
// it; it reports whether it did.
func (o *owner) park(tk *task, typ ErrType, code int) bool {
	if typ == EctOK || tk.pol.parked {
		return false
	}
	now := time.Now()
	_, ok := o.pol.zombie.Park(zombie.Candidate{
		Cause: zombieCause(typ, code), Sensitive: tk.t.NetworkStatusSensitive,
		TotalTimeout: tk.t.TotalTimeout, Elapsed: now.Sub(tk.start), FromPark: tk.pol.fromPark,
	})
	if !ok {
		return false
	}
	if tk.running {
		tk.running = false
		o.running--
	} else if !o.filtering {
		o.pending.Remove(tk) // inside runTasks the filter drops it
	}
	tk.link, tk.sentAt, tk.lastRecv = nil, time.Time{}, time.Time{}
	tk.pol.parked, tk.pol.parkedAt = true, now
	if o.pol.parked == nil {
		o.pol.parked = make(map[uint32]*task)
	}
	o.pol.parked[tk.t.TaskID] = tk
	tk.timeout = tk.t.TotalTimeout // ends at start + TotalTimeout if never woken
	o.logf(LogInfo, "task %d: parked after (%d, %d), %v left", tk.t.TaskID, typ, code, tk.t.TotalTimeout-now.Sub(tk.start))
	return true
}

// zombiesWake runs every parked task again.
func (o *owner) zombiesWake() {
	if len(o.pol.parked) == 0 {
		return // the common case, on every response: no scan
	}
	now := time.Now()
	for _, tk := range o.sortedParked() {
		o.unpark(tk, now)
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
	tk.pol.parked, tk.pol.fromPark = false, true
	delete(o.pol.parked, tk.t.TaskID)
	tk.remain = 0
	elapsed := now.Sub(tk.start)
	left := tk.t.TotalTimeout - elapsed
	tk.timeout = elapsed + timeout.Task(o.tp, millis(tk.t.ServerProcessCost), 0, left)
	o.pending.Push(tk.t.Priority, tk)
	o.runNeeded = true
	o.logf(LogInfo, "task %d: back from the park, %v left", tk.t.TaskID, left)
}
