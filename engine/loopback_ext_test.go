package engine_test

import (
	"context"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/wire"
)

// The loopback tier: the public API against marsd on 127.0.0.1 over real
// sockets.

const loopTimeout = 10 * time.Second

type outcome struct {
	id   uint32
	typ  engine.ErrType
	code int
}

type loopCallbacks struct {
	engine.NopCallbacks
	ends   chan outcome
	pushes chan string
	body   func(engine.TaskRef) []byte
	onEnd  func(outcome)
	onPush func()
}

func (c *loopCallbacks) Req2Buf(ref engine.TaskRef, _ engine.ChannelSelect, _ string, dst []byte) ([]byte, int, bool) {
	if c.body != nil {
		return c.body(ref), 0, true
	}
	return append(dst, "ping "+strconv.Itoa(int(ref.TaskID))...), 0, true
}

func (c *loopCallbacks) OnTaskEnd(ref engine.TaskRef, typ engine.ErrType, code int, _ *engine.TaskProfile) int {
	o := outcome{ref.TaskID, typ, code}
	if c.onEnd != nil {
		c.onEnd(o)
	}
	c.ends <- o
	return 0
}

func (c *loopCallbacks) OnPush(_ string, _, _ uint32, body []byte) {
	if c.onPush != nil {
		c.onPush()
	}
	c.pushes <- string(body)
}

func startMarsd(t testing.TB) *marsd.Server {
	t.Helper()
	return startMarsdWith(t, marsd.Config{})
}

func startMarsdWith(t testing.TB, cfg marsd.Config) *marsd.Server {
	t.Helper()
	cfg.ClientVersion = marsd.DefaultClientVersion
	srv := marsd.New(cfg)
	if err := srv.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func startEngine(t testing.TB, srv *marsd.Server, cfg engine.Config, cb engine.Callbacks) *engine.Engine {
	t.Helper()
	cfg.ClientVersion = marsd.DefaultClientVersion
	e, err := engine.New(cfg, cb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	host, port, _ := net.SplitHostPort(srv.LongAddr())
	p, _ := strconv.Atoi(port)
	e.SetLonglinkSvrAddr("marsd.test", []int{p}, host)
	return e
}

func newLoopCallbacks() *loopCallbacks {
	return &loopCallbacks{ends: make(chan outcome, 1024), pushes: make(chan string, 16)}
}

func wantOutcome(t *testing.T, c *loopCallbacks, want outcome) {
	t.Helper()
	select {
	case got := <-c.ends:
		if got != want {
			t.Fatalf("OnTaskEnd %+v, want %+v", got, want)
		}
	case <-time.After(loopTimeout):
		t.Fatalf("no OnTaskEnd within %v, want %+v", loopTimeout, want)
	}
}

// longTask is a long-link-only task with Mars's defaults.
func longTask(e *engine.Engine, cmd uint32) engine.Task {
	tk := engine.NewTask(e.GenTaskID(), cmd)
	tk.ChannelSelect = engine.ChannelLong
	return tk
}

func TestLoopbackEchoTasksAndPush(t *testing.T) {
	srv := startMarsd(t)
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{}, cb)
	var ids []uint32
	for range 50 {
		tk := longTask(e, 7)
		if err := e.StartTask(tk); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.TaskID)
	}
	seen := map[uint32]bool{}
	for range ids {
		select {
		case o := <-cb.ends:
			if o.typ != engine.EctOK {
				t.Fatalf("task %d ended (%d, %d)", o.id, o.typ, o.code)
			}
			seen[o.id] = true
		case <-time.After(loopTimeout):
			t.Fatalf("only %d of %d tasks ended", len(seen), len(ids))
		}
	}
	if !e.LongLinkIsConnected() {
		t.Fatal("not connected after tasks succeeded")
	}
	if n := srv.Push(marsd.PushCmdID, []byte("news")); n != 1 {
		t.Fatalf("push reached %d connections", n)
	}
	select {
	case body := <-cb.pushes:
		if body != "news" {
			t.Fatalf("push body %q", body)
		}
	case <-time.After(loopTimeout):
		t.Fatal("no push")
	}
}

func TestLoopbackServerCloseIsRetriedOnANewConnection(t *testing.T) {
	srv := startMarsd(t)
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{
		RetryInterval: 50 * time.Millisecond, TaskConnectInterval: 10 * time.Millisecond,
	}, cb)
	closer := longTask(e, 10005) // marsd closes on this cmdid
	closer.RetryCount = 0
	e.StartTask(closer)
	wantOutcome(t, cb, outcome{closer.TaskID, engine.EctSocket, engine.EctSocketShutdown})
	ok := longTask(e, 7)
	e.StartTask(ok)
	wantOutcome(t, cb, outcome{ok.TaskID, engine.EctOK, 0})
	if got := srv.Stats().Accepted; got != 2 {
		t.Fatalf("server accepted %d connections, want 2", got)
	}
}

func TestLoopbackSilentServerFailsFirstPacket(t *testing.T) {
	srv := startMarsd(t)
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{
		BaseFirstPacketTimeout: 200 * time.Millisecond,
		MaxFirstPacketTimeout:  200 * time.Millisecond,
	}, cb)
	tk := longTask(e, 10004) // never answered
	tk.RetryCount = 0
	e.StartTask(tk)
	wantOutcome(t, cb, outcome{tk.TaskID, engine.EctNetMsgXP, engine.EctLongFirstPkgTimeout})
}

func TestLoopbackWrongVersionAnswerIsACorruptStream(t *testing.T) {
	srv := startMarsd(t)
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{}, cb)
	tk := longTask(e, 10006)
	tk.RetryCount = 0
	e.StartTask(tk)
	wantOutcome(t, cb, outcome{tk.TaskID, engine.EctNetMsgXP, engine.EctNetMsgXPHandleBufferErr})
}

func TestLoopbackCallbacksReenterTheEngine(t *testing.T) {
	srv := startMarsd(t)
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{}, cb)
	var next uint32
	cb.onEnd = func(o outcome) {
		if next == 0 {
			tk := longTask(e, 10002) // answer, then push
			next = tk.TaskID
			e.StartTask(tk)
			if !e.HasTask(tk.TaskID) {
				t.Error("HasTask from OnTaskEnd misses the task just started")
			}
		}
	}
	cb.onPush = func() { e.Reset() }
	first := longTask(e, 7)
	e.StartTask(first)
	wantOutcome(t, cb, outcome{first.TaskID, engine.EctOK, 0})
	wantOutcome(t, cb, outcome{next, engine.EctOK, 0})
	select {
	case <-cb.pushes:
	case <-time.After(loopTimeout):
		t.Fatal("no push after the push-echo task")
	}
}

func TestLoopbackCloseEndsQueuedTasks(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := startMarsdWith(t, marsd.Config{OnPacket: func(_ uint64, p wire.Packet) {
		if p.CmdID == 10004 {
			arrived <- struct{}{}
		}
	}})
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{}, cb)
	tk := longTask(e, 10004)
	e.StartTask(tk)
	select {
	case <-arrived:
	case <-time.After(loopTimeout):
		t.Fatal("request never reached marsd")
	}
	e.Close()
	wantOutcome(t, cb, outcome{tk.TaskID, engine.EctLocal, engine.EctLocalReset})
}

// capturingDialer records the connections the engine's default dialer makes.
type capturingDialer struct {
	engine.Dialer
	conns chan net.Conn
}

func (d capturingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.Dialer.DialContext(ctx, network, addr)
	if err == nil {
		d.conns <- c
	}
	return c, err
}

func TestLoopbackSocketHasNoDelayAndNoGoKeepAlive(t *testing.T) {
	srv := startMarsd(t)
	d := capturingDialer{Dialer: engine.DefaultConfig().Dialer, conns: make(chan net.Conn, 1)}
	e := startEngine(t, srv, engine.Config{Dialer: d}, newLoopCallbacks())
	e.MakesureLonglinkConnected()
	var c net.Conn
	select {
	case c = <-d.conns:
	case <-time.After(loopTimeout):
		t.Fatal("no connection")
	}
	raw, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var keepAlive, noDelay int
	raw.Control(func(fd uintptr) {
		keepAlive, _ = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_KEEPALIVE)
		noDelay, _ = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_NODELAY)
	})
	if keepAlive != 0 {
		t.Fatal("SO_KEEPALIVE is on: the heartbeat must own wake-ups")
	}
	if noDelay == 0 {
		t.Fatal("TCP_NODELAY is off")
	}
}

// trafficCallbacks sums TrafficData.
type trafficCallbacks struct {
	*loopCallbacks
	sent, recv atomic.Int64
}

func (c *trafficCallbacks) TrafficData(send, recv int64) {
	c.sent.Add(send)
	c.recv.Add(recv)
}

func TestLoopbackTrafficDataSumsEqualBytesOnTheWire(t *testing.T) {
	srv := startMarsd(t)
	cb := &trafficCallbacks{loopCallbacks: newLoopCallbacks()}
	e := startEngine(t, srv, engine.Config{}, cb)
	for range 20 {
		tk := engine.NewTask(e.GenTaskID(), 7)
		e.StartTask(tk)
		wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	}
	e.Close()   // every engine read and write has been reported once Close returns
	srv.Close() // and marsd has counted its own
	st := srv.Stats()
	if cb.sent.Load() != st.BytesIn || cb.recv.Load() != st.BytesOut {
		t.Fatalf("TrafficData sent %d recv %d, marsd read %d wrote %d",
			cb.sent.Load(), cb.recv.Load(), st.BytesIn, st.BytesOut)
	}
}

// TestLoopbackDefaultConfigThenClientVersion: the usual pattern "take the defaults, set the client version"
// must frame packets with that version (the codec is derived at New, not frozen by DefaultConfig).
func TestLoopbackDefaultConfigThenClientVersion(t *testing.T) {
	srv := startMarsd(t)
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.DefaultConfig(), cb) // startEngine sets ClientVersion after the defaults
	tk := longTask(e, 7)
	if err := e.StartTask(tk); err != nil {
		t.Fatal(err)
	}
	wantOutcome(t, cb, outcome{tk.TaskID, engine.EctOK, 0})
}
