package engine

import (
	"net"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
)

// reconnectRule is the part of the reconnect policy a drop falls under.
type reconnectRule int

const (
	// ruleAuto: a kept link is reconsidered ReconnectDelay after the drop
	// and connects no sooner than AutoConnectInterval after the previous
	// connect started (auto trigger, foreground < 1 min).
	ruleAuto reconnectRule = iota
	// ruleAfresh: as ruleAuto, with the previous connect forgotten (Reset).
	ruleAfresh
	// ruleAtOnce: the cause reconnects itself, at once (network change,
	// RedoTasks: interval 0).
	ruleAtOnce
)

// nextConnect is when the policy starts the next connect of a kept link
// that dropped at drop, the previous connect having started at prev.
func (rule reconnectRule) nextConnect(drop, prev time.Time) time.Time {
	switch rule {
	case ruleAtOnce:
		return drop
	case ruleAfresh:
		return drop.Add(DefaultReconnectDelay)
	}
	at := drop.Add(DefaultReconnectDelay)
	if floor := prev.Add(DefaultAutoConnectInterval); floor.After(at) {
		return floor
	}
	return at
}

// upLong is how long a case keeps the link up before dropping it, so that
// both branches of ruleAuto are covered: drops before it (the heartbeat
// ones) wait for the interval, drops after it for ReconnectDelay only.
const upLong = DefaultAutoConnectInterval

// dropCase is one way a kept long link can end. drop makes it happen on a
// connected link and returns the instant the engine let it go.
type dropCase struct {
	name    string
	rule    reconnectRule
	prepare func(r *rig)                             // before the connect
	connect func(r *rig) *wiretest.Peer              // default r.connect
	drop    func(r *rig, p *wiretest.Peer) time.Time // returns the drop instant
}

// closedByEngine waits for the engine to close p and returns when it did.
func closedByEngine(p *wiretest.Peer) time.Time {
	p.WantClosed()
	return time.Now()
}

var dropCases = []dropCase{
	taskDrop("first-packet timeout", 0, nil, EctNetMsgXP, EctLongFirstPkgTimeout),
	taskDrop("packet-packet timeout", 0, func(_ *rig, p *wiretest.Peer, tk Task) {
		p.SendRaw(append(header(20, testVersion, 7, tk.TaskID, 100), make([]byte, 10)...))
	}, EctNetMsgXP, EctLongPkgPkgTimeout),
	taskDrop("read-write timeout", 0, func(r *rig, p *wiretest.Peer, tk Task) {
		p.SendRaw(header(20, testVersion, 7, tk.TaskID, 1000))
		stop := make(chan struct{})
		r.t.Cleanup(func() { close(stop) })
		go trickle(p.Conn(), 5*time.Second, stop) // never a pkg-pkg gap, never done
	}, EctNetMsgXP, EctLongReadWriteTimeout),
	taskDrop("task timeout", 5*time.Second, nil, EctLocal, EctLocalTaskTimeout),
	heartbeatDrop("noop unanswered", false),
	heartbeatDrop("identify unanswered", true),
	engineDrop("decode error", ruleAuto, func(r *rig, p *wiretest.Peer) {
		p.SendRaw(header(20, testVersion+1, 7, 1, 0))
	}),
	engineDrop("oversize packet", ruleAuto, func(r *rig, p *wiretest.Peer) {
		p.SendRaw(header(20, testVersion, 7, 1, 1<<20))
	}),
	buf2RespDrop("Buf2Resp -1", RespHandleDefault),
	buf2RespDrop("Buf2Resp retry all", RespHandleRetryAllTasks),
	engineDrop("Reset", ruleAfresh, func(r *rig, _ *wiretest.Peer) { r.e.Reset() }),
	engineDrop("ClearTasks", ruleAuto, func(r *rig, _ *wiretest.Peer) { r.e.ClearTasks() }),
	engineDrop("RedoTasks", ruleAtOnce, func(r *rig, _ *wiretest.Peer) { r.e.RedoTasks() }),
	engineDrop("network change", ruleAtOnce, func(r *rig, _ *wiretest.Peer) { r.e.OnNetworkChange(NetworkWiFi) }),
	{name: "peer close", drop: func(r *rig, p *wiretest.Peer) time.Time {
		time.Sleep(upLong)
		p.Close()
		return time.Now()
	}},
	{name: "peer close soon after connect", drop: func(r *rig, p *wiretest.Peer) time.Time {
		time.Sleep(5 * time.Second)
		p.Close()
		return time.Now()
	}},
	{name: "write error", drop: func(r *rig, p *wiretest.Peer) time.Time {
		time.Sleep(upLong)
		p.Conn().(*fakenet.Conn).FailPeerWrites(syscall.EPIPE)
		tk := r.task(7)
		tk.RetryCount = 0
		r.start(tk)
		at := closedByEngine(p)
		r.wantEnd(tk.TaskID, EctSocket, int(syscall.EPIPE))
		return at
	}},
}

// trickle writes a byte every gap until stop.
func trickle(c net.Conn, gap time.Duration, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(gap):
			_, _ = c.Write([]byte{1}) // fails once the engine closed
		}
	}
}

// engineDrop: after upLong, act makes the engine close the link.
func engineDrop(name string, rule reconnectRule, act func(*rig, *wiretest.Peer)) dropCase {
	return dropCase{name: name, rule: rule, drop: func(r *rig, p *wiretest.Peer) time.Time {
		time.Sleep(upLong)
		act(r, p)
		return closedByEngine(p)
	}}
}

// heartbeatDrop: the heartbeat slot right after connect sends a noop or,
// when the host asks for one, an identify request; it is never answered, so
// the link drops NoopTimeout later, before upLong.
func heartbeatDrop(name string, identify bool) dropCase {
	want := (*wiretest.Peer).WantNoop
	c := dropCase{name: name, drop: func(r *rig, p *wiretest.Peer) time.Time { return closedByEngine(p) }}
	if identify {
		want = (*wiretest.Peer).WantIdentify
		c.prepare = func(r *rig) {
			r.rec.identify = func() (IdentifyMode, []byte, []byte, uint32) {
				return IdentifyCheckNow, []byte("who"), []byte("h"), 55
			}
		}
	}
	c.connect = func(r *rig) *wiretest.Peer {
		r.e.MakesureLonglinkConnected()
		p := r.accept()
		want(p)
		return p
	}
	return c
}

// taskDrop is a drop a task causes: after upLong a no-retry task with the
// whole-task limit total is sent, the peer answers it with answer (nil:
// silence), and the engine drops the link as the task ends (typ, code).
func taskDrop(name string, total time.Duration, answer func(*rig, *wiretest.Peer, Task), typ ErrType, code int) dropCase {
	return dropCase{name: name, drop: func(r *rig, p *wiretest.Peer) time.Time {
		time.Sleep(upLong)
		tk := r.task(7)
		tk.RetryCount = 0
		tk.TotalTimeout = total
		r.start(tk)
		p.WantPacket(7)
		if answer != nil {
			answer(r, p, tk)
		}
		at := closedByEngine(p)
		r.wantEnd(tk.TaskID, typ, code)
		return at
	}}
}

// buf2RespDrop is the drop Buf2Resp returning handle causes.
func buf2RespDrop(name string, handle int) dropCase {
	c := taskDrop(name, 0, func(_ *rig, p *wiretest.Peer, tk Task) {
		p.Reply(wire.Packet{CmdID: tk.CmdID, Seq: tk.TaskID}, nil)
	}, EctEnDecode, 5)
	c.prepare = func(r *rig) {
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) { return handle, 5 }
	}
	return c
}

// TestEveryDropOfAKeptLinkReconnectsByThePolicy drops a kept long link in
// every way it can end and checks that the next connect starts exactly when
// the reconnect policy says, whoever closed the link and why.
func TestEveryDropOfAKeptLinkReconnectsByThePolicy(t *testing.T) {
	for _, c := range dropCases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, Config{})
				if c.prepare != nil {
					c.prepare(r)
				}
				connect := c.connect
				if connect == nil {
					connect = (*rig).connect
				}
				prev := time.Now()
				p := connect(r)
				p.Timeout = time.Hour
				<-r.net.Dialed() // the first connect
				dropped := c.drop(r, p)
				select {
				case <-r.net.Dialed():
				case <-time.After(time.Hour):
					t.Fatalf("no reconnect within an hour of the drop at %v", dropped.Sub(prev))
				}
				want, got := c.rule.nextConnect(dropped, prev), time.Now()
				if !got.Equal(want) {
					t.Fatalf("reconnect started %v after the drop, want %v", got.Sub(dropped), want.Sub(dropped))
				}
				t.Logf("dropped %v after the connect, reconnected %v later", dropped.Sub(prev), got.Sub(dropped))
			})
		})
	}
}
