// Package timeout holds the pure timeout formulas of Mars's task managers.
// Every function is a formula of its inputs;
// the engine arms its timers from the results.
package timeout

import "time"

// Params are the network-dependent constants of Mars's timeout formulas (the WiFi or the
// mobile column). The engine fills them from its Config.
type Params struct {
	BaseFirstPacket time.Duration // kBaseFirstPackage*Timeout: 12 s WiFi, 15 s mobile
	MaxFirstPacket  time.Duration // kMaxFirstPackage*Timeout: 22 s WiFi, 30 s mobile
	MinRate         int           // k*MinRate in bytes/s: 12 288 WiFi, 4 096 mobile
	TaskDelay       time.Duration // per-queued-task delay: 1.5 s WiFi, 3 s mobile
	MaxQueued       int           // cap on the queued-task count n: 5
	MaxRecvLen      int           // kMaxRecvLen: 65 536 bytes
	ReadWriteBase   time.Duration // base of the task timeout's read/write term: 15 s
	TaskSlack       time.Duration // added per attempt to the task timeout: 5 s
}

// Task returns a task's total timeout (TaskProfile::ComputeTaskTimeout):
//
//	task = (ReadWriteBase + max(spc, 0) + TaskSlack) × (retries + 1)
//	if 0 < total < task: task = total
//
// spc is the server process cost (negative = unknown), retries the
// normalised retry count (≥ 0) and total the task's total_timeout (≤ 0 =
// none). The default task (spc unknown, one retry) gets 40 s.
func Task(p Params, spc time.Duration, retries int, total time.Duration) time.Duration {
	d := (p.ReadWriteBase + max(spc, 0) + p.TaskSlack) * time.Duration(retries+1)
	if total > 0 && total < d {
		d = total
	}
	return d
}

// FirstPacket returns the first-packet timeout of one send
// (__FirstPkgTimeout), with n = min(queued, MaxQueued) and len the request
// body length in bytes:
//
//	spc > 0: spc + 1000·len/MinRate ms + n·TaskDelay          (no cap)
//	else:    min(Base + 1000·len/MinRate ms, Max) + n·TaskDelay
//
// Mars's "excellent network" branch is not here: it depends on the
// network's recent history, so the engine takes it after this formula
// (dyntimeout.Tracker.FirstPacket: 7 s WiFi, 10 s mobile, for a task with a
// server process cost of 0 once the network is excellent). A 100-byte body
// with nothing else in flight gets 12 008 ms on WiFi.
func FirstPacket(p Params, spc time.Duration, bodyLen, queued int) time.Duration {
	n := time.Duration(min(max(queued, 0), p.MaxQueued))
	lenTerm := rateTerm(bodyLen, p.MinRate)
	if spc > 0 {
		return spc + lenTerm + n*p.TaskDelay
	}
	return min(p.BaseFirstPacket+lenTerm, p.MaxFirstPacket) + n*p.TaskDelay
}

// ReadWrite returns the read/write timeout of one send (__ReadWriteTimeout):
//
//	firstPacket + 1000·MaxRecvLen/MinRate ms
//
// which is first packet + 5 333 ms on WiFi and + 16 000 ms on mobile.
func ReadWrite(p Params, firstPacket time.Duration) time.Duration {
	return firstPacket + rateTerm(p.MaxRecvLen, p.MinRate)
}

// rateTerm is Mars's integer 1000·n/rate milliseconds.
func rateTerm(n, rate int) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(1000*int64(n)/int64(rate)) * time.Millisecond
}
