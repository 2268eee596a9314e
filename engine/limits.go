package engine

import "time"

// Anti-avalanche (§4.12): every attempt's request body passes the
// frequency limit (tasks with LimitFrequency) and, on a mobile network,
// the flow limit (tasks with LimitFlow) before it is sent. A rejected task
// ends (EctLocal, EctLocalAntiAvalanche) after ReportTaskLimited.

// Task-limited check types reported to ReportTaskLimited.
const (
	LimitFrequency = 1 // param: ms since the previous identical request
	LimitFlow      = 2 // param: the request's length in bytes
)

// limitsAllow runs the limits on tk's body; a rejection ends tk.
func (o *owner) limitsAllow(tk *task, body []byte, now time.Time) bool {
	if tk.t.LimitFrequency {
		ok, since := o.pol.freq.Check(body, now)
		if !ok {
			o.logf(LogWarn, "task %d: frequency limit (%v since the same request)", tk.t.TaskID, since)
			o.cb.ReportTaskLimited(LimitFrequency, tk.ref, int(since.Milliseconds()))
			o.end(tk, EctLocal, EctLocalAntiAvalanche)
			return false
		}
	}
	if tk.t.LimitFlow && o.network == NetworkMobile {
		o.pol.flow.SetActive(o.activeForLimits(), now)
		if !o.pol.flow.Check(len(body), now) {
			o.logf(LogWarn, "task %d: flow limit (%d bytes)", tk.t.TaskID, len(body))
			o.cb.ReportTaskLimited(LimitFlow, tk.ref, len(body))
			o.end(tk, EctLocal, EctLocalAntiAvalanche)
			return false
		}
	}
	return true
}

// activeForLimits is Mars's ActiveLogic::IsActive: foreground, or less
// than 10 minutes in the background.
func (o *owner) activeForLimits() bool { return o.active }
