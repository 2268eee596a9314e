package engine

import (
	"slices"
	"time"

	"github.com/mars-go/mars/engine/internal/reconnect"
	"github.com/mars-go/mars/engine/internal/timeout"
	"github.com/mars-go/mars/wire"
)

// Long-link tasks: the pending queue, the send loop, one attempt's result
// and the link-wide batch error. A task's record is in owner.tasks and
// bound to one longLink (Task.ChannelName).

// startLong queues a validated task on the long link its ChannelName
// names, in rec.
func (o *owner) startLong(tk *task, t Task, ref TaskRef, now time.Time) {
	*tk = o.newTask(t, ref, now)
	tk.ll = o.links[t.ChannelName]
	o.tasks[t.TaskID] = tk
	tk.ll.pending.Push(t.Priority, tk)
	o.armTaskTimer(now.Add(tk.timeout))
	o.runNeeded = true
}

// stopTask removes a task silently.
func (o *owner) stopTask(id uint32) {
	tk, ok := o.tasks[id]
	if !ok {
		return
	}
	if tk.running {
		tk.link.Cancel(id)
	}
	o.forget(tk)
}

// forget removes tk from every structure without callbacks.
func (o *owner) forget(tk *task) {
	delete(o.tasks, tk.t.TaskID)
	delete(o.pol.parked, tk.t.TaskID)
	o.detach(tk)
	if len(o.tasks) == 0 {
		o.stopTaskTimer()
	}
}

// detach takes tk out of the running count or the pending queue, wherever
// it is; a host answer for it that is still out will be ignored.
func (o *owner) detach(tk *task) {
	switch {
	case tk.running:
		setLongRunning(tk, false)
		o.runNeeded = true // its in-flight slot is free (Config.MaxInFlight)
	case tk.building:
		tk.ll.asking--
		o.runNeeded = true
	case !tk.ll.filtering:
		tk.ll.pending.Remove(tk) // inside runTasks the filter drops it
	}
	tk.building, tk.decoding = false, false
}

// clearTasks drops every task without callbacks and closes the link; a
// kept link then reconnects as after any drop.
func (o *owner) clearTasks() {
	for _, tk := range o.tasks {
		setLongRunning(tk, false)
	}
	clear(o.tasks)
	o.stopTaskTimer()
	for _, ll := range o.linkList {
		ll.pending.Clear()
		ll.asking = 0
		ll.disconnect()
	}
}

// runTasks runs the send loop of every long link, in creation order.
func (o *owner) runTasks(now time.Time) {
	for _, ll := range o.linkList {
		ll.runTasks(now)
	}
}

// runTasks sends every pending task of ll that may go now, in priority
// order, and arms the task timer for those that must wait.
func (ll *longLink) runTasks(now time.Time) {
	retryAt := ll.lastBatchErr.Add(ll.retryInterval)
	needLink := false
	ll.filtering = true
	defer func() { ll.filtering = false }()
	ll.pending.Filter(func(tk *task) bool {
		if tk.attempts > 0 && now.Before(retryAt) {
			ll.o.armTaskTimer(retryAt)
			return true
		}
		if !tk.t.NeedAuthed && ll.offChannel(tk) {
			needLink = needLink || ll.link == nil // as Mars, which asks for the link first
			ll.o.end(tk, EctLocal, EctLocalChannelID)
			return false
		}
		if ll.link == nil && !tk.t.NeedAuthed {
			needLink = true
			return true
		}
		if ll.link != nil && ll.inFlightFull() {
			return true
		}
		ll.askAttempt(tk)
		return false
	})
	if needLink {
		ll.wantConnect(reconnect.TaskTrigger)
	}
}

// send queues the attempt of tk the host built (body and extension); it
// reports false when the link is closing, leaving tk unsent.
func (ll *longLink) send(tk *task, body, ext []byte, now time.Time) bool {
	if ll.o.limited(tk, body, now) {
		ll.o.end(tk, EctLocal, EctLocalAntiAvalanche)
		return true
	}
	pkt, err := ll.cfg.Codec.Append(make([]byte, 0, wire.HeaderLen+len(body)),
		wire.Packet{CmdID: tk.t.CmdID, Seq: tk.t.TaskID, Body: body, Ext: ext})
	if err != nil {
		ll.o.logf(LogError, "task %d: cannot encode: %v", tk.t.TaskID, err)
		ll.o.end(tk, EctLocal, EctLocalStartTaskFail)
		return true
	}
	if ll.o.packetTooLarge(tk, len(pkt)) {
		ll.o.end(tk, EctLocal, EctLocalPacketTooLarge)
		return true
	}
	tk.firstPkt = timeout.FirstPacket(ll.o.tp, millis(tk.t.ServerProcessCost), len(body), ll.running)
	tk.firstPkt = ll.o.dynamicFirstPacket(tk, tk.firstPkt)
	tk.readWrite = timeout.ReadWrite(ll.o.tp, tk.firstPkt)
	if !ll.link.Send(tk.t.TaskID, pkt) {
		return false // link closing; its Closed event follows
	}
	setLongRunning(tk, true)
	tk.link = ll.link
	tk.sentAt, tk.lastRecv = time.Time{}, time.Time{}
	tk.sendBytes = len(body)
	tk.attempts++
	tk.prof.Channel = ChannelLong
	tk.prof.Attempts = tk.attempts
	tk.prof.SendBytes = len(body)
	tk.prof.FirstPkgTimeout = tk.firstPkt
	if tk.t.SendOnly {
		ll.o.end(tk, EctOK, 0)
	}
	return true
}

// setLongRunning is the only writer of tk.running and of its link's
// running count, which the in-flight limit and the first-packet timeout read.
func setLongRunning(tk *task, running bool) {
	if tk.running == running {
		return
	}
	tk.running = running
	if running {
		tk.ll.running++
	} else {
		tk.ll.running--
	}
}

// end reports tk's outcome and removes it.
func (o *owner) end(tk *task, typ ErrType, code int) {
	if o.park(tk, typ, code) {
		return
	}
	o.forget(tk)
	o.reportEnd(tk.ref, tk.t, time.Now(), typ, code, tk)
}

// singleResult applies one attempt's outcome (__SingleRespHandle): end on
// success, no retries left, RespHandleTaskEnd or RespHandleTaskTimeout;
// otherwise spend a retry and queue the task again.
func (o *owner) singleResult(tk *task, typ ErrType, code, handle int) {
	if typ == EctOK || tk.remain <= 0 || handle == RespHandleTaskEnd || handle == RespHandleTaskTimeout {
		o.end(tk, typ, code)
		return
	}
	tk.remain--
	setLongRunning(tk, false)
	tk.link, tk.decoding = nil, false
	tk.sentAt, tk.lastRecv = time.Time{}, time.Time{}
	tk.ll.pending.Push(tk.t.Priority, tk)
	o.runNeeded = true
}

// batchError applies a link-wide error to every running task
// (__BatchErrorRespHandle): the source task (or all, when src is 0)
// gets code, the others 0. It then sets the retry pause and closes the link
// where Mars does.
func (ll *longLink) batchError(typ ErrType, code, handle int, src uint32) {
	victims := make([]*task, 0, ll.running)
	for _, tk := range ll.o.tasks {
		if tk.ll == ll && tk.running && !tk.decoding { // a response in the host's hands is no longer the link's
			victims = append(victims, tk)
		}
	}
	sortByOrder(victims)
	for _, tk := range victims {
		if _, still := ll.o.tasks[tk.t.TaskID]; !still || !tk.running || tk.decoding {
			continue // a callback stopped it meanwhile
		}
		c := 0
		if src == 0 || tk.t.TaskID == src {
			c = code
		}
		ll.o.singleResult(tk, typ, c, handle)
	}
	ll.lastBatchErr = time.Now()
	if typ != EctLocal {
		ll.retryInterval = ll.cfg.RetryInterval
	}
	switch {
	case handle == RespHandleRetryAllTasks || handle == RespHandleSessionTimeout:
		ll.retryInterval = 0
		ll.disconnect()
	case handle == RespHandleDefault && typ != EctDns && typ != EctSocket && typ != EctCanceld:
		ll.disconnect()
	case typ == EctNetMsgXP:
		ll.disconnect()
	}
}

func sortByOrder(ts []*task) {
	slices.SortFunc(ts, func(a, b *task) int {
		switch {
		case a.order < b.order:
			return -1
		case a.order > b.order:
			return 1
		}
		return 0
	})
}
