package sdt

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/mars-go/mars/wire"
	"golang.org/x/sys/unix"
)

// testTimeout bounds what must happen in a real-socket test (STYLE (d)1).
const testTimeout = 10 * time.Second

// shortTimeout is the per-check timeout of tests that expect a timeout on a
// real socket: the check's own deadline, not a sleep.
const shortTimeout = 300 * time.Millisecond

// acceptingListener accepts and closes every connection until the test ends.
func acceptingListener(t *testing.T) string {
	return serveLoopback(t, func(c net.Conn) { c.Close() })
}

// serveLoopback listens on 127.0.0.1 and hands each accepted connection, one
// at a time, to serve until the test ends; it returns the address.
func serveLoopback(t testing.TB, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

// refusedAddr is a loopback address where nothing listens: a port that was
// just bound and released.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// blackholeAddr is a listener whose accept queue is full: it listens with
// backlog 0, never accepts, and is filled until a further connect times out,
// so a connect to it hangs like one to a host that drops SYNs.
func blackholeAddr(t *testing.T) string {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		unix.Close(fd)
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 0); err != nil {
		unix.Close(fd)
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "blackhole")
	ln, err := net.FileListener(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	addr := ln.Addr().String()
	for range 16 {
		c, err := net.DialTimeout("tcp", addr, shortTimeout)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return addr // the queue is full
			}
			t.Fatalf("filling the accept queue: %v", err)
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Fatal("accept queue never filled")
	return ""
}

// noopServer is a long-link server on loopback: it reads packets with the
// test client version and answers the first noop with the bytes of
// answer(req) (nil: close the connection at once).
func noopServer(t testing.TB, answer func(wire.Packet) []byte) string {
	t.Helper()
	return serveLoopback(t, func(c net.Conn) { serveNoops(c, wire.NewMars(testClientVersion), answer) })
}

func serveNoops(c net.Conn, codec wire.Codec, answer func(wire.Packet) []byte) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	s := wire.NewStream(codec)
	buf := make([]byte, 4096)
	for {
		p, ok, err := s.Next()
		if err != nil {
			return
		}
		if !ok {
			n, err := c.Read(buf)
			_, _ = s.Write(buf[:n])
			if err != nil {
				return
			}
			continue
		}
		if !wire.IsNoopRequest(p) {
			continue
		}
		out := answer(p)
		if out == nil {
			return
		}
		if _, err := c.Write(out); err != nil {
			return
		}
		// one exchange per connection, as the probe makes; wait for its close
		_, _ = io.Copy(io.Discard, c)
		return
	}
}

// loopbackOnly is a Dialer that refuses anything but 127.0.0.1 and ::1, so
// no test can probe another address by mistake.
type loopbackOnly struct{ net.Dialer }

func (d *loopbackOnly) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, errors.New("test dialer: not a loopback address: " + addr)
	}
	return d.Dialer.DialContext(ctx, network, addr)
}

// testConfig is a Config that only reaches loopback, with timeouts long
// enough that a loaded machine never turns an expected answer into a timeout.
func testConfig() Config {
	return Config{
		Dialer:       &loopbackOnly{net.Dialer{KeepAlive: -1, Control: clampMSS}},
		TCPTimeout:   testTimeout,
		ProbeTimeout: testTimeout,
		HTTPTimeout:  testTimeout,
		PingInterval: 50 * time.Millisecond,
		PingTimeout:  testTimeout,
		SystemResolver: ResolverFunc(func(ctx context.Context, host string) ([]string, error) {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}),
	}
}

// shortTimeouts is testConfig for a test that expects a connect, probe or
// HTTP timeout on a real socket: the check's own deadline ends it.
func shortTimeouts() Config {
	cfg := testConfig()
	cfg.TCPTimeout, cfg.ProbeTimeout, cfg.HTTPTimeout = shortTimeout, shortTimeout, shortTimeout
	return cfg
}

// only returns the single result of kind k, failing the test otherwise.
func only(t *testing.T, rep *Report, k Kind) Result {
	t.Helper()
	rs := rep.Find(k)
	if len(rs) != 1 {
		t.Fatalf("want 1 %s result, got %d: %+v", k, len(rs), rep.Results)
	}
	return rs[0]
}

// encode frames packets with codec for a noopServer answer.
func encode(t testing.TB, codec wire.Codec, pkts ...wire.Packet) []byte {
	t.Helper()
	out := []byte{}
	for _, p := range pkts {
		var err error
		if out, err = codec.Append(out, p); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
