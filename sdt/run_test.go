package sdt

import (
	"context"
	"encoding/json"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// blockingResolver answers only when its context ends, and says when it
// has been called.
func blockingResolver(called chan<- struct{}) Resolver {
	return ResolverFunc(func(ctx context.Context, _ string) ([]string, error) {
		select {
		case called <- struct{}{}:
		default:
		}
		<-ctx.Done()
		return nil, ctx.Err()
	})
}

func TestOverallTimeoutHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.SystemResolver = blockingResolver(nil)
		cfg.DNSTimeout = time.Hour
		const overall = 7 * time.Second
		rep := New(cfg).Run(context.Background(), Request{Servers: []string{"svc.example:1"}, Checks: CheckDNS, Timeout: overall})
		if rep.Reason != ReasonTimeout || rep.Duration != overall || rep.OK() {
			t.Fatalf("want the active check cut at exactly %v: reason %s after %v", overall, rep.Reason, rep.Duration)
		}
		if res := only(t, rep, KindDNS); res.Reason != ReasonTimeout || res.Duration != overall {
			t.Errorf("unfinished check: %+v", res)
		}
	})
}

func TestDefaultOverallTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.HostResolver = blockingResolver(nil)
		cfg.HostResolverTimeout = time.Hour
		rep := New(cfg).Run(context.Background(), Request{Servers: []string{"svc.example:1"}, Checks: CheckDNS})
		if rep.Reason != ReasonTimeout || rep.Duration != DefaultTimeout {
			t.Fatalf("reason %s after %v, want timeout after %v", rep.Reason, rep.Duration, DefaultTimeout)
		}
	})
}

func TestNegativeTimeoutMeansContextOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig()
		cfg.SystemResolver = blockingResolver(nil)
		cfg.DNSTimeout = 2 * time.Hour
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		rep := New(cfg).Run(ctx, Request{Servers: []string{"svc.example:1"}, Checks: CheckDNS, Timeout: -1})
		if rep.Reason != ReasonTimeout || rep.Duration != time.Hour {
			t.Fatalf("reason %s after %v, want the context's hour", rep.Reason, rep.Duration)
		}
	})
}

func TestCancelMidRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		called := make(chan struct{}, 1)
		cfg := testConfig()
		cfg.SystemResolver = blockingResolver(called)
		cfg.DNSTimeout = time.Hour
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan *Report)
		go func() {
			done <- New(cfg).Run(ctx, Request{Servers: []string{"a.example:1", "b.example:2"}, Checks: CheckDNS | CheckTCP})
		}()
		<-called
		time.Sleep(3 * time.Second) // virtual: the check has been running a while
		cancel()
		rep := <-done
		if rep.Reason != ReasonCanceled || rep.Duration != 3*time.Second {
			t.Fatalf("reason %s after %v, want canceled after 3s", rep.Reason, rep.Duration)
		}
		dns := rep.Find(KindDNS)
		if len(dns) != 2 {
			t.Fatalf("want both lookups reported, got %+v", rep.Results)
		}
		for _, r := range dns {
			if r.OK || r.Reason != ReasonCanceled {
				t.Errorf("lookup after cancel: %+v", r)
			}
		}
	})
}

func TestCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	addr := acceptingListener(t)
	rep := New(testConfig()).Run(ctx, Request{Servers: []string{addr}, HTTP: []string{"http://" + addr + "/"}, Checks: CheckTCP | CheckHTTP})
	wantAllCanceled(t, rep, 2)
}

func TestConcurrencyLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var running, peak atomic.Int32
		cfg := testConfig()
		cfg.MaxConcurrent = 2
		cfg.SystemResolver = ResolverFunc(func(ctx context.Context, _ string) ([]string, error) {
			n := running.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(time.Second) // virtual: each lookup takes a second
			running.Add(-1)
			return nil, &net.DNSError{IsNotFound: true}
		})
		rep := New(cfg).Run(context.Background(), Request{
			Servers: []string{"a.example:1", "b.example:1", "c.example:1", "d.example:1", "e.example:1"}, Checks: CheckDNS})
		if len(rep.Results) != 5 {
			t.Fatalf("%+v", rep.Results)
		}
		if peak.Load() != 2 {
			t.Errorf("peak concurrency %d, want 2", peak.Load())
		}
		if rep.Duration != 3*time.Second {
			t.Errorf("5 one-second lookups two at a time took %v, want 3s", rep.Duration)
		}
	})
}

func TestReportOKIgnoresSkippedPing(t *testing.T) {
	rep := &Report{Reason: ReasonOK, Results: []Result{
		{Kind: KindTCP, OK: true, Reason: ReasonOK},
		{Kind: KindPing, Reason: ReasonNotPermitted},
	}}
	if !rep.OK() || len(rep.Failed()) != 0 {
		t.Errorf("a ping the system forbids must not fail the report")
	}
	rep.Results = append(rep.Results, Result{Kind: KindNetState, Reason: ReasonNotPermitted})
	if !rep.OK() {
		t.Errorf("an interface list the platform hides must not fail the report")
	}
	rep.Results = append(rep.Results, Result{Kind: KindTCP, Reason: ReasonNotPermitted})
	if rep.OK() || len(rep.Failed()) != 1 {
		t.Errorf("a connect the system forbids is a failure")
	}
	rep.Results = rep.Results[:3]
	rep.Reason = ReasonCanceled
	if rep.OK() {
		t.Errorf("a cancelled check is not OK")
	}
}

func TestReportJSON(t *testing.T) {
	rep := &Report{
		Started:  time.Date(2026, 11, 29, 13, 0, 0, 0, time.UTC),
		Duration: 1500 * time.Microsecond,
		Reason:   ReasonOK,
		Results: []Result{
			{Kind: KindTCP, Target: "127.0.0.1:1", Reason: ReasonRefused, Error: "refused", Errno: 111, ErrnoName: "ECONNREFUSED", Duration: 250 * time.Microsecond},
			{Kind: KindPing, Target: "127.0.0.1", OK: true, Reason: ReasonOK, Sent: 2, Received: 2, RTTs: []time.Duration{time.Millisecond, 2 * time.Millisecond}},
		},
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		OK         bool    `json:"ok"`
		Reason     string  `json:"reason"`
		DurationMS float64 `json:"duration_ms"`
		Started    string  `json:"started"`
		Results    []struct {
			Kind       string    `json:"kind"`
			OK         bool      `json:"ok"`
			Reason     string    `json:"reason"`
			Errno      int       `json:"errno"`
			ErrnoName  string    `json:"errno_name"`
			DurationMS float64   `json:"duration_ms"`
			RTTsMS     []float64 `json:"rtts_ms"`
			Sent       int       `json:"sent"`
		} `json:"results"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.OK || got.Reason != "ok" || got.DurationMS != 1.5 || got.Started != "2026-11-29T13:00:00Z" || len(got.Results) != 2 {
		t.Fatalf("report JSON %s", b)
	}
	r0, r1 := got.Results[0], got.Results[1]
	if r0.Kind != "tcp" || r0.OK || r0.Reason != "refused" || r0.Errno != 111 || r0.ErrnoName != "ECONNREFUSED" || r0.DurationMS != 0.25 {
		t.Errorf("tcp result JSON %s", b)
	}
	if r1.Kind != "ping" || !r1.OK || r1.Sent != 2 || len(r1.RTTsMS) != 2 || r1.RTTsMS[1] != 2 {
		t.Errorf("ping result JSON %s", b)
	}
	empty, _ := json.Marshal(&Report{Reason: ReasonCanceled})
	var e map[string]any
	if err := json.Unmarshal(empty, &e); err != nil || e["results"] == nil || e["ok"] != false {
		t.Errorf("empty report JSON %s: results must be [] and ok false", empty)
	}
}

// signallingDialer reports every dial on started before dialing.
type signallingDialer struct {
	Dialer
	started chan<- string
}

func (d signallingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.started <- addr
	return d.Dialer.DialContext(ctx, network, addr)
}

func TestCancelMidRunRealSockets(t *testing.T) {
	hole := blackholeAddr(t)
	started := make(chan string, 3)
	cfg := testConfig()
	cfg.Dialer = signallingDialer{Dialer: cfg.Dialer, started: started}
	cfg.TCPTimeout, cfg.ProbeTimeout, cfg.HTTPTimeout = time.Hour, time.Hour, time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *Report)
	go func() {
		done <- New(cfg).Run(ctx, Request{Servers: []string{hole}, HTTP: []string{"http://" + hole + "/"},
			Checks: CheckTCP | CheckLongLink | CheckHTTP, Timeout: -1})
	}()
	for range 3 {
		<-started // every check is connecting to the blackhole
	}
	cancel()
	var rep *Report
	select {
	case rep = <-done:
	case <-time.After(testTimeout):
		t.Fatal("Run did not return after cancel")
	}
	wantAllCanceled(t, rep, 3)
}

func TestConfigDefaults(t *testing.T) {
	got := New(Config{MaxConcurrent: -3, PingCount: -1, DNSTimeout: -time.Second, HTTPFirstBytes: -1}).Config()
	if got.MaxConcurrent != DefaultMaxConcurrent || got.PingCount != DefaultPingCount || got.DNSTimeout != DefaultDNSTimeout {
		t.Errorf("negative numbers must take the defaults: %+v", got)
	}
	if got.HTTPFirstBytes != -1 {
		t.Errorf("negative HTTPFirstBytes (keep no body) became %d", got.HTTPFirstBytes)
	}
	def := DefaultConfig()
	if def.TCPTimeout != DefaultTCPTimeout || def.PingInterval != DefaultPingInterval || def.HTTPFirstBytes != DefaultHTTPFirstBytes ||
		def.SystemResolver == nil || def.Dialer == nil || def.HostResolver != nil {
		t.Errorf("DefaultConfig %+v", def)
	}
}

func TestEachNameResolvedOnceEachAddressPingedOnce(t *testing.T) {
	a, b := acceptingListener(t), acceptingListener(t)
	_, pa, _ := net.SplitHostPort(a)
	_, pb, _ := net.SplitHostPort(b)
	var lookups atomic.Int32
	cfg := testConfig()
	cfg.SystemResolver = ResolverFunc(func(context.Context, string) ([]string, error) {
		lookups.Add(1)
		return []string{"127.0.0.1"}, nil
	})
	rep := New(cfg).Run(context.Background(), Request{
		Servers: []string{"svc.example:" + pa, "svc.example:" + pb},
		Ping:    []string{"svc.example", "127.0.0.1"},
		Checks:  CheckDNS | CheckTCP | CheckPing,
	})
	var kinds []Kind
	for _, r := range rep.Results {
		kinds = append(kinds, r.Kind)
	}
	if want := []Kind{KindDNS, KindTCP, KindTCP, KindPing}; !slices.Equal(kinds, want) {
		t.Fatalf("result kinds %v, want %v", kinds, want)
	}
	if lookups.Load() != 1 {
		t.Errorf("svc.example looked up %d times", lookups.Load())
	}
	if rep.Results[1].Target != "127.0.0.1:"+pa || rep.Results[2].Target != "127.0.0.1:"+pb {
		t.Errorf("tcp targets out of request order: %+v", rep.Results[1:3])
	}
}

// wantAllCanceled checks that rep and each of its n results say cancelled.
func wantAllCanceled(t *testing.T, rep *Report, n int) {
	t.Helper()
	if rep.Reason != ReasonCanceled || len(rep.Results) != n {
		t.Fatalf("%+v", rep)
	}
	for _, r := range rep.Results {
		if r.OK || r.Reason != ReasonCanceled {
			t.Errorf("%+v", r)
		}
	}
}
