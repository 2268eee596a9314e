package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/wire"
)

// linkPackets classifies incoming packets in Mars's order: identify
// answer, noop answer, push, response to a task; unknown seqs are dropped.
// Each packet's cost goes back to the link's backlog once handled; a
// push's once OnPush returned.
func (ll *longLink) linkPackets(l *longlink.Link, pkts []wire.Packet) {
	now := time.Now()
	codec := ll.cfg.Codec
	ll.o.signalActivity(now)
	for i, p := range pkts {
		if l != ll.link {
			releaseAll(l, pkts[i:])
			return // an error let this link go
		}
		switch {
		case ll.identifyPending && codec.IsIdentifyResponse(p):
			ll.identifyPending = false
			ll.heartbeatAnswered()
			ll.checkIdentifyResponse(l, p.Body)
		case codec.IsNoopResponse(p) && ll.identifyPending:
			ll.noopTimer.Reset(ll.cfg.NoopTimeout) // the identify sent after the noop still awaits its answer
		case codec.IsNoopResponse(p):
			ll.heartbeatAnswered()
		case codec.IsPush(p):
			ll.push(l, p)
			continue // the host goroutine releases it
		default:
			ll.o.response(p, now)
		}
		l.Release(longlink.Cost(p))
	}
}

// push hands p to OnPush on the host goroutine; the link reads on once the
// host has taken it (or Close dropped it).
func (ll *longLink) push(l *longlink.Link, p wire.Packet) {
	cb, name := ll.o.cb, ll.name
	ll.o.e.host.post(hostCall{
		fn:        func() { onPush(cb, name, p.CmdID, p.Body, p.Ext) },
		droppable: true,
		release:   func() { l.Release(longlink.Cost(p)) },
	})
}

// releaseAll gives the cost of packets nobody will handle back to l.
func releaseAll(l *longlink.Link, pkts []wire.Packet) {
	for _, p := range pkts {
		l.Release(longlink.Cost(p))
	}
}

// response hands a task its answer and applies Buf2Resp's verdict.
func (o *owner) response(p wire.Packet, now time.Time) {
	tk, ok := o.tasks[p.Seq]
	if !ok || !tk.running {
		o.logf(LogDebug, "long link: dropped %v (no such running task)", p)
		return
	}
	if tk.decoding {
		o.logf(LogDebug, "long link: dropped %v (a response is being decoded)", p)
		return
	}
	o.responseProgress(tk, now)
	tk.lastRecv = now
	tk.prof.ReadFinishTime = now
	tk.prof.RecvBytes = len(p.Body)
	o.askDecode(tk, ChannelLong, p.Body, p.Ext, decoded)
}

// decoded applies Buf2Resp's verdict unless tk ended or was stopped while
// the host decoded.
func decoded(o *owner, tk *task, handle, code, n int) {
	if o.tasks[tk.t.TaskID] == tk && tk.decoding {
		tk.decoding = false
		o.verdict(tk, handle, code, n, time.Now())
	}
}

// verdict applies Buf2Resp's answer for tk's response of n bytes.
func (o *owner) verdict(tk *task, handle, code, n int, now time.Time) {
	ll := tk.ll
	switch handle {
	case RespHandleNormal:
		ll.retryInterval = 0
		o.taskSucceeded(tk, n, now)
		o.end(tk, EctOK, code)
		ll.netReport(EctOK, 0, ll.linkAddr)
	case RespHandleTaskEnd:
		o.end(tk, EctEnDecode, code)
	case RespSilentTaskEnd:
		o.forget(tk)
	case RespHandleRetryAllTasks, RespHandleSessionTimeout:
		o.retryTasks(handle, code, tk.t.TaskID, tk.t.UserID, nil)
	default:
		ll.netReport(EctEnDecode, code, ll.linkAddr)
		ll.batchError(EctEnDecode, code, RespHandleDefault, tk.t.TaskID)
	}
}

// linkProgress notes that part of seq's response arrived.
func (ll *longLink) linkProgress(l *longlink.Link, seq uint32) {
	if tk, ok := ll.o.tasks[seq]; ok && tk.running && tk.link == l {
		now := time.Now()
		ll.o.responseProgress(tk, now)
		tk.lastRecv = now
		ll.o.armTaskTimer(now.Add(ll.o.pkgInterval))
	}
}

// linkWritten starts the attempt clocks of the packets just written.
func (ll *longLink) linkWritten(l *longlink.Link, seqs []uint32, at time.Time) {
	if l != ll.link {
		return
	}
	ll.lastWrite = at
	ll.o.signalActivity(at)
	for _, seq := range seqs {
		tk, ok := ll.o.tasks[seq]
		if !ok || !tk.running || tk.link != l || !tk.sentAt.IsZero() {
			continue
		}
		tk.sentAt = at
		tk.prof.StartSendTime = at
		ll.o.armTaskTimer(at.Add(tk.firstPkt))
	}
}
