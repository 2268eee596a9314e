package engine_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/wire"
)

// TestLoopbackSignallingKeeperReachesMarsdOverUDP: KeepSignalling while
// connected to 127.0.0.1:P sends 20-byte cmdid-243 datagrams to
// 127.0.0.1:P over a real UDP socket, and StopSignalling ends
// them.
func TestLoopbackSignallingKeeperReachesMarsdOverUDP(t *testing.T) {
	connected := make(chan struct{}, 16)
	signals := make(chan wire.Packet, 1000)
	srv := startMarsdWith(t, marsd.Config{OnPacket: func(conn uint64, p wire.Packet) {
		if conn == 0 {
			signals <- p
			return
		}
		select {
		case connected <- struct{}{}:
		default:
		}
	}})
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{}, cb)
	e.MakesureLonglinkConnected()
	select {
	case <-connected:
	case <-time.After(loopTimeout):
		t.Fatal("the long link did not connect")
	}
	e.SetSignallingStrategy(50*time.Millisecond, time.Hour)
	e.KeepSignalling()
	for i := range 3 {
		select {
		case p := <-signals:
			if p.CmdID != wire.SignallingCmdID || p.Seq != 0 || len(p.Body) != 0 {
				t.Fatalf("datagram %d: %+v", i, p)
			}
		case <-time.After(loopTimeout):
			t.Fatalf("only %d datagrams arrived", i)
		}
	}
	e.StopSignalling()
	// HasTask is a query: it returns once the owner has processed the stop.
	// Then drain the datagrams already in flight.
	e.HasTask(0)
	for drain := time.After(200 * time.Millisecond); ; {
		select {
		case <-signals:
			continue
		case <-drain:
		}
		break
	}
	select {
	case p := <-signals:
		t.Fatalf("datagram %+v after StopSignalling", p)
	case <-time.After(300 * time.Millisecond):
	}
	if st := srv.Stats(); st.Signals < 3 || st.BadSignals != 0 {
		t.Fatalf("marsd counted %d signals, %d bad", st.Signals, st.BadSignals)
	}
}

// lineLogger keeps the warnings it is given.
type lineLogger struct{ lines chan string }

func (l lineLogger) Enabled(level engine.LogLevel) bool { return level >= engine.LogWarn }
func (l lineLogger) Log(_ engine.LogLevel, msg string) {
	select {
	case l.lines <- msg:
	default:
	}
}

// Behind a proxy the keeper is off and says so: no datagram goes to the
// proxy's address (the link's peer) nor around the proxy to the server.
func TestLoopbackSignallingIsOffBehindAProxy(t *testing.T) {
	signals := make(chan wire.Packet, 1000)
	srv := startMarsdWith(t, marsd.Config{OnPacket: func(conn uint64, p wire.Packet) {
		if conn == 0 {
			signals <- p
		}
	}})
	proxy, _ := connectProxy(t)
	udp, err := net.ListenPacket("udp", proxy) // the proxy's own address, over UDP
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	log := lineLogger{make(chan string, 64)}
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{Logger: log, SignallingPeriod: 10 * time.Millisecond,
		Proxy: &engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: proxy}}, cb)
	tk := longTask(e, 7)
	e.StartTask(tk)
	wantOutcome(t, cb, outcome{tk.TaskID, engine.EctOK, 0}) // connected through the proxy
	e.KeepSignalling()
	for deadline := time.After(loopTimeout); ; {
		select {
		case l := <-log.lines:
			if !strings.Contains(l, "signalling: off behind a proxy") {
				continue
			}
		case <-deadline:
			t.Fatal("KeepSignalling did not say it is off")
		}
		break
	}
	udp.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, _, err := udp.ReadFrom(make([]byte, 64)); err == nil {
		t.Fatalf("a %d-byte datagram went to the proxy's address", n)
	}
	select {
	case p := <-signals:
		t.Fatalf("a datagram went around the proxy to the server: %+v", p)
	default:
	}
}
