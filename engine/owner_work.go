package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/wire"
)

// ownerWork is one piece of work for the owner goroutine, posted to the
// engine's inbox by an API call, a link, dial or probe goroutine, or the
// host goroutine with a callback's answer. Most work is a closure
// (runOnOwner); a task start and a finished dial are small typed values that
// also say how to let go of what they carry when the engine closed first.
type ownerWork interface {
	runOn(o *owner)
}

// droppable is work that holds something to hand back when the owner
// closes before running it: a task owed its OnTaskEnd, a connection.
type droppable interface {
	drop(o *owner)
}

// ownerFunc is a closure run on the owner.
type ownerFunc func(o *owner)

func (f ownerFunc) runOn(o *owner) { f(o) }

// runOnOwner runs fn on the owner goroutine; false once the engine closed.
func (e *Engine) runOnOwner(fn func(o *owner)) bool {
	return e.post(ownerFunc(fn))
}

// runOnOwnerWait runs fn on the owner and waits for it (the owner never waits
// for callbacks, so callbacks may wait too). It reports false when the
// engine closed first.
func (e *Engine) runOnOwnerWait(fn func(o *owner)) bool {
	done := make(chan struct{})
	if !e.runOnOwner(func(o *owner) { fn(o); close(done) }) {
		return false
	}
	select {
	case <-done:
		return true
	case <-e.done:
		return false
	}
}

// askOwner runs fn on the owner and returns its answer, or closed when the
// engine closed first (runOnOwnerWait).
func askOwner[T any](e *Engine, closed T, fn func(o *owner) T) T {
	v := closed
	e.runOnOwnerWait(func(o *owner) { v = fn(o) })
	return v
}

// startWork starts a task; its record is made by StartTask, so the inbox
// carries a pointer and the owner fills the record in place.
type startWork struct{ tk *task }

func (w startWork) runOn(o *owner) { o.startTask(w.tk, time.Now()) }

// drop ends a task posted before the inbox closed: it still gets its one
// OnTaskEnd.
func (w startWork) drop(o *owner) {
	t := w.tk.t
	o.reportEnd(TaskRef{TaskID: t.TaskID, CmdID: t.CmdID, UserContext: t.UserContext, UserID: t.UserID},
		t, time.Now(), EctLocal, EctLocalReset, nil)
}

// dialWork reports a finished connect to the link that asked for it.
type dialWork struct {
	ll *longLink
	r  *dialResult
}

func (w dialWork) runOn(*owner) { w.ll.dialDone(w.r) }

func (w dialWork) drop(*owner) {
	if w.r.conn != nil {
		_ = w.r.conn.Close() // nobody will use it
	}
}

// linkEvents adapts a link's reports into work for the owner.
type linkEvents struct {
	e  *Engine
	ll *longLink
}

func (le linkEvents) Received(l *longlink.Link, pkts []wire.Packet) {
	ll := le.ll
	le.e.runOnOwner(func(*owner) { ll.linkPackets(l, pkts) })
}

func (le linkEvents) Progress(l *longlink.Link, seq uint32) {
	ll := le.ll
	le.e.runOnOwner(func(*owner) { ll.linkProgress(l, seq) })
}

func (le linkEvents) Written(l *longlink.Link, seqs []uint32, _ int, at time.Time) {
	ll := le.ll
	le.e.runOnOwner(func(*owner) { ll.linkWritten(l, seqs, at) })
}

func (le linkEvents) Closed(l *longlink.Link, why longlink.Reason) {
	ll := le.ll
	le.e.runOnOwner(func(*owner) { ll.linkClosed(l, why) })
}
