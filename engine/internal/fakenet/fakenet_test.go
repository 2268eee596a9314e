package fakenet

import (
	"context"
	"errors"
	"io"
	"os"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestWriteDoesNotWaitForReader(t *testing.T) {
	a, b := Pair("a", "b")
	defer a.Close()
	defer b.Close()
	for range 100 {
		if _, err := a.Write(make([]byte, 1000)); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 200000)
	n, err := io.ReadFull(b, buf[:100000])
	if err != nil || n != 100000 {
		t.Fatalf("read %d, %v", n, err)
	}
}

func TestPeerCloseGivesEOFAfterData(t *testing.T) {
	a, b := Pair("a", "b")
	a.Write([]byte("hi"))
	a.Close()
	got, err := io.ReadAll(b)
	if err != nil || string(got) != "hi" {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
	if _, err := b.Write([]byte("x")); err == nil {
		t.Fatal("write to a closed peer succeeded")
	}
}

func TestReadDeadlineExpiresOnVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := Pair("a", "b")
		defer a.Close()
		defer b.Close()
		start := time.Now()
		b.SetReadDeadline(start.Add(3 * time.Second))
		_, err := b.Read(make([]byte, 1))
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Fatalf("deadline fired after %v", d)
		}
	})
}

func TestDialerRefusesHoldsAndBlackholes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := NewNetwork()
		if _, err := n.DialContext(t.Context(), "tcp", "nowhere:1"); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("dial to no listener: %v", err)
		}
		l := n.Listen("srv:1")
		defer l.Close()
		n.Hold("srv:1")
		done := make(chan error, 1)
		go func() {
			c, err := n.DialContext(t.Context(), "tcp", "srv:1")
			if c != nil {
				defer c.Close()
			}
			done <- err
		}()
		synctest.Wait()
		select {
		case <-done:
			t.Fatal("held dial finished before Resume")
		default:
		}
		n.Resume("srv:1")
		if err := <-done; err != nil {
			t.Fatalf("resumed dial: %v", err)
		}
		srv, _ := l.Accept()
		srv.Close()

		n.Blackhole("black:1")
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		start := time.Now()
		if _, err := n.DialContext(ctx, "tcp", "black:1"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("blackhole dial: %v", err)
		}
		if d := time.Since(start); d != 10*time.Second {
			t.Fatalf("blackhole gave up after %v", d)
		}
		if n.Dials("black:1") != 1 {
			t.Fatal("dial not counted")
		}
	})
}

func TestFailPeerWritesFailsTheirWritesButNotTheirReads(t *testing.T) {
	a, b := Pair("a", "b")
	defer a.Close()
	defer b.Close()
	b.FailPeerWrites(syscall.EPIPE)
	if _, err := a.Write([]byte("x")); !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("write after FailPeerWrites = %v, want EPIPE", err)
	}
	if _, err := b.Write([]byte("hi")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 2)
	if _, err := io.ReadFull(a, got); err != nil || string(got) != "hi" {
		t.Fatalf("read %q, %v", got, err)
	}
}
