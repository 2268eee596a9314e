// Package zombie decides when a failed task is parked instead of ended and
// when a parked task runs again (zombie_task_manager.cc).
//
// A task failed by the network (not by the host's codec, a local check or
// a reset) is parked when it is not network-status sensitive and its
// positive total timeout has time left; it runs again with no retries
// when the long link connects, a task or identify succeeds, the network
// changes or the host calls RedoTasks — or, by itself, once it has been
// parked IdleRestart (60 s) and no task has started for as long. It ends
// (EctLocal, EctLocalTaskTimeout) when its total timeout runs out. A task
// that was restarted from the park is not parked a second time.
//
// Mars polls the idle rule every 3 s; the engine arms its task timer for
// RestartAt instead.
package zombie

import "time"

// Policy holds the park rules.
type Policy struct {
	IdleRestart time.Duration // 60 s
}

// Cause classifies why an attempt failed.
type Cause int

// Causes.
const (
	Network Cause = iota // socket, timeout, DNS, HTTP: the network let the task down
	Host                 // the host's codec or verdict
	Local                // validation, limits, reset, stop, task timeout
)

// Candidate is what the policy needs to know about a failing task.
type Candidate struct {
	Cause          Cause
	Sensitive      bool          // Task.NetworkStatusSensitive
	TotalTimeout   time.Duration // Task.TotalTimeout; ≤ 0 = none
	Elapsed        time.Duration // since the task started
	FromPark       bool          // already restarted from the park once
	HasRetriesLeft bool          // the engine will retry it anyway
}

// Park reports whether the task is parked, and how long it may stay.
func (p Policy) Park(c Candidate) (remaining time.Duration, ok bool) {
	if c.Cause != Network || c.Sensitive || c.FromPark || c.HasRetriesLeft || c.TotalTimeout <= 0 {
		return 0, false
	}
	remaining = c.TotalTimeout - c.Elapsed
	return remaining, remaining > 0
}

// RestartAt is when a task parked at parkedAt runs again by itself, given
// the last task start: both must lie IdleRestart in the past.
func (p Policy) RestartAt(parkedAt, lastStart time.Time) time.Time {
	at := parkedAt.Add(p.IdleRestart)
	if idle := lastStart.Add(p.IdleRestart); idle.After(at) {
		at = idle
	}
	return at
}
