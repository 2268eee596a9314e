package engine

import (
	"context"
	"errors"
	"time"
)

// shortProgress turns a transport's progress reports into owner events
// for one attempt.
type shortProgress struct {
	e   *Engine
	id  uint32
	gen uint64
}

func (p shortProgress) Connected(addr string, reused bool) {
	p.e.runOnOwner(func(o *owner) {
		if st := o.shortAttempt(p.id, p.gen); st != nil {
			st.prof.ConnectIP, st.prof.ConnectPort = splitAddr(addr)
		}
	})
}

func (p shortProgress) Sending(at time.Time) {
	p.e.runOnOwner(func(o *owner) {
		if st := o.shortAttempt(p.id, p.gen); st != nil && st.sentAt.IsZero() {
			st.sentAt, st.prof.StartSendTime = at, at
			o.armShortAt(o.shortDeadline(st, time.Now()))
		}
	})
}

func (p shortProgress) Received(n int, at time.Time) {
	p.e.runOnOwner(func(o *owner) {
		if st := o.shortAttempt(p.id, p.gen); st != nil {
			first := st.lastRecv.IsZero()
			st.lastRecv = at
			if first {
				o.armShortAt(o.shortDeadline(st, time.Now())) // pkg-pkg may end sooner than first-packet
			}
			st.prof.RecvBytes += n
			o.responseProgress(st.task, at)
		}
	})
}

// shortAttempt returns the task whose running attempt is gen, or nil for a
// stale report.
func (o *owner) shortAttempt(id uint32, gen uint64) *shortTask {
	st := o.sl.tasks[id]
	if st == nil || !st.running || st.gen != gen {
		return nil
	}
	return st
}

// shortDone takes an attempt's result (__OnResponse).
func (o *owner) shortDone(id uint32, gen uint64, body []byte, err error) {
	st := o.shortAttempt(id, gen)
	if st == nil {
		return // stopped, timed out or redone meanwhile
	}
	now := time.Now()
	st.cancel = nil
	st.prof.ReadFinishTime = now
	if err != nil {
		o.setShortRunning(st, false)
		o.shortFailed(st, err, now)
		o.runShorts(now)
		return
	}
	st.prof.RecvBytes = len(body)
	o.askDecode(st.task, ChannelShort, body, nil, func(o *owner, _ *task, handle, code, _ int) {
		if o.sl.tasks[id] != st || !st.decoding {
			return // stopped, timed out or reset meanwhile
		}
		st.decoding = false
		o.setShortRunning(st, false)
		now := time.Now()
		o.shortVerdict(st, handle, code, len(body), now)
		o.runShorts(now)
	})
}

// shortVerdict applies Buf2Resp's answer for st's response of n bytes.
func (o *owner) shortVerdict(st *shortTask, handle, code, n int, now time.Time) {
	switch handle {
	case RespHandleNormal:
		o.netCheckShort(EctOK, 0)
		o.taskSucceeded(st.task, n, now)
		o.endShort(st, EctOK, code)
	case RespHandleTaskEnd:
		o.endShort(st, EctEnDecode, code)
	case RespHandleSessionTimeout, RespHandleRetryAllTasks:
		o.retryTasks(handle, code, st.t.TaskID, st.t.UserID, st)
	default: // -1, -16 and unknown values touch only this task
		o.retryShort(st, EctEnDecode, code, RespHandleDefault, o.e.cfg.RetryInterval)
	}
}

// shortFailed applies a transport error to st.
func (o *owner) shortFailed(st *shortTask, err error, now time.Time) {
	var te TaskError
	switch {
	case errors.As(err, &te):
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		te = TaskError{EctSocket, EctSocketUserBreak}
	default:
		te = TaskError{EctSocket, EctSocketReadOnce}
	}
	o.logf(LogInfo, "task %d: short attempt %d failed (%d, %d): %v", st.t.TaskID, st.attempts, te.Type, te.Code, err)
	if te.Type == EctSocket && te.Code == EctSocketMakeSocketPrepared {
		o.pol.dyn.Failure(now)
	}
	handle := RespHandleDefault
	if te.Type == EctLocal {
		handle = RespHandleTaskEnd // the task itself is at fault: a retry cannot help
	}
	o.retryShort(st, te.Type, te.Code, handle, o.e.cfg.RetryInterval)
}

// shortRetryAll is Mars's short RetryTasks for a session timeout (-13,
// only tasks that need auth) or retry-all (-12, every running task): the
// source task, when the answer came from the short link, gets one free
// retry at once; the others spend a retry (shortlink_task_manager.cc:1019-1083).
func (o *owner) shortRetryAll(src *shortTask, handle, code int) {
	switch {
	case src == nil: // the answer came from a long link
	case !src.freeRetry:
		src.freeRetry = true
		o.cancelShort(src)
		src.retryAt = time.Time{}
	default:
		o.retryShort(src, EctEnDecode, code, RespHandleDefault, 0)
	}
	for _, st := range o.sortedShorts() {
		if st == src || !st.running || o.sl.tasks[st.t.TaskID] != st {
			continue
		}
		if handle == RespHandleSessionTimeout && !st.t.NeedAuthed {
			continue
		}
		o.retryShort(st, EctEnDecode, 0, RespHandleDefault, 0)
	}
}

// stopShort removes a short task silently; false if id is not one.
func (o *owner) stopShort(id uint32) bool {
	st, ok := o.sl.tasks[id]
	if ok {
		o.dropShort(st)
	}
	return ok
}

// clearShorts drops every short task without callbacks.
func (o *owner) clearShorts() {
	for _, st := range o.sl.tasks {
		o.dropShort(st)
	}
	o.closeIdleShorts()
}

// redoShorts is RedoTasks and a network change on the short side: every
// running attempt ends (EctLocal, EctLocalCancel), spending a
// retry, and goes again at once; kept-alive connections are dropped.
func (o *owner) redoShorts() {
	now := time.Now()
	for _, st := range o.sortedShorts() {
		if o.sl.tasks[st.t.TaskID] == st && st.running {
			o.retryShort(st, EctLocal, EctLocalCancel, RespHandleDefault, 0)
		}
	}
	o.closeIdleShorts()
	o.runShorts(now)
}

// resetShorts ends every short task (EctLocal, EctLocalReset) and drops
// kept-alive connections (Reset, Close).
func (o *owner) resetShorts() {
	for _, st := range o.sortedShorts() {
		if o.sl.tasks[st.t.TaskID] == st {
			o.endShort(st, EctLocal, EctLocalReset)
		}
	}
	o.stopShortTimer()
	o.closeIdleShorts()
}

func (o *owner) closeIdleShorts() {
	if o.sl.closeIdle != nil {
		o.sl.closeIdle()
	}
}
