package wiretest

import (
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var codec = wire.NewMars(200)

// client is the engine's side in these tests: raw codec over a conn.
type client struct {
	t    *testing.T
	conn net.Conn
	s    *wire.Stream
}

func (c *client) send(p wire.Packet) {
	c.t.Helper()
	b, _ := codec.Append(nil, p)
	if _, err := c.conn.Write(b); err != nil {
		c.t.Error(err) // send runs on helper goroutines: no Fatal
	}
}

// recv returns the next packet, or an empty one after reporting an error
// (it may run on a helper goroutine).
func (c *client) recv() wire.Packet {
	c.t.Helper()
	buf := make([]byte, 4096)
	for {
		if p, ok, err := c.s.Next(); err != nil || ok {
			if err != nil {
				c.t.Error(err)
			}
			return p
		}
		n, err := c.conn.Read(buf)
		if err != nil {
			c.t.Error(err)
			return wire.Packet{}
		}
		_, _ = c.s.Write(buf[:n])
	}
}

func pipePair(t *testing.T) (*Peer, *client) {
	a, b := net.Pipe()
	t.Cleanup(func() { _ = b.Close() })
	return NewPeer(t, a, codec), &client{t: t, conn: b, s: wire.NewStream(codec)}
}

func TestPeerScriptInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		peer, c := pipePair(t)
		go c.send(wire.Packet{CmdID: 7, Seq: 1, Body: []byte("abc")})
		req := peer.WantPacket(7)
		if string(req.Body) != "abc" || req.Seq != 1 {
			t.Fatalf("got %v %q", req, req.Body)
		}
		replies := make(chan wire.Packet, 1)
		go func() { replies <- c.recv() }()
		peer.Reply(req, []byte("ok"))
		if r := <-replies; r.Seq != 1 || string(r.Body) != "ok" {
			t.Fatalf("reply %v %q", r, r.Body)
		}

		go c.send(codec.Noop())
		peer.WantNoop()
		go c.send(wire.Identify(99, []byte("id")))
		if id := peer.WantIdentify(); id.CmdID != 99 {
			t.Fatalf("identify %v", id)
		}

		start := time.Now()
		peer.WantNothing(3 * time.Second)
		if got := time.Since(start); got != 3*time.Second {
			t.Fatalf("WantNothing took %v of virtual time", got)
		}

		go func() { _ = c.conn.Close() }()
		peer.WantClosed()
	})
}

func TestPeerPushOverLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	srv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	peer := NewPeer(t, srv, codec)
	c := &client{t: t, conn: conn, s: wire.NewStream(codec)}
	peer.Push(10001, []byte("hello"))
	if p := c.recv(); p.Seq != 0 || p.CmdID != 10001 || string(p.Body) != "hello" {
		t.Fatalf("push %v %q", p, p.Body)
	}
	c.send(wire.Packet{CmdID: 8, Seq: 2})
	c.send(wire.Packet{CmdID: 9, Seq: 3})
	peer.WantPacket(8)
	peer.WantPacket(9)
}

// fakeTB records the first failure and stops the goroutine like t.Fatal.
type fakeTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// expectFailure runs step against a fresh peer whose TB is fake and returns
// the failure message.
func expectFailure(t *testing.T, step func(p *Peer, c *client)) string {
	var msg string
	synctest.Test(t, func(t *testing.T) {
		a, b := net.Pipe()
		defer b.Close()
		ftb := &fakeTB{TB: t}
		p := NewPeer(t, a, codec) // cleanup registered on the real t
		p.t = ftb
		c := &client{t: t, conn: b, s: wire.NewStream(codec)}
		done := make(chan struct{})
		go func() {
			defer close(done)
			step(p, c)
		}()
		<-done
		ftb.mu.Lock()
		msg = ftb.msg
		ftb.mu.Unlock()
	})
	return msg
}

func TestPeerFailures(t *testing.T) {
	cases := []struct {
		name string
		step func(p *Peer, c *client)
		want string
	}{
		{"timeout", func(p *Peer, c *client) { p.WantPacket(7) }, "no packet within 10s"},
		{"wrong cmd", func(p *Peer, c *client) {
			go c.send(wire.Packet{CmdID: 8, Seq: 1})
			p.WantPacket(7)
		}, "want cmdid 7"},
		{"not a noop", func(p *Peer, c *client) {
			go c.send(wire.Packet{CmdID: 6, Seq: 1})
			p.WantNoop()
		}, "want noop"},
		{"not identify", func(p *Peer, c *client) {
			go c.send(wire.Packet{CmdID: 6, Seq: 1})
			p.WantIdentify()
		}, "want an identify"},
		{"unexpected packet", func(p *Peer, c *client) {
			go c.send(wire.Packet{CmdID: 5, Seq: 1})
			p.WantNothing(time.Second)
		}, "want nothing"},
		{"not closed", func(p *Peer, c *client) { p.WantClosed() }, "still open"},
		{"packet before close", func(p *Peer, c *client) {
			go c.send(wire.Packet{CmdID: 5, Seq: 1})
			p.WantClosed()
		}, "want the connection closed"},
		{"closed while waiting", func(p *Peer, c *client) {
			go func() { _ = c.conn.Close() }()
			p.Next()
		}, "connection ended"},
		{"corrupt stream", func(p *Peer, c *client) {
			go func() { _, _ = c.conn.Write(make([]byte, 20)) }()
			p.Next()
		}, "corrupt stream"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := expectFailure(t, tc.step)
			if !strings.Contains(msg, tc.want) {
				t.Fatalf("failure message %q, want it to contain %q", msg, tc.want)
			}
		})
	}
}
