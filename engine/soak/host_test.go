package soak

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/wire"
)

// host is the app side of the soak: it counts every OnTaskEnd, records the
// link's story (status changes, network errors and the harness's own
// actions, in order), and can be told to be slow.
type host struct {
	engine.NopCallbacks
	chk *checker
	log func(format string, args ...any) // -log: the host's side of the story; nil: quiet

	mu       sync.Mutex
	ends     map[uint32]int
	done     map[uint32]chan struct{} // closed at a task's first OnTaskEnd
	exempt   map[uint32]bool          // stopped or cleared: no OnTaskEnd is allowed too
	timeline []mark

	status    chan struct{} // a token after each status change
	pushes    atomic.Int64
	pushBytes atomic.Int64 // packets delivered to OnPush, header included
	recvBytes atomic.Int64 // read off the long link (TrafficData)
	pushDelay atomic.Int64 // each OnPush takes this long (ns): a slow host under a flood
	marker    atomic.Pointer[markerWait]
	slow      [2]atomic.Pointer[blocker] // the next OnTaskEnd / OnPush blocks
	blocking  sync.WaitGroup             // callbacks blocked by a blocker right now
	abort     chan struct{}              // closed at the end: nothing blocks any more
}

// Which callback a blocker slows.
const (
	slowTaskEnd = 0
	slowPush    = 1
)

// mark is one entry of the link's story.
type mark struct {
	at     time.Time
	status int // OnLongLinkStatusChange, or -1
	typ    engine.ErrType
	code   int    // OnLongLinkNetworkError
	action string // a harness call that drops the link ("engine-reset", …) or a task's timeout, or ""
}

type markerWait struct {
	body []byte
	got  chan struct{}
}

// blocker makes one callback take d; started receives the moment it began.
type blocker struct {
	d       time.Duration
	started chan time.Time
}

func newHost(chk *checker) *host {
	return &host{chk: chk, ends: map[uint32]int{}, done: map[uint32]chan struct{}{}, exempt: map[uint32]bool{},
		status: make(chan struct{}, 1), abort: make(chan struct{})}
}

// started registers a task before StartTask.
func (h *host) started(id uint32) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan struct{})
	h.done[id] = ch
	return ch
}

// exemptAll marks ids (all unended tasks when ids is nil) as allowed to end
// without OnTaskEnd: StopTask and ClearTasks are about to remove them.
func (h *host) exemptAll(ids ...uint32) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ids == nil {
		for id := range h.done {
			if h.ends[id] == 0 {
				h.exempt[id] = true
			}
		}
	}
	for _, id := range ids {
		h.exempt[id] = true
	}
}

func (h *host) action(name string) {
	h.mu.Lock()
	h.timeline = append(h.timeline, mark{at: time.Now(), status: -1, action: name})
	h.mu.Unlock()
}

func (h *host) Req2Buf(ref engine.TaskRef, _ engine.ChannelSelect, _ string, dst []byte) ([]byte, int, bool) {
	if bad, _ := ref.UserContext.(bool); bad {
		return fmt.Appendf(dst, "bad-resp %d", ref.TaskID), 0, true
	}
	return fmt.Appendf(dst, "soak %d", ref.TaskID), 0, true
}

func (h *host) Buf2Resp(_ engine.TaskRef, _ engine.ChannelSelect, body []byte) (int, int) {
	if bytes.HasPrefix(body, []byte("bad-resp")) {
		return engine.RespHandleDefault, -77
	}
	return engine.RespHandleNormal, 0
}

func (h *host) OnTaskEnd(ref engine.TaskRef, typ engine.ErrType, code int, _ *engine.TaskProfile) int {
	h.mu.Lock()
	if typ == engine.EctLocal && code == engine.EctLocalTaskTimeout {
		// The batch that follows closes the link without a network error.
		h.timeline = append(h.timeline, mark{at: time.Now(), status: -1, action: "task-timeout"})
	}
	h.ends[ref.TaskID]++
	n := h.ends[ref.TaskID]
	if ch := h.done[ref.TaskID]; n == 1 && ch != nil {
		close(ch)
	}
	h.mu.Unlock()
	if h.log != nil {
		h.log("OnTaskEnd %d (%d, %d)", ref.TaskID, typ, code)
	}
	h.chk.check(invEndsOnce, n == 1, "task %d: OnTaskEnd #%d (%d, %d)", ref.TaskID, n, typ, code)
	h.block(slowTaskEnd)
	return 0
}

func (h *host) TrafficData(_, recv int64) { h.recvBytes.Add(recv) }

func (h *host) OnPush(_ string, _, _ uint32, body []byte) {
	h.pushes.Add(1)
	h.pushBytes.Add(int64(wire.HeaderLen + len(body)))
	if m := h.marker.Load(); m != nil && bytes.Equal(body, m.body) && h.marker.CompareAndSwap(m, nil) {
		close(m.got)
	}
	if d := time.Duration(h.pushDelay.Load()); d > 0 {
		h.wait(d)
	}
	h.block(slowPush)
}

func (h *host) OnLongLinkStatusChange(status int) {
	h.mu.Lock()
	h.timeline = append(h.timeline, mark{at: time.Now(), status: status})
	h.mu.Unlock()
	select {
	case h.status <- struct{}{}:
	default:
	}
}

func (h *host) OnLongLinkNetworkError(typ engine.ErrType, code int, _ string, _ int) {
	h.mu.Lock()
	h.timeline = append(h.timeline, mark{at: time.Now(), status: -1, typ: typ, code: code})
	h.mu.Unlock()
}

// block makes this callback slow if the harness asked for it.
func (h *host) block(kind int) {
	b := h.slow[kind].Swap(nil)
	if b == nil {
		return
	}
	h.blocking.Add(1)
	defer h.blocking.Done()
	b.started <- time.Now()
	h.wait(b.d)
}

// calm disarms the blockers not yet taken and waits until no callback is
// blocked by one: a callback running when Close starts is finished first
// (no callback runs after Close returns), so Close's own time bound is
// measured from a host that is merely slow, not stuck.
func (h *host) calm() {
	for i := range h.slow {
		h.slow[i].Store(nil)
	}
	h.blocking.Wait()
}

// wait is the host being busy for d: the work a slow app does, cut short
// when the run ends.
func (h *host) wait(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-h.abort:
	}
}

// lastDrop returns when the link last went down since timeline entry from,
// and why; ok is false when it did not go down.
func (h *host) lastDrop(from int) (at time.Time, cause string, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	tl := h.timeline
	for i := len(tl) - 1; i >= from; i-- {
		if tl[i].status == 3 || tl[i].status == 4 { // disconnected, connect failed
			return tl[i].at, dropCause(tl, i), true
		}
	}
	return time.Time{}, "", false
}

// dropCause names why the link went down at tl[i]. Callbacks run in
// order on the owner, so the network error that goes with the drop is the
// one right after it (a link error), else the one right before it (a
// timeout or decode error, reported before the batch closes the link),
// else the harness call or task timeout that preceded it.
func dropCause(tl []mark, i int) string {
	if tl[i].status == 4 {
		return "connect-failed"
	}
	for j := i + 1; j < len(tl) && tl[j].status < 0 && tl[j].action == ""; j++ {
		if tl[j].typ != engine.EctOK {
			return errName(tl[j].typ, tl[j].code)
		}
	}
	for j := i - 1; j >= 0 && tl[j].status < 0; j-- {
		switch {
		case tl[j].action != "":
			return tl[j].action
		case tl[j].typ != engine.EctOK:
			return errName(tl[j].typ, tl[j].code)
		}
	}
	return "unknown"
}

// errName names a link error by its (type, code) as Mars reports it.
func errName(typ engine.ErrType, code int) string {
	switch {
	case typ == engine.EctNetMsgXP && code == engine.EctLongFirstPkgTimeout:
		return "first-packet-timeout"
	case typ == engine.EctNetMsgXP && code == engine.EctLongPkgPkgTimeout:
		return "pkg-pkg-timeout"
	case typ == engine.EctNetMsgXP && code == engine.EctLongReadWriteTimeout:
		return "read-write-timeout"
	case typ == engine.EctNetMsgXP && code == engine.EctLocalTaskTimeout:
		return "task-timeout"
	case typ == engine.EctNetMsgXP && code == engine.EctNetMsgXPHandleBufferErr:
		return "decode-error"
	case typ == engine.EctEnDecode:
		return "buf2resp"
	case typ == engine.EctSocket && code == engine.EctSocketShutdown:
		return "peer-close"
	case typ == engine.EctSocket && code == engine.EctSocketRecvErr:
		return "noop-timeout"
	case typ == engine.EctSocket && code == engine.EctSocketNetworkChange:
		return "network-change"
	case typ == engine.EctSocket && code == 104: // ECONNRESET
		return "reset-by-peer"
	case typ == engine.EctSocket && code == engine.EctSocketSendErr, typ == engine.EctSocket && code == 32: // EPIPE
		return "write-error"
	}
	return fmt.Sprintf("error(%d,%d)", typ, code)
}

func (h *host) isExempt(id uint32) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.exempt[id]
}

func (h *host) timelineLen() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.timeline)
}
