package marsd

import (
	"errors"
	"net"
	"testing"

	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
)

// clientAt connects a scripted peer to addr.
func clientAt(t *testing.T, addr string) *wiretest.Peer {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return wiretest.NewPeer(t, c, codec)
}

func TestExtraLongListenersServePushAndCloseOnTheirOwn(t *testing.T) {
	hook, handled := packets()
	s := start(t, Config{OnPacket: hook})
	addr, err := s.AddLongListener("b", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.LongAddrOf("b"); got != addr || s.LongAddrOf(MainListener) != s.LongAddr() {
		t.Fatalf("LongAddrOf: %q (want %q), main %q", got, addr, s.LongAddrOf(MainListener))
	}
	if _, err := s.AddLongListener("b", "127.0.0.1:0"); !errors.Is(err, ErrListenerExists) {
		t.Fatalf("second listener b: %v", err)
	}
	a, b := client(t, s), clientAt(t, addr)
	for _, p := range []*wiretest.Peer{a, b} {
		p.Send(wire.Packet{CmdID: 1, Seq: 1})
		p.WantPacket(1) // the extra listener answers like the main one
		awaitHandled(t, handled, 1)
	}
	names := map[string]bool{}
	for _, c := range s.Conns() {
		names[c.Listener] = true
	}
	if len(names) != 2 || !names[MainListener] || !names["b"] {
		t.Fatalf("connections by listener: %v", s.Conns())
	}

	if n := s.PushOn("b", 77, []byte("to b")); n != 1 {
		t.Fatalf("PushOn b reached %d connections, want 1", n)
	}
	if got := b.WantPacket(77); string(got.Body) != "to b" {
		t.Fatalf("push on b: %q", got.Body)
	}

	if n, err := s.CloseLongListener("b"); n != 1 || err != nil {
		t.Fatalf("CloseLongListener b: %d, %v", n, err)
	}
	b.WantClosed()
	if c, err := net.Dial("tcp", addr); err == nil {
		_ = c.Close()
		t.Fatal("the closed listener still accepts")
	}
	a.Send(wire.Packet{CmdID: 2, Seq: 2})
	a.WantPacket(2) // the main listener's connection carries on
	if _, err := s.CloseLongListener("b"); !errors.Is(err, ErrNoListener) {
		t.Fatalf("closing b twice: %v", err)
	}
}

// A connection the accept loop took just before CloseLongListener but
// registers after it (or after the name is opened again) is closed, not
// served or counted under the new listener.
func TestConnAcceptedBeforeCloseLongListenerIsNotServed(t *testing.T) {
	s := start(t, Config{})
	if _, err := s.AddLongListener("b", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	old := s.extra["b"]
	s.mu.Unlock()
	if _, err := s.CloseLongListener("b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddLongListener("b", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	srvSide, cliSide := net.Pipe()
	defer cliSide.Close()
	s.addConn(srvSide, "b", old) // as the old accept loop would, late
	if n := len(s.snapshot()); n != 0 {
		t.Fatalf("%d connections registered, want the late one refused", n)
	}
	if _, err := cliSide.Read(make([]byte, 1)); err == nil {
		t.Fatal("the late connection is still open")
	}
}
