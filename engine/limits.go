package engine

import "time"

// Anti-avalanche: every attempt's request body passes the
// frequency limit (tasks with LimitFrequency) and, on a mobile network,
// the flow limit (tasks with LimitFlow) before it is sent. A rejected task
// ends (EctLocal, EctLocalAntiAvalanche) after ReportTaskLimited.

// Task-limited check types reported to ReportTaskLimited.
const (
	LimitFrequency = 1 // param: ms since the previous identical request
	LimitFlow      = 2 // param: the request's length in bytes
)

// limited runs the limits on an attempt of tk carrying body. A rejection
// is logged and reported to ReportTaskLimited; the caller ends the task
// (EctLocal, EctLocalAntiAvalanche) on whichever link it runs.
func (o *owner) limited(tk *task, body []byte, now time.Time) bool {
	if tk.t.LimitFrequency {
		if ok, since := o.pol.freq.Check(body, now); !ok {
			o.logf(LogWarn, "task %d: frequency limit (%v since the same request)", tk.t.TaskID, since)
			o.reportLimited(LimitFrequency, tk.ref, int(since.Milliseconds()))
			return true
		}
	}
	if tk.t.LimitFlow && o.network == NetworkMobile {
		if !o.pol.flow.Check(len(body), now) {
			o.logf(LogWarn, "task %d: flow limit (%d bytes)", tk.t.TaskID, len(body))
			o.reportLimited(LimitFlow, tk.ref, len(body))
			return true
		}
	}
	return false
}

// reportLimited has the host goroutine call ReportTaskLimited.
func (o *owner) reportLimited(checkType int, ref TaskRef, param int) {
	cb := o.cb
	o.toHost(func() { cb.ReportTaskLimited(checkType, ref, param) })
}
