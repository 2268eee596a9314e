package http1

import (
	"io"
	"net"
	"testing"
	"testing/synctest"
	"time"
)

// pair is one connection's two ends; the server end reads until closed
// and reports the close on closed.
func pair(t *testing.T) (client net.Conn, server net.Conn, closed chan struct{}) {
	t.Helper()
	client, server = net.Pipe()
	closed = make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, server)
		close(closed)
	}()
	t.Cleanup(func() { _ = server.Close() })
	return client, server, closed
}

func TestPoolReusesNewestAndHonoursIdleTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p Pool
		p.MaxPerKey = 2
		a, _, aClosed := pair(t)
		b, _, bClosed := pair(t)
		p.Put("h", a, 5*time.Second)
		p.Put("h", b, time.Second)
		if c, ok := p.Get("h"); !ok || c != b {
			t.Fatalf("got %v, %v; want the newest connection", c, ok)
		}
		if _, ok := p.Get("other"); ok {
			t.Fatal("a connection for another key")
		}
		time.Sleep(5 * time.Second) // a's idle time ends
		synctest.Wait()
		select {
		case <-aClosed:
		default:
			t.Fatal("the idle connection outlived its idle time")
		}
		select {
		case <-bClosed:
			t.Fatal("a connection taken from the pool was closed")
		default:
		}
		if _, ok := p.Get("h"); ok {
			t.Fatal("an expired connection was handed out")
		}
		_ = b.Close()
	})
}

func TestPoolClosesOldestOverTheLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p Pool // one per key
		a, _, aClosed := pair(t)
		b, _, _ := pair(t)
		p.Put("h", a, time.Minute)
		p.Put("h", b, time.Minute)
		synctest.Wait()
		select {
		case <-aClosed:
		default:
			t.Fatal("the oldest connection stayed past MaxPerKey")
		}
		p.CloseIdle()
		if _, ok := p.Get("h"); ok {
			t.Fatal("CloseIdle left a connection")
		}
	})
}

// A connection the server closed, or wrote to unasked, while it was idle
// is not handed out.
func TestPoolSkipsClosedAndChattyConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p Pool
		p.MaxPerKey = 3
		good, _, _ := pair(t)
		gone, goneServer, _ := pair(t)
		chatty, chattyServer := net.Pipe()
		p.Put("h", good, time.Minute)
		p.Put("h", gone, time.Minute)
		p.Put("h", chatty, time.Minute)
		_ = goneServer.Close()
		go func() { _, _ = chattyServer.Write([]byte("x")) }()
		synctest.Wait()
		if c, ok := p.Get("h"); !ok || c != good {
			t.Fatalf("got %v, %v; want the one live, quiet connection", c, ok)
		}
		_ = chattyServer.Close()
		_ = good.Close()
	})
}
