package engine

import (
	"testing"
	"testing/synctest"
	"time"
)

// Mars sends its first noop only when it has nothing else to send: tasks
// waiting as the link comes up are its first write, and a server that
// parses one packet per read answers them rather than a noop.
func TestTasksWaitingAtConnectGoFirstWithoutTheConnectNoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		a := r.start(r.task(7))
		b := r.start(r.task(8))
		p := r.serve()
		reqA, reqB := p.WantPacket(7), p.WantPacket(8)
		written := time.Now()
		synctest.Wait()
		p.WantNothing(time.Second) // no connect noop behind them either
		p.Reply(reqA, nil)
		p.Reply(reqB, nil)
		r.wantEnd(a.TaskID, EctOK, 0)
		r.wantEnd(b.TaskID, EctOK, 0)
		p.ReplyNoop(p.WantNoop()) // the heartbeat keeps its schedule
		if d := time.Since(written); d != DefaultHeartbeatInterval {
			t.Fatalf("first noop %v after the tasks were written, want %v", d, DefaultHeartbeatInterval)
		}
	})
}
