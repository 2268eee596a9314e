package dial

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/engine/internal/fakenet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// mars is Mars's long-link complex connect.
var mars = Config{Timeout: 10 * time.Second, Delay: 2500 * time.Millisecond, MaxInFlight: 3}

// timedDialer records when each address was dialled, relative to t0.
type timedDialer struct {
	*fakenet.Network
	t0     time.Time
	starts chan string
}

func (d timedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.starts <- fmt.Sprintf("%s@%v", addr, time.Since(d.t0))
	return d.Network.DialContext(ctx, network, addr)
}

func TestBlackholeThenGoodStartsSecondAfterDelayAndReportsFirstAsTimedOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		n.Blackhole("a:1")
		l := n.Listen("b:1")
		defer l.Close()
		t0 := time.Now()
		res := Race(context.Background(), n, "tcp", []string{"a:1", "b:1"}, mars)
		if res.Conn == nil || res.Winner != 1 {
			t.Fatalf("winner %d, err %v", res.Winner, res.Err)
		}
		defer res.Conn.Close()
		if d := time.Since(t0); d != 2500*time.Millisecond {
			t.Fatalf("connected after %v, want 2.5s", d)
		}
		if len(res.Failures) != 1 || res.Failures[0].Index != 0 || !res.Failures[0].Superseded ||
			res.Failures[0].Errno != int(syscall.ETIMEDOUT) || !errors.Is(res.Failures[0].Err, ErrSuperseded) {
			t.Fatalf("failures %+v", res.Failures)
		}
	})
}

func TestRefusedDoesNotAdvanceMarsScheduleButDoesWithFailFast(t *testing.T) {
	for _, tc := range []struct {
		failFast bool
		want     time.Duration
	}{{false, 2500 * time.Millisecond}, {true, 0}} {
		synctest.Test(t, func(t *testing.T) {
			n := fakenet.NewNetwork()
			l := n.Listen("b:1")
			defer l.Close()
			cfg := mars
			cfg.FailFast = tc.failFast
			t0 := time.Now()
			res := Race(context.Background(), n, "tcp", []string{"a:1", "b:1"}, cfg)
			if res.Conn == nil {
				t.Fatal(res.Err)
			}
			res.Conn.Close()
			if d := time.Since(t0); d != tc.want {
				t.Fatalf("failFast %v: connected after %v, want %v", tc.failFast, d, tc.want)
			}
			if len(res.Failures) != 1 || res.Failures[0].Errno != int(syscall.ECONNREFUSED) || res.Failures[0].Superseded {
				t.Fatalf("failures %+v", res.Failures)
			}
		})
	}
}

func TestAtMostThreeInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		for _, a := range []string{"a:1", "a:2", "a:3"} {
			n.Blackhole(a)
		}
		l := n.Listen("b:1")
		defer l.Close()
		d := timedDialer{n, time.Now(), make(chan string, 8)}
		res := Race(context.Background(), d, "tcp", []string{"a:1", "a:2", "a:3", "b:1"}, mars)
		if res.Conn == nil {
			t.Fatal(res.Err)
		}
		res.Conn.Close()
		close(d.starts)
		var got []string
		for s := range d.starts {
			got = append(got, s)
		}
		if want := []string{"a:1@0s", "a:2@2.5s", "a:3@5s", "b:1@10s"}; !slices.Equal(got, want) {
			t.Fatalf("starts %v, want %v", got, want)
		}
		if len(res.Failures) != 3 || res.Failures[0].Superseded || !res.Failures[1].Superseded || !res.Failures[2].Superseded {
			t.Fatalf("failures %+v", res.Failures)
		}
	})
}

func TestSingleBlackholeFailsAtTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		n.Blackhole("a:1")
		t0 := time.Now()
		res := Race(context.Background(), n, "tcp", []string{"a:1"}, mars)
		if res.Conn != nil || res.Err == nil || res.Winner != -1 {
			t.Fatalf("result %+v", res)
		}
		if d := time.Since(t0); d != 10*time.Second {
			t.Fatalf("failed after %v, want 10s", d)
		}
		if len(res.Failures) != 1 || res.Failures[0].Errno != int(syscall.ETIMEDOUT) {
			t.Fatalf("failures %+v", res.Failures)
		}
	})
}

func TestSixBlackholesFailAtTwentyFiveSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		var addrs []string
		for _, a := range []string{"a:1", "a:2", "a:3", "a:4", "a:5", "a:6"} {
			n.Blackhole(a)
			addrs = append(addrs, a)
		}
		t0 := time.Now()
		res := Race(context.Background(), n, "tcp", addrs, mars)
		if res.Conn != nil || len(res.Failures) != 6 {
			t.Fatalf("result %+v", res)
		}
		if d := time.Since(t0); d != 25*time.Second {
			t.Fatalf("failed after %v, want 25s (worked timeline)", d)
		}
	})
}

func TestCancelEndsEveryAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		n.Blackhole("a:1")
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(time.Second)
			cancel()
		}()
		res := Race(ctx, n, "tcp", []string{"a:1", "a:2"}, mars)
		if res.Conn != nil || !errors.Is(res.Err, context.Canceled) {
			t.Fatalf("result %+v", res)
		}
		if n.Dials("a:2") != 0 {
			t.Fatal("a candidate started after cancel")
		}
	})
}

// stubbornDialer connects once its gate opens, whatever the context says,
// so that two attempts surely both connect.
type stubbornDialer struct {
	*fakenet.Network
	gate chan struct{}
}

func (d stubbornDialer) DialContext(_ context.Context, network, addr string) (net.Conn, error) {
	<-d.gate
	return d.Network.DialContext(context.Background(), network, addr)
}

func TestSimultaneousWinnersCloseTheLoser(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := fakenet.NewNetwork()
		la, lb := n.Listen("a:1"), n.Listen("b:1")
		defer la.Close()
		defer lb.Close()
		d := stubbornDialer{n, make(chan struct{})}
		cfg := mars
		cfg.Delay = 0
		got := make(chan Result, 1)
		go func() { got <- Race(context.Background(), d, "tcp", []string{"a:1", "b:1"}, cfg) }()
		synctest.Wait()
		close(d.gate)
		res := <-got
		if res.Conn == nil {
			t.Fatal(res.Err)
		}
		defer res.Conn.Close()
		loser := la
		if res.Winner == 0 {
			loser = lb
		}
		sc, err := loser.Accept()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sc.Read(make([]byte, 1)); err != io.EOF {
			t.Fatalf("loser's server side read %v, want EOF (closed)", err)
		}
		if len(res.Failures) != 1 || !res.Failures[0].Superseded {
			t.Fatalf("failures %+v", res.Failures)
		}
	})
}

func TestNoCandidates(t *testing.T) {
	res := Race(context.Background(), fakenet.NewNetwork(), "tcp", nil, mars)
	if res.Conn != nil || res.Err == nil {
		t.Fatalf("result %+v", res)
	}
}

func TestAttemptDelayAdapts(t *testing.T) {
	const lo, first, hi = 250 * time.Millisecond, 400 * time.Millisecond, 2500 * time.Millisecond
	var a AttemptDelay
	if d := a.Delay(lo, first, hi); d != first {
		t.Fatalf("no data: %v, want the first guess %v", d, first)
	}
	if d := a.Delay(lo, 10*time.Second, hi); d != hi {
		t.Fatalf("no data, first guess above the cap: %v, want %v", d, hi)
	}
	a.Observe(time.Millisecond)
	if d := a.Delay(lo, first, hi); d != lo {
		t.Fatalf("1ms RTT: %v, want the %v floor", d, lo)
	}
	a = AttemptDelay{}
	a.Observe(300 * time.Millisecond)
	if d := a.Delay(lo, first, hi); d != 900*time.Millisecond {
		t.Fatalf("one 300ms sample: %v, want 3·RTT = 900ms", d)
	}
	for range 50 {
		a.Observe(5 * time.Second)
	}
	if d := a.Delay(lo, first, hi); d != hi {
		t.Fatalf("5s RTTs: %v, want the %v cap", d, hi)
	}
	a.Observe(-time.Second)
	if a.Samples != 51 {
		t.Fatal("a negative sample was counted")
	}
}
