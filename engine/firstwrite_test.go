package engine

import (
	"strings"
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

// With MaxInFlight 1 the second task waits until the first one's answer
// frees the slot, whatever that answer does to the first task.
func TestMaxInFlightSendsTheNextTaskTheMomentAnAnswerFreesItsSlot(t *testing.T) {
	for _, c := range []struct {
		name   string
		handle int
		typ    ErrType
		code   int
	}{{"success", RespHandleNormal, EctOK, 0}, {"Buf2Resp ends it", RespHandleTaskEnd, EctEnDecode, 3}} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, Config{MaxInFlight: 1})
				a, b := r.task(7), r.task(8)
				r.rec.onBuf2Resp = func(ref TaskRef, _ []byte) (int, int) {
					if ref.TaskID == a.TaskID {
						return c.handle, c.code
					}
					return RespHandleNormal, 0
				}
				r.start(a)
				r.start(b)
				p := r.serve()
				reqA := p.WantPacket(7)
				synctest.Wait()
				p.WantNothing(time.Second) // b waits for a's slot
				p.Reply(reqA, nil)
				answered := time.Now()
				r.wantEnd(a.TaskID, c.typ, c.code)
				p.Reply(p.WantPacket(8), nil)
				if d := time.Since(answered); d != 0 {
					t.Fatalf("b sent %v after a's answer, want at once", d)
				}
				r.wantEnd(b.TaskID, EctOK, 0)
			})
		})
	}
}

func TestNegativeMaxInFlightIsRejected(t *testing.T) {
	if _, err := New(Config{MaxInFlight: -1}, nil); err == nil || !strings.Contains(err.Error(), "MaxInFlight") {
		t.Fatalf("New = %v, want MaxInFlight named", err)
	}
}
