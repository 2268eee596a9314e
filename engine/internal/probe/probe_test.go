package probe

import (
	"context"
	"errors"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var codec = wire.NewMars(200)

// serve answers the next connection to l with the packets answer returns
// for the request it reads.
func serve(t *testing.T, l *fakenet.Listener, answer func(wire.Packet) []wire.Packet) {
	c, err := l.Accept()
	if err != nil {
		return
	}
	defer c.Close()
	s := wire.NewStream(codec)
	buf := make([]byte, 256)
	for {
		if p, ok, _ := s.Next(); ok {
			var out []byte
			for _, a := range answer(p) {
				out, _ = codec.Append(out, a)
			}
			c.Write(out)
			c.Read(buf) // wait for the client to hang up
			return
		}
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		s.Write(buf[:n])
	}
}

func TestNoopAnswerPassesAfterOutOfBand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		l := n.Listen("a:1")
		defer l.Close()
		go serve(t, l, func(p wire.Packet) []wire.Packet {
			return []wire.Packet{{CmdID: wire.OutOfBandCmdID}, p}
		})
		if err := Noop(context.Background(), n, "a:1", codec, 10*time.Second, nil); err != nil {
			t.Fatal(err)
		}
	})
}

func TestOtherAnswerFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		l := n.Listen("a:1")
		defer l.Close()
		go serve(t, l, func(wire.Packet) []wire.Packet { return []wire.Packet{{CmdID: 9, Seq: 0}} })
		if err := Noop(context.Background(), n, "a:1", codec, 10*time.Second, nil); !errors.Is(err, ErrNoAnswer) {
			t.Fatalf("err %v, want ErrNoAnswer", err)
		}
	})
}

func TestSilentServerTimesOutAndRefusedFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		l := n.Listen("a:1")
		defer l.Close()
		go func() {
			c, _ := l.Accept()
			if c != nil {
				defer c.Close()
				c.Read(make([]byte, 64))
				c.Read(make([]byte, 64))
			}
		}()
		start := time.Now()
		if err := Noop(context.Background(), n, "a:1", codec, 10*time.Second, nil); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err %v, want the deadline", err)
		}
		if d := time.Since(start); d != 10*time.Second {
			t.Fatalf("gave up after %v, want 10s", d)
		}
		if err := Noop(context.Background(), n, "b:1", codec, time.Second, nil); err == nil {
			t.Fatal("a refused probe passed")
		}
	})
}

func TestWrapRunsBeforeTheNoopAndItsFailureFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		l := n.Listen("a:1")
		defer l.Close()
		go serve(t, l, func(p wire.Packet) []wire.Packet { return []wire.Packet{p} })
		wrapped := false
		wrap := func(_ context.Context, c net.Conn) (net.Conn, error) { wrapped = true; return c, nil }
		if err := Noop(context.Background(), n, "a:1", codec, 10*time.Second, wrap); err != nil || !wrapped {
			t.Fatalf("err %v, wrapped %v", err, wrapped)
		}
		bad := errors.New("handshake failed")
		go serve(t, l, func(p wire.Packet) []wire.Packet { return []wire.Packet{p} })
		fail := func(context.Context, net.Conn) (net.Conn, error) { return nil, bad }
		if err := Noop(context.Background(), n, "a:1", codec, 10*time.Second, fail); !errors.Is(err, bad) {
			t.Fatalf("err %v, want the wrap's", err)
		}
	})
}
