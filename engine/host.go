package engine

import (
	"sync/atomic"

	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/internal/goid"
	"github.com/mars-go/mars/internal/mailbox"
)

// The host goroutine. Every host callback except OnNewDns (its own
// goroutine, with a deadline) and TrafficData (the I/O goroutines) runs on
// one goroutine of the engine's, in the order the owner asked for it. The
// owner never waits for the host: a callback that blocks delays the
// callbacks behind it, never the owner's sockets and timers (heartbeats,
// timeouts, reconnects keep their schedule). Calls that need an answer
// (Req2Buf, Buf2Resp, MakesureAuthed, the identify pair) post the answer
// back to the owner as an event.

// hostCall is one callback to run on the host goroutine.
type hostCall struct {
	fn func()
	// droppable calls (pushes, and work whose answer nobody will read) are
	// skipped once Close started, so Close does not wait for them.
	droppable bool
	// release runs after fn, or instead of it when the call is dropped
	// (a push gives its bytes back to the link's receive gate).
	release func()
	last    bool // the owner's final call: the host goroutine ends after it
}

// host runs host callbacks in order on one goroutine.
type host struct {
	q       *mailbox.Queue[hostCall]
	closing atomic.Bool   // Close started: droppable calls are skipped
	dropped atomic.Uint64 // droppable calls skipped
	gid     atomic.Uint64 // the host goroutine's id, for HasTask and Close
	done    chan struct{} // closed when the host goroutine has exited
	scratch []byte        // handed to Req2Buf as dst; host goroutine only
}

// reqScratchSize is the capacity of the scratch buffer handed to Req2Buf;
// bodies that fit are built without allocating.
const reqScratchSize = 4 << 10

func newHost() *host {
	return &host{q: mailbox.New[hostCall](), done: make(chan struct{}), scratch: make([]byte, 0, reqScratchSize)}
}

// post queues a call; the owner is the only poster.
func (h *host) post(c hostCall) { h.q.Post(c) }

// run is the host goroutine.
func (h *host) run() {
	defer close(h.done)
	h.gid.Store(goid.ID())
	var buf []hostCall
	for {
		<-h.q.Wake()
		buf = h.q.Drain(buf)
		for i := range buf {
			c := &buf[i]
			if c.last {
				return
			}
			if c.droppable && h.closing.Load() {
				h.dropped.Add(1)
			} else if c.fn != nil {
				c.fn()
			}
			if c.release != nil {
				c.release()
			}
		}
	}
}

// inCallback reports whether the caller runs inside a host callback, or
// on the owner goroutine: places that must not wait for the owner to end.
func (e *Engine) inCallback() bool {
	id := goid.ID()
	return id == e.host.gid.Load() || id == e.ownerGID.Load()
}

// toHost runs fn on the host goroutine, after every callback asked for
// before it.
func (o *owner) toHost(fn func()) { o.e.host.post(hostCall{fn: fn}) }

// DroppedPushes reports how many pushes were dropped undelivered because
// Close came first.
func (e *Engine) DroppedPushes() uint64 { return e.host.dropped.Load() }

// ReceiveCost is what a received packet with a body of n bytes counts
// against Config.ReceiveBacklog (its body plus a fixed overhead, so a flood
// of empty pushes is bounded too). A host queueing pushes itself, as the C
// library's poll mode does, bounds them by the same measure.
func ReceiveCost(n int) int { return longlink.BodyCost(n) }
