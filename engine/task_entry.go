package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/engine/internal/timeout"
)

// The entry both channels share: a task starts here, is routed to the long
// link (longlink_tasks.go) or the short link (short.go), and reports its
// end here.

// task is the owner's record of one started task.
type task struct {
	t       Task
	ref     TaskRef
	ll      *longLink // the long link it is bound to (Task.ChannelName)
	order   uint64
	remain  int // retries left
	start   time.Time
	timeout time.Duration // whole-task limit from start

	// Current attempt; zero values while the task is pending.
	running   bool
	link      *longlink.Link
	sentAt    time.Time // first byte written
	lastRecv  time.Time // zero until a byte of the response arrived
	firstPkt  time.Duration
	readWrite time.Duration
	attempts  int
	authWait  bool
	sendBytes int
	building  bool   // the host is building an attempt (host_tasks.go): neither pending nor running
	decoding  bool   // the host is decoding the response of the running attempt
	resp      []byte // the latest attempt's decoded response, for TaskEndResponder

	prof TaskProfile
	pol  taskPolicy // zombie parking, first byte (longlink_zombie.go)
}

// startTask validates a task and routes it to the long or the short link,
// or ends it at once. rec is the record StartTask made, holding only the
// task; the link the task goes to keeps it.
func (o *owner) startTask(rec *task, now time.Time) {
	t := rec.t
	ref := TaskRef{TaskID: t.TaskID, CmdID: t.CmdID, UserContext: t.UserContext, UserID: t.UserID, ClientSequenceID: GenSequenceID()}
	if o.hasTask(t.TaskID) {
		o.logf(LogWarn, "task %d: id already in use", t.TaskID)
		o.reportEnd(ref, t, now, EctLocal, EctLocalTaskParam, nil)
		return
	}
	t, code := o.validateTask(t)
	if code != 0 {
		o.reportEnd(ref, t, now, EctLocal, code, nil)
		return
	}
	if o.longOff {
		o.startWithoutLong(rec, t, ref, now)
		return
	}
	switch o.chooseRoute(t) {
	case routeShort:
		o.startShort(rec, t, ref, now)
		return
	case routeNone:
		o.reportEnd(ref, t, now, EctLocal, EctLocalStartTaskFail, nil)
		return
	}
	o.startLong(rec, t, ref, now)
}

// newTask is the record of a task started now, on either link: its start
// order, retries and whole-task time limit.
func (o *owner) newTask(t Task, ref TaskRef, now time.Time) task {
	o.order++
	o.pol.lastStart = now
	tk := task{t: t, ref: ref, order: o.order, remain: t.RetryCount, start: now}
	tk.timeout = timeout.Task(o.tp, millis(t.ServerProcessCost), t.RetryCount, millis(t.TotalTimeout))
	tk.prof = TaskProfile{TaskID: t.TaskID, CmdID: t.CmdID, Cgi: t.Cgi, UserID: t.UserID,
		ReportArg: t.ReportArg, StartTime: now, TaskTimeout: tk.timeout}
	return tk
}

// hasTask reports whether id is in the long or the short task table
// (parked tasks included).
func (o *owner) hasTask(id uint32) bool {
	_, long := o.tasks[id]
	_, short := o.sl.tasks[id]
	return long || short
}

// reportEnd has the host goroutine call OnTaskEnd then ReportTaskProfile.
func (o *owner) reportEnd(ref TaskRef, t Task, now time.Time, typ ErrType, code int, tk *task) {
	o.assertOwner()
	var p *TaskProfile
	var resp []byte
	if tk != nil {
		p, resp = &tk.prof, tk.resp // tk is gone after this; its record lends the profile
		if ll := tk.ll; tk.link != nil && ll != nil && tk.link == ll.link {
			p.ConnectIP, p.ConnectPort = ll.linkAddr.IP, ll.linkAddr.Port
			p.ConnectStart, p.ConnectDone = ll.connectStart, ll.connectDone
		}
	} else {
		p = &TaskProfile{TaskID: t.TaskID, CmdID: t.CmdID, Cgi: t.Cgi, UserID: t.UserID, ReportArg: t.ReportArg, StartTime: now}
	}
	p.EndTime = now
	p.ErrType, p.ErrCode = typ, code
	p.WeakNetwork = o.pol.quality.Estimate(now).WeakMarked
	prof, cb := *p, o.cb // the host reads its own copy
	o.toHost(func() {
		ret := onTaskEnd(cb, ref, typ, code, &prof, resp)
		if typ == EctOK {
			prof.ErrCode = ret
		}
		cb.ReportTaskProfile(&prof)
	})
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
