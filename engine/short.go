package engine

import (
	"cmp"
	"context"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/mars-go/mars/engine/internal/reconnect"
	"github.com/mars-go/mars/engine/internal/timeout"
)

// Short-link tasks: every task runs its own attempt at once (no
// concurrency limit, as Mars); the HTTP round trip runs on a goroutine of
// its own and reports to the owner, which runs Req2Buf/Buf2Resp, the
// timeouts and the retries. Short tasks never touch the long link:
// they live in shortState, not in owner.tasks.

// shortState is the owner's short-link bookkeeping.
type shortState struct {
	tasks     map[uint32]*shortTask
	transport ShortLinkTransport
	closeIdle func()      // drops kept-alive connections; nil with a custom transport
	timer     *time.Timer // fires in the owner loop (onShortTimer)
	timerAt   time.Time
	gen       uint64 // attempt counter; results of older attempts are dropped
	// idle holds the tasks with no attempt in flight and not parked, the
	// only ones runShorts has to look at: a burst of running tasks costs it
	// nothing.
	idle      map[uint32]*shortTask
	parked    map[uint32]*shortTask // zombies (short_zombie.go)
	runNeeded bool                  // the owner loop calls runShorts
	order     []*shortTask          // runShorts's scratch (it never nests)
}

// inFlight counts the tasks with an attempt in flight.
func (s *shortState) inFlight() int { return len(s.tasks) - len(s.idle) - len(s.parked) }

// shortTask is one task on the short link.
type shortTask struct {
	*task               // the record shared with long tasks (profile, timeouts, retries), made by StartTask
	gen       uint64    // the running attempt's number
	cancel    func()    // ends the running attempt
	retryAt   time.Time // no new attempt before
	freeRetry bool      // a session-timeout retry was already given
}

func (o *owner) initShort() {
	o.sl.tasks = make(map[uint32]*shortTask)
	o.sl.timer = newStoppedTimer()
	o.sl.idle = make(map[uint32]*shortTask)
	o.sl.parked = make(map[uint32]*shortTask)
	o.sl.transport = o.e.cfg.ShortLink
	if o.sl.transport == nil {
		b := newBuiltinShortLink(o)
		o.sl.transport, o.sl.closeIdle = b, b.t.CloseIdle
	}
}

// startShort queues a validated task on the short link and starts it, in
// the record rec.
func (o *owner) startShort(rec *task, t Task, ref TaskRef, now time.Time) {
	if t.SendOnly {
		o.reportEnd(ref, t, now, EctLocal, EctLocalStartTaskFail, nil) // shortlink_task_manager.cc:88-92
		return
	}
	*rec = o.newTask(t, ref, now)
	st := &shortTask{task: rec}
	st.timeout = o.shortTimeout(t, t.RetryCount, millis(t.TotalTimeout))
	st.prof.TaskTimeout, st.prof.Channel = st.timeout, ChannelShort
	o.sl.tasks[t.TaskID], o.sl.idle[t.TaskID] = st, st
	o.armShortAt(st.start.Add(st.timeout))
	if t.ChannelSelect&ChannelLong != 0 && o.foreground && now.Sub(o.fgChange) <= DefaultLongLinkWakeWindow {
		if ll := o.links[t.ChannelName]; ll != nil {
			ll.wantConnect(reconnect.TaskTrigger) // StartTask step 5: the long link is wanted too
		}
	}
	o.runShorts(now)
}

// shortTimeout is a short task's whole limit: a long task's, or for
// long polling its polling timeout plus slack; total caps either.
func (o *owner) shortTimeout(t Task, retries int, total time.Duration) time.Duration {
	if !t.LongPolling {
		return timeout.Task(o.tp, millis(t.ServerProcessCost), retries, total)
	}
	d := millis(t.LongPollingTimeout) + o.tp.TaskSlack
	if total > 0 && total < d {
		d = total
	}
	return d
}

// runShorts starts an attempt for every short task that may go now, in
// priority then start order, and arms the short timer for the rest.
func (o *owner) runShorts(now time.Time) {
	if len(o.sl.idle) == 0 {
		return
	}
	o.sl.order = sortShorts(o.sl.order[:0], o.sl.idle)
	defer func() { clear(o.sl.order) }() // hold no ended task
	for _, st := range o.sl.order {
		if o.sl.tasks[st.t.TaskID] != st || st.running || st.building {
			continue // ended by an earlier task's step, running, or at the host
		}
		if now.Before(st.retryAt) {
			continue
		}
		o.askShortAttempt(st, firstOf(st.t.ShortLinkHostList))
	}
	for _, st := range o.sl.idle {
		o.armShortAt(o.shortDeadline(st, now)) // retry pause or auth poll
	}
}

// askShortAttempt has the host check auth and build st's next attempt
// (host_tasks.go); st stays in the idle set meanwhile (it is not in
// flight), and runShorts passes it by.
func (o *owner) askShortAttempt(st *shortTask, host string) {
	st.building = true
	o.askHostAttempt(st.task, ChannelShort, host, true, func(o *owner, _ *task, r attemptReply) {
		if o.sl.tasks[st.t.TaskID] != st || !st.building {
			return // stopped, timed out or parked meanwhile
		}
		st.building = false
		now := time.Now()
		st.authWait = !r.authed
		switch {
		case !r.authed:
			o.setShortRunning(st, false) // back to idle, polled again
			o.armShortAt(o.shortDeadline(st, now))
		case !r.ok:
			o.endShort(st, EctEnDecode, r.code)
		default:
			o.sendShort(st, host, r.body, now)
		}
	})
}

// sendShort hands the attempt of st the host built (body) to the transport.
func (o *owner) sendShort(st *shortTask, host string, body []byte, now time.Time) {
	if o.limited(st.task, body, now) {
		o.endShort(st, EctLocal, EctLocalAntiAvalanche)
		return
	}
	st.firstPkt = timeout.FirstPacket(o.tp, millis(st.t.ServerProcessCost), len(body), o.sl.inFlight())
	st.firstPkt = o.dynamicFirstPacket(st.task, st.firstPkt)
	first := st.firstPkt
	if st.t.LongPolling {
		first = millis(st.t.LongPollingTimeout) // shortlink.cc:1226-1230
	}
	st.readWrite = timeout.ReadWrite(o.tp, first)
	o.sl.gen++
	st.gen = o.sl.gen
	o.setShortRunning(st, true)
	st.sentAt, st.lastRecv = time.Time{}, time.Time{}
	st.sendBytes = len(body)
	st.attempts++
	st.prof.Attempts, st.prof.SendBytes, st.prof.FirstPkgTimeout = st.attempts, len(body), st.firstPkt
	st.prof.StartSendTime, st.prof.ConnectIP, st.prof.ConnectPort = time.Time{}, "", 0
	ctx, cancel := context.WithCancel(context.Background())
	st.cancel = cancel
	req := o.shortRequest(st, host, body)
	tr, e, id, gen := o.sl.transport, o.e, st.t.TaskID, st.gen
	e.wg.Go(func() {
		defer cancel()
		resp, err := tr.RoundTrip(ctx, req)
		e.runOnOwner(func(o *owner) { o.shortDone(id, gen, resp, err) })
	})
}

// shortRequest is the attempt as the transport sees it, with the address
// settings of the moment.
func (o *owner) shortRequest(st *shortTask, host string, body []byte) *ShortLinkRequest {
	s := o.settings
	debug := s.DebugIPs[host]
	if debug == "" {
		debug = s.ShortLinkDebug
	}
	req := &ShortLinkRequest{TaskID: st.t.TaskID, Host: host, Cgi: st.t.Cgi, Headers: st.t.Headers, Body: body,
		Port: s.ShortLinkPort, DebugIP: debug, BackupIPs: slices.Clone(s.BackupIPs[host]),
		progress: shortProgress{e: o.e, id: st.t.TaskID, gen: st.gen}}
	req.Progress = &req.progress
	if o.sl.closeIdle != nil { // the built-in transport
		req.scores, req.race, req.inactive = o.scores.Clone(), o.raceConfig(), !o.active
	}
	return req
}

// endShort reports st's outcome and removes it, unless it is parked.
func (o *owner) endShort(st *shortTask, typ ErrType, code int) {
	if o.parkShort(st, typ, code) {
		return
	}
	o.dropShort(st)
	o.reportEnd(st.ref, st.t, time.Now(), typ, code, st.task)
}

// dropShort removes st without callbacks, ending its attempt.
func (o *owner) dropShort(st *shortTask) {
	o.cancelShort(st)
	delete(o.sl.tasks, st.t.TaskID)
	delete(o.sl.idle, st.t.TaskID)
	delete(o.sl.parked, st.t.TaskID)
	if len(o.sl.tasks) == 0 {
		o.stopShortTimer()
	}
}

// cancelShort ends st's running attempt, if any; its result is ignored.
func (o *owner) cancelShort(st *shortTask) {
	if st.cancel != nil {
		st.cancel()
		st.cancel = nil
	}
	o.setShortRunning(st, false)
	st.gen = 0
	st.building, st.decoding = false, false // a host answer still out is ignored
}

// setShortRunning is the only writer of st.running, keeping the idle set.
func (o *owner) setShortRunning(st *shortTask, running bool) {
	if running || st.pol.parked {
		delete(o.sl.idle, st.t.TaskID)
	} else {
		o.sl.idle[st.t.TaskID] = st
	}
	st.running = running
}

// retryShort applies one attempt's failure (__SingleRespHandle): the
// task ends when no retry is left or the handle says so; otherwise it
// spends a retry and goes again after pause.
func (o *owner) retryShort(st *shortTask, typ ErrType, code, handle int, pause time.Duration) {
	o.netCheckShort(typ, code)
	if st.remain <= 0 || handle == RespHandleTaskEnd || handle == RespHandleTaskTimeout {
		o.endShort(st, typ, code)
		return
	}
	st.remain--
	o.cancelShort(st)
	st.retryAt = time.Now().Add(pause)
	o.armShortAt(st.retryAt)
}

// sortedShorts lists the short tasks by priority, then start order.
func (o *owner) sortedShorts() []*shortTask { return sortShorts(nil, o.sl.tasks) }

// sortShorts appends the tasks of m to dst by priority, then start order.
func sortShorts(dst []*shortTask, m map[uint32]*shortTask) []*shortTask {
	out := slices.Grow(dst, len(m))
	for _, st := range m {
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b *shortTask) int {
		if a.t.Priority != b.t.Priority {
			return a.t.Priority - b.t.Priority
		}
		return cmp.Compare(a.order, b.order)
	})
	return out
}

// splitAddr turns "ip:port" into the profile's fields.
func splitAddr(addr string) (string, int) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, 0
	}
	p, _ := strconv.Atoi(port)
	return host, p
}
