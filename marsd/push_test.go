package marsd

import (
	"errors"
	"testing"
	"time"

	"github.com/mars-go/mars/wire"
)

func TestPushEchoToSameConnection(t *testing.T) {
	s := start(t, Config{})
	c := client(t, s)
	c.Send(wire.Packet{CmdID: CmdPushEcho, Seq: 5, Body: []byte("hi")})
	if got := c.WantPacket(CmdPushEcho); got.Seq != 5 || string(got.Body) != "hi" {
		t.Fatalf("answer %v", got)
	}
	if got := c.WantPacket(PushCmdID); got.Seq != 0 || string(got.Body) != "hi" {
		t.Fatalf("push %v %q", got, got.Body)
	}
	if st := s.Stats(); st.Pushes != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestPushAllByRequest(t *testing.T) {
	hook, handled := packets()
	s := start(t, Config{OnPacket: hook})
	a, b := client(t, s), client(t, s)
	b.Send(wire.Packet{CmdID: 1, Seq: 1}) // make sure b is registered
	b.WantPacket(1)
	awaitHandled(t, handled, 1)
	a.Send(wire.Packet{CmdID: CmdPushAll, Seq: 9, Body: []byte("all")})
	a.WantPacket(CmdPushAll)
	for _, p := range []interface{ WantPacket(uint32) wire.Packet }{a, b} {
		if got := p.WantPacket(PushCmdID); got.Seq != 0 || string(got.Body) != "all" {
			t.Fatalf("push %v", got)
		}
	}
}

func TestServerPushAndPushTo(t *testing.T) {
	hook, handled := packets()
	s := start(t, Config{OnPacket: hook})
	a, b := client(t, s), client(t, s)
	for _, p := range []interface{ Send(wire.Packet) }{a, b} {
		p.Send(wire.Packet{CmdID: 1, Seq: 1})
	}
	awaitHandled(t, handled, 1)
	awaitHandled(t, handled, 1)
	a.WantPacket(1)
	b.WantPacket(1)

	if n := s.Push(77, []byte("x")); n != 2 {
		t.Fatalf("Push delivered to %d connections, want 2", n)
	}
	a.WantPacket(77)
	b.WantPacket(77)

	conns := s.Conns()
	if len(conns) != 2 || conns[0].ID >= conns[1].ID || conns[0].Remote == "" {
		t.Fatalf("Conns = %+v", conns)
	}
	// The accept order of a and b is not known; push to the first id and
	// see which peer receives it.
	if err := s.PushTo(conns[0].ID, 78, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := s.PushTo(9999, 78, nil); !errors.Is(err, ErrNoConn) {
		t.Fatalf("PushTo unknown = %v", err)
	}
	s.Push(79, nil) // a marker both receive after the targeted push
	got := 0
	for _, p := range []interface{ Next() wire.Packet }{a, b} {
		if pkt := p.Next(); pkt.CmdID == 78 {
			got++
			if string(pkt.Body) != "one" {
				t.Fatalf("PushTo body %q", pkt.Body)
			}
			if m := p.Next(); m.CmdID != 79 {
				t.Fatalf("after targeted push got %v", m)
			}
		} else if pkt.CmdID != 79 {
			t.Fatalf("got %v, want 78 or 79", pkt)
		}
	}
	if got != 1 {
		t.Fatalf("targeted push reached %d connections, want 1", got)
	}
}

func TestPushEvery(t *testing.T) {
	s := start(t, Config{PushEvery: 5 * time.Millisecond, PushBody: []byte("tick")})
	c := client(t, s)
	for range 2 {
		if got := c.WantPacket(PushCmdID); got.Seq != 0 || string(got.Body) != "tick" {
			t.Fatalf("periodic push %v %q", got, got.Body)
		}
	}
}

func TestCloseConns(t *testing.T) {
	hook, handled := packets()
	s := start(t, Config{OnPacket: hook})
	c := client(t, s)
	c.Send(wire.Packet{CmdID: 1, Seq: 1})
	awaitHandled(t, handled, 1)
	c.WantPacket(1)
	if n := s.CloseConns(); n != 1 {
		t.Fatalf("CloseConns = %d", n)
	}
	c.WantClosed()
	// The listener stays up.
	d := client(t, s)
	d.Send(wire.Packet{CmdID: 2, Seq: 1})
	d.WantPacket(2)
}

// Flood ends by itself when its time is up, even against a client that
// stopped reading (its TCP window full), and what it pushed arrives intact.
func TestFloodEndsAgainstAClientThatDoesNotRead(t *testing.T) {
	hook, handled := packets()
	s := start(t, Config{OnPacket: hook})
	c := client(t, s)
	c.Send(wire.Packet{CmdID: 1, Seq: 1})
	c.WantPacket(1)
	awaitHandled(t, handled, 1)
	n := s.Flood(78, make([]byte, 1024), 200*time.Millisecond) // c reads nothing meanwhile
	if n == 0 {
		t.Fatal("Flood pushed nothing")
	}
	if st := s.Stats(); st.Pushes != int64(n) {
		t.Fatalf("stats count %d pushes, Flood says %d", st.Pushes, n)
	}
	for range min(n, 100) {
		if got := c.WantPacket(78); got.Seq != 0 || len(got.Body) != 1024 {
			t.Fatalf("flood push %v", got)
		}
	}
}
