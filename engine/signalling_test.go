package engine

import (
	"context"
	"net"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/wire"
)

// datagram is one write to a signalling socket.
type datagram struct {
	addr string
	at   time.Time
	b    []byte
}

// udpRecorder is a SignallingDialer whose sockets record their writes.
type udpRecorder struct{ sent chan datagram }

func (u *udpRecorder) DialContext(_ context.Context, network, addr string) (net.Conn, error) {
	a, _ := fakenet.Pair("client", addr)
	return &recordingConn{Conn: a, addr: addr, sent: u.sent}, nil
}

type recordingConn struct {
	net.Conn
	addr string
	sent chan datagram
}

func (c *recordingConn) Write(b []byte) (int, error) {
	c.sent <- datagram{c.addr, time.Now(), append([]byte(nil), b...)}
	return len(b), nil
}

// signalTimes collects the datagrams sent until everything settled.
func signalTimes(t *testing.T, u *udpRecorder, t0 time.Time) []time.Duration {
	t.Helper()
	var out []time.Duration
	for {
		select {
		case d := <-u.sent:
			p, _, err := wire.NewMars(testVersion).Parse(d.b)
			if err != nil || len(d.b) != wire.HeaderLen || p.CmdID != wire.SignallingCmdID || p.Seq != 0 || d.addr != srvAddr {
				t.Fatalf("datagram %x to %s: %v %v", d.b, d.addr, p, err)
			}
			out = append(out, d.at.Sub(t0))
		default:
			return out
		}
	}
}

func TestKeepSignallingSendsEveryFiveSecondsOfSilenceForTwentySeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		u := &udpRecorder{sent: make(chan datagram, 100)}
		r := newRig(t, Config{SignallingDialer: u})
		p := r.connect()
		p.Timeout = time.Hour
		t0 := time.Now()
		r.e.KeepSignalling()
		time.Sleep(time.Minute)
		s := time.Second
		if got, want := signalTimes(t, u, t0), []time.Duration{0, 5 * s, 10 * s, 15 * s, 20 * s}; !slices.Equal(got, want) {
			t.Fatalf("datagrams at %v, want %v", got, want)
		}
	})
}

func TestSignallingWaitsForSilenceAndStopsOnStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		u := &udpRecorder{sent: make(chan datagram, 100)}
		r := newRig(t, Config{SignallingDialer: u})
		p := r.connect()
		p.Timeout = time.Hour
		t0 := time.Now()
		r.e.KeepSignalling()
		time.Sleep(3 * time.Second)
		tk := r.start(r.task(7)) // link traffic at 3 s postpones the next datagram to 8 s
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		time.Sleep(6 * time.Second) // 9 s
		r.e.StopSignalling()
		time.Sleep(time.Minute)
		s := time.Second
		if got, want := signalTimes(t, u, t0), []time.Duration{0, 8 * s}; !slices.Equal(got, want) {
			t.Fatalf("datagrams at %v, want %v", got, want)
		}
	})
}

func TestSetSignallingStrategyChangesPeriodAndKeepTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		u := &udpRecorder{sent: make(chan datagram, 100)}
		r := newRig(t, Config{SignallingDialer: u})
		p := r.connect()
		p.Timeout = time.Hour
		r.e.SetSignallingStrategy(time.Second, 3*time.Second)
		t0 := time.Now()
		r.e.KeepSignalling()
		time.Sleep(time.Minute)
		s := time.Second
		if got, want := signalTimes(t, u, t0), []time.Duration{0, s, 2 * s, 3 * s}; !slices.Equal(got, want) {
			t.Fatalf("datagrams at %v, want %v", got, want)
		}
	})
}

func TestSignallingSendsNothingWithoutALink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		u := &udpRecorder{sent: make(chan datagram, 100)}
		r := newRig(t, Config{SignallingDialer: u})
		r.e.KeepSignalling()
		time.Sleep(time.Minute)
		if got := signalTimes(t, u, time.Now()); len(got) != 0 {
			t.Fatalf("%d datagrams without a long link", len(got))
		}
	})
}
