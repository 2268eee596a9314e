package scorecard_test

import "github.com/mars-go/mars/engine"

// outcome is how one task ended.
type outcome struct {
	id  uint32
	typ engine.ErrType
}

// netCallbacks is the scorecard's host: it sends each task's body and
// reports task ends and the long link's status on channels.
type netCallbacks struct {
	engine.NopCallbacks
	ends   chan outcome
	status chan int
	body   func(engine.TaskRef) []byte
}

func newNetCallbacks() *netCallbacks {
	return &netCallbacks{ends: make(chan outcome, 1024), status: make(chan int, 64)}
}

func (c *netCallbacks) Req2Buf(ref engine.TaskRef, _ engine.ChannelSelect, _ string, dst []byte) ([]byte, int, bool) {
	if c.body != nil {
		return c.body(ref), 0, true
	}
	return dst, 0, true
}

func (c *netCallbacks) OnTaskEnd(ref engine.TaskRef, typ engine.ErrType, _ int, _ *engine.TaskProfile) int {
	c.ends <- outcome{ref.TaskID, typ}
	return 0
}

// OnLongLinkStatusChange drops a status nobody waits for rather than
// block the engine's host goroutine.
func (c *netCallbacks) OnLongLinkStatusChange(s int) {
	select {
	case c.status <- s:
	default:
	}
}
