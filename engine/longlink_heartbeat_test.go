package engine

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
)

func TestFirstNoopGoesOutRightAfterConnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		start := time.Now()
		r.e.MakesureLonglinkConnected()
		p := r.accept()
		p.WantNoop()
		if d := time.Since(start); d != 0 {
			t.Fatalf("first noop after %v, want at connect", d)
		}
	})
}

func TestNoopFollowsWriteIdlenessOfTheInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		p.Timeout = time.Hour
		t0 := time.Now()
		time.Sleep(100 * time.Second)
		tk := r.start(r.task(7))
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		p.ReplyNoop(p.WantNoop())
		if d := time.Since(t0); d != 310*time.Second {
			t.Fatalf("noop %v after connect, want 310s (210s after the task's write)", d)
		}
		p.WantNoop()
		if d := time.Since(t0); d != 520*time.Second {
			t.Fatalf("next noop %v after connect, want 520s", d)
		}
	})
}

func TestUnansweredNoopClosesLinkAfterEightSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: 5 * time.Second})
		p := r.connect()
		tk := r.task(7)
		tk.RetryCount = 0
		tk.ServerProcessCost = 30 * time.Second // keep the first-packet limit out of the way
		r.start(tk)
		p.WantPacket(7)
		sent := time.Now()
		p.WantNoop() // not answered
		if d := time.Since(sent); d != 5*time.Second {
			t.Fatalf("noop %v after the last write, want 5s", d)
		}
		got := r.wantEnd(tk.TaskID, EctSocket, EctSocketRecvErr)
		if d := got.at.Sub(sent); d != 13*time.Second {
			t.Fatalf("link closed %v after the write, want 5s + 8s", d)
		}
		p.WantClosed()
	})
}

func TestIdentifyReplacesNoopAndSucceedsOncePerConnection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: 5 * time.Second})
		r.rec.identify = func() (IdentifyMode, []byte, []byte, uint32) {
			return IdentifyCheckNow, []byte("X"), []byte("H"), 55
		}
		tk := r.start(r.task(7)) // data queued when the link comes up
		r.e.MakesureLonglinkConnected()
		p := r.accept()
		req := p.WantPacket(7) // the waiting task goes first
		id := p.WantIdentify() // the identify check goes behind it
		if id.CmdID != 55 || string(id.Body) != "X" {
			t.Fatalf("identify %v %q", id, id.Body)
		}
		p.Send(wire.Packet{CmdID: 55, Seq: wire.IdentifySeq, Body: []byte("ok")})
		p.Reply(req, nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		if !slices.Contains(r.rec.logged(), "identify-resp default-longlink ok H") {
			t.Fatalf("identify response not delivered: %q", r.rec.logged())
		}
		p.ReplyNoop(p.WantNoop()) // checked: the next slot is a plain noop
		if n := count(r.rec.logged(), "identify?"); n != 1 {
			t.Fatalf("asked %d times on one connection, want 1", n)
		}
		p.Close()
		p2 := r.accept() // the kept link reconnects
		p2.WantIdentify()
		if n := count(r.rec.logged(), "identify?"); n != 2 {
			t.Fatalf("asked %d times over two connections, want 2", n)
		}
	})
}

// taggedIdentifyCodec builds its own identify request (wire.IdentifyBuilder):
// the host's buffer behind a tag.
type taggedIdentifyCodec struct{ wire.Mars }

func (taggedIdentifyCodec) Identify(cmdID uint32, body []byte) wire.Packet {
	return wire.Packet{CmdID: cmdID, Seq: wire.IdentifySeq, Body: append([]byte("id:"), body...)}
}

func TestIdentifyIsBuiltByTheCodecWhenItHasABuilder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{Codec: taggedIdentifyCodec{wire.Mars{ClientVersion: testVersion}}})
		r.rec.identify = func() (IdentifyMode, []byte, []byte, uint32) {
			return IdentifyCheckNow, []byte("X"), []byte("H"), 55
		}
		r.e.MakesureLonglinkConnected()
		p := r.accept()
		if id := p.WantIdentify(); id.CmdID != 55 || string(id.Body) != "id:X" {
			t.Fatalf("identify %v %q, want cmd 55 body %q from the codec's builder", id, id.Body, "id:X")
		}
	})
}

func TestIdentifyNextAsksEverySlotAndNeverAsksOnce(t *testing.T) {
	for _, c := range []struct {
		mode IdentifyMode
		asks int
	}{{IdentifyCheckNext, 3}, {IdentifyCheckNever, 1}} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, Config{HeartbeatInterval: 5 * time.Second})
			r.rec.identify = func() (IdentifyMode, []byte, []byte, uint32) { return c.mode, nil, nil, 0 }
			r.e.MakesureLonglinkConnected()
			p := r.accept()
			for range 3 {
				p.ReplyNoop(p.WantNoop())
			}
			if n := count(r.rec.logged(), "identify?"); n != c.asks {
				t.Fatalf("mode %d: asked %d times in 3 slots, want %d", c.mode, n, c.asks)
			}
		})
	}
}

func TestIdleEngineHasNoTimerWakeups(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		synctest.Wait()
		start := r.e.wakeups.Load()
		time.Sleep(24 * time.Hour)
		if n := r.e.wakeups.Load() - start; n != 0 {
			t.Fatalf("%d owner wake-ups in an idle day without a link", n)
		}
		p := r.connect()
		synctest.Wait()
		start = r.e.wakeups.Load()
		p.Timeout = time.Hour
		for range 4 {
			p.ReplyNoop(p.WantNoop())
		}
		synctest.Wait()
		// Per slot: the heartbeat timer, the noop's write report and its answer.
		if n := r.e.wakeups.Load() - start; n > 4*3 {
			t.Fatalf("%d owner wake-ups over 4 heartbeats, want at most 12", n)
		}
	})
}

func count(log []string, prefix string) int {
	n := 0
	for _, l := range log {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

func TestLateHeartbeatGetsTheShortNoopTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: time.Minute})
		p := r.connect()
		p.Timeout = time.Hour
		// The owner stalls for 20 minutes (a device asleep): the heartbeat
		// due after one minute runs 19 minutes late.
		synctest.Wait() // the connect noop's answer is in
		r.e.runOnOwner(func(*owner) { time.Sleep(20 * time.Minute) })
		p.WantNoop() // not answered
		sent := time.Now()
		p.WantClosed()
		if d := time.Since(sent); d != 5*time.Second {
			t.Fatalf("late noop timed out after %v, want 5s", d)
		}
	})
}

func TestNegativeIntervalSendsOnlyTheConnectNoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: -1})
		p := r.connect()
		p.WantNothing(24 * time.Hour)
	})
}

// A host callback that blocks for longer than the heartbeat interval and
// the noop timeout does not stop the engine's clock: the heartbeat goes out
// on time and its missing answer closes the link on time.
func TestBlockedCallbackDoesNotStopTheHeartbeat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		block func(r *rig, p *wiretest.Peer)
	}{
		{"OnPush", func(r *rig, p *wiretest.Peer) {
			r.rec.onPush = func(wire.Packet) { time.Sleep(20 * time.Minute) }
			p.Push(10001, nil)
		}},
		{"OnTaskEnd", func(r *rig, p *wiretest.Peer) {
			r.rec.onEnd = func(ended) { time.Sleep(20 * time.Minute) }
			tk := r.task(1)
			tk.SendOnly = true
			r.start(tk)
			p.WantPacket(1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, Config{HeartbeatInterval: time.Minute})
				p := r.connect()
				p.Timeout = time.Hour
				start := time.Now()
				tc.block(r, p)
				p.WantNoop() // not answered
				if d := time.Since(start); d != time.Minute {
					t.Fatalf("heartbeat after %v, want 1m", d)
				}
				sent := time.Now()
				p.WantClosed()
				if d := time.Since(sent); d != DefaultNoopTimeout {
					t.Fatalf("unanswered noop closed the link after %v, want %v", d, DefaultNoopTimeout)
				}
			})
		})
	}
}

// A host busy in another callback cannot hold the heartbeat: when the
// identify buffer has not come IdentifyAnswerWait after the connect slot,
// the slot's noop goes alone, and the identify request follows when the
// host answers. The noop's answer does not end the wait for the
// identify's: unanswered, it closes the link NoopTimeout later.
func TestSlowIdentifyBufferLetsTheNoopGoFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		gate := make(chan struct{})
		r.rec.identify = func() (IdentifyMode, []byte, []byte, uint32) {
			<-gate
			return IdentifyCheckNow, []byte("X"), []byte("H"), 55
		}
		r.e.MakesureLonglinkConnected()
		p := r.accept()
		start := time.Now()
		noop := p.WantNoop()
		if d := time.Since(start); d != IdentifyAnswerWait {
			t.Fatalf("noop %v after connect while the host was busy, want %v", d, IdentifyAnswerWait)
		}
		close(gate)
		if id := p.WantIdentify(); id.CmdID != 55 || string(id.Body) != "X" {
			t.Fatalf("identify %v %q", id, id.Body)
		}
		p.ReplyNoop(noop)
		synctest.Wait()
		answered := time.Now()
		p.WantClosed() // the identify is never answered
		if d := time.Since(answered); d != DefaultNoopTimeout {
			t.Fatalf("unanswered identify closed the link %v after the noop's answer, want %v", d, DefaultNoopTimeout)
		}
	})
}

// A connect slot holds its noop back for the tasks waiting to go first;
// when the host is too busy to build them (and to answer the identify
// question behind them), the noop still goes IdentifyAnswerWait after the
// connect, so the new link is not silent until the host is free.
func TestBusyHostAtConnectStillGetsTheNoopOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		gate := make(chan struct{})
		r.rec.onReq2Buf = func(TaskRef) ([]byte, int, bool) { <-gate; return []byte("req"), 0, true }
		tk := r.start(r.task(7))
		p := r.accept()
		start := time.Now()
		p.WantNoop()
		if d := time.Since(start); d != IdentifyAnswerWait {
			t.Fatalf("noop %v after connect with the host busy, want %v", d, IdentifyAnswerWait)
		}
		close(gate)
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
	})
}
