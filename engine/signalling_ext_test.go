package engine_test

import (
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/engine/wire"
	"github.com/mars-go/mars/marsd"
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
