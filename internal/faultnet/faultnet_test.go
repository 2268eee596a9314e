package faultnet

import (
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestBlackholeConnectHangsUntilItsTimeout(t *testing.T) {
	b, err := NewBlackhole()
	if err != nil {
		t.Skip("no blackhole on this platform:", err)
	}
	defer b.Close()
	_, err = net.DialTimeout("tcp", b.Addr(), 300*time.Millisecond)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("dial %v, want a timeout", err)
	}
}

func TestRefusedAddrRefuses(t *testing.T) {
	a, err := RefusedAddr()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := net.Dial("tcp", a); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial %v, want ECONNREFUSED", err)
	}
}

func echo(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { io.Copy(c, c); c.Close() })
		}
	})
	return l.Addr().String()
}

func roundTrip(t *testing.T, addr string, n int) (time.Duration, error) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	go c.Write(make([]byte, n))
	_, err = io.ReadFull(c, make([]byte, n))
	return time.Since(start), err
}

func TestLatencyDelaysEachDirection(t *testing.T) {
	p, err := NewProxy(echo(t), Faults{Latency: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	d, err := roundTrip(t, p.Addr(), 10)
	if err != nil || d < 100*time.Millisecond {
		t.Fatalf("round trip %v %v, want at least 2 × 50 ms", d, err)
	}
}

func TestBandwidthPacesBytes(t *testing.T) {
	p, err := NewProxy(echo(t), Faults{Bandwidth: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	d, err := roundTrip(t, p.Addr(), 16<<10)
	if err != nil || d < 200*time.Millisecond {
		t.Fatalf("16 KiB echoed in %v %v, want about 250 ms at 64 KiB/s", d, err)
	}
}

func TestResetRateOneResetsEveryConnection(t *testing.T) {
	p, err := NewProxy(echo(t), Faults{ResetRate: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := roundTrip(t, p.Addr(), 10); !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) {
		t.Fatalf("err %v, want a reset", err)
	}
	if acc, reset := p.Stats(); acc != 1 || reset != 1 {
		t.Fatalf("stats %d %d", acc, reset)
	}
}

func TestStallHoldsDataUntilLifted(t *testing.T) {
	p, err := NewProxy(echo(t), Faults{Stall: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("x"))
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("data passed a stalled proxy")
	}
	p.SetFaults(Faults{})
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatalf("after the stall: %v", err)
	}
}

// forwarded returns a proxy to an echo server and a connection through it
// that has carried one byte each way.
func forwarded(t *testing.T) (*Proxy, net.Conn) {
	t.Helper()
	p, err := NewProxy(echo(t), Faults{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.Write([]byte("x"))
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	return p, c
}

func TestCloseConnsDropsForwardedConnections(t *testing.T) {
	p, c := forwarded(t)
	p.CloseConns()
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("connection survived CloseConns")
	}
}

func TestResetConnsResetsForwardedConnections(t *testing.T) {
	p, c := forwarded(t)
	p.ResetConns()
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("read after ResetConns: %v, want ECONNRESET", err)
	}
}
