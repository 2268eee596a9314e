package engine

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/sdt"
)

// checkHost is a recorder that also answers the net-check extensions.
type checkHost struct {
	*recorder
	asked   chan struct{}
	reports chan *sdt.Report
}

func (h *checkHost) RequestNetCheckShortLinkHosts() []string {
	h.asked <- struct{}{}
	return []string{"web"}
}

func (h *checkHost) OnNetCheckResult(r *sdt.Report) { h.reports <- r }

// checkRig is an engine on a fake network with a fake short link, whose
// long-link host "srv" resolves to 192.0.2.1 (fake: no socket is opened).
type checkRig struct {
	t     *testing.T
	e     *Engine
	host  *checkHost
	net   *fakenet.Network
	short *fakeShort
}

func newCheckRig(t *testing.T, cfg Config) *checkRig {
	t.Helper()
	r := &checkRig{t: t, net: fakenet.NewNetwork(), short: newFakeShort()}
	res := fakenet.NewResolver()
	res.Set("srv", 0, "192.0.2.1")
	cfg.Dialer, cfg.Resolver, cfg.ShortLink, cfg.ClientVersion = r.net, res, r.short, testVersion
	if cfg.NetCheckCGI == "" {
		cfg.NetCheckCGI = "/check"
	}
	r.host = &checkHost{recorder: newRecorder(), asked: make(chan struct{}, 10), reports: make(chan *sdt.Report, 10)}
	e, err := New(cfg, r.host)
	if err != nil {
		t.Fatal(err)
	}
	r.e, r.host.e = e, e
	e.SetLonglinkSvrAddr("srv", []int{1}, "")
	e.SetShortlinkSvrAddr(8080, "")
	t.Cleanup(func() { e.Close() })
	return r
}

// shortResult runs one short task whose only attempt gets err (nil: a
// response) and waits for its end.
func (r *checkRig) shortResult(err error) {
	r.t.Helper()
	t := NewTask(r.e.GenTaskID(), 0)
	t.ChannelSelect, t.Cgi, t.ShortLinkHostList = ChannelShort, "/cgi", []string{"web"}
	t.RetryCount, t.LimitFrequency, t.LimitFlow = 0, false, false
	if e := r.e.StartTask(t); e != nil {
		r.t.Fatal(e)
	}
	c := r.short.next(r.t)
	if err == nil {
		c.reply([]byte("ok"), nil)
	} else {
		c.reply(nil, err)
	}
	if got := <-r.host.ends; got.id != t.TaskID {
		r.t.Fatalf("OnTaskEnd for task %d, want %d", got.id, t.TaskID)
	}
}

var errNetDown = TaskError{Type: EctSocket, Code: EctSocketReadOnce}

// breakNetwork feeds Mars's pattern short of its last result: 8
// successes then 5 failures; one more failure leaves fewer than 3
// successes in the newest 8 after more than 5 in the 8 before.
func (r *checkRig) breakNetwork() {
	for range 8 {
		r.shortResult(nil)
	}
	for range 5 {
		r.shortResult(errNetDown)
	}
}

// wantAsked checks whether the host was asked for hosts since the last call.
func (r *checkRig) wantAsked(want bool) {
	r.t.Helper()
	synctest.Wait()
	select {
	case <-r.host.asked:
		if !want {
			r.t.Fatal("the host was asked for net-check hosts")
		}
	default:
		if want {
			r.t.Fatal("the host was not asked for net-check hosts")
		}
	}
}

func TestNetCheckFiresAfterMarsFailurePattern(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newCheckRig(t, Config{})
		r.breakNetwork()
		r.wantAsked(false)
		r.shortResult(errNetDown)
		r.wantAsked(true)

		rep := <-r.host.reports
		if rep.Reason != sdt.ReasonOK {
			t.Errorf("report reason %q, want ok", rep.Reason)
		}
		if tcp := rep.Find(sdt.KindTCP); len(tcp) != 1 || tcp[0].Target != "192.0.2.1:1" || tcp[0].OK {
			t.Errorf("tcp results %+v, want one failed check of 192.0.2.1:1", tcp)
		}
		if h := rep.Find(sdt.KindHTTP); len(h) != 1 || h[0].Target != "http://web:8080/check" {
			t.Errorf("http results %+v, want one of http://web:8080/check", h)
		}
		if p := rep.Find(sdt.KindPing); len(p) != 0 {
			t.Errorf("ping results %+v, want none", p)
		}
		if !slices.Contains(r.host.logged(), "newdns srv true") {
			t.Errorf("OnNewDns was not asked for srv: %v", r.host.logged())
		}
		synctest.Wait()
		if n := len(r.host.reports); n != 0 {
			t.Errorf("%d more reports, want exactly one", n)
		}
	})
}

func TestNetCheckRateLimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newCheckRig(t, Config{})
		r.breakNetwork()
		r.shortResult(errNetDown)
		r.wantAsked(true)
		<-r.host.reports

		// The same pattern again at once: the 15 min spacing holds.
		r.breakNetwork()
		r.shortResult(errNetDown)
		r.wantAsked(false)

		time.Sleep(16 * time.Minute)
		r.breakNetwork()
		r.shortResult(errNetDown)
		r.wantAsked(true)
		<-r.host.reports
	})
}

func TestNetCheckOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newCheckRig(t, Config{NoNetCheck: true})
		r.breakNetwork()
		r.shortResult(errNetDown)
		r.wantAsked(false)
	})
}

func TestNetCheckCountsLongLinkReports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newCheckRig(t, Config{})
		a := Address{IP: "192.0.2.1", Port: 1}
		var fired bool
		r.e.runOnOwnerWait(func(o *owner) {
			for range 8 {
				o.main.netReport(EctOK, 0, a)
			}
			for range 6 {
				o.main.netReport(EctSocket, EctSocketReadOnce, a)
			}
			fired = o.nc.cancel != nil
		})
		if !fired {
			t.Fatal("no check after Mars's failure pattern on the long link")
		}
		r.wantAsked(true)
		<-r.host.reports
	})
}

func TestNetCheckCancelledOnClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newCheckRig(t, Config{})
		r.net.Hold("192.0.2.1:1") // the tcp check hangs until cancelled
		r.breakNetwork()
		r.shortResult(errNetDown)
		r.wantAsked(true)
		if err := r.e.Close(); err != nil {
			t.Fatal(err)
		}
		if n := len(r.host.reports); n != 0 {
			t.Fatalf("%d reports after Close, want none", n)
		}
	})
}

func TestNetCheckCancelledOnReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newCheckRig(t, Config{})
		r.net.Hold("192.0.2.1:1")
		r.breakNetwork()
		r.shortResult(errNetDown)
		r.wantAsked(true)
		r.e.Reset()
		var running bool
		r.e.runOnOwnerWait(func(o *owner) { running = o.nc.cancel != nil })
		synctest.Wait()
		if running || len(r.host.reports) != 0 {
			t.Fatalf("check still running (%v) or reported (%d) after Reset", running, len(r.host.reports))
		}
	})
}

func TestNetCheckOutcome(t *testing.T) {
	for _, c := range []struct {
		typ         ErrType
		code        int
		ok, counted bool
	}{
		{EctOK, 0, true, true},
		{EctSocket, EctSocketReadOnce, false, true},
		{EctHttp, EctHttpFirstPkgTimeout, false, true},
		{EctNetMsgXP, EctLongFirstPkgTimeout, false, true},
		{EctDns, -1, false, true},
		{EctSocket, EctSocketNetworkChange, false, false},
		{EctSocket, EctSocketUserBreak, false, false},
		{EctEnDecode, -1, false, false},
		{EctLocal, EctLocalTaskTimeout, false, false},
		{EctServer, 1, false, false},
		{EctCanceld, 0, false, false},
	} {
		ok, counted := netCheckOutcome(c.typ, c.code)
		if ok != c.ok || counted != c.counted {
			t.Errorf("netCheckOutcome(%d, %d) = %v, %v; want %v, %v", c.typ, c.code, ok, counted, c.ok, c.counted)
		}
	}
}

// BenchmarkNetCheckResult is the cost the automatic check adds to every
// network outcome on the owner goroutine (no check starts: all successes).
func BenchmarkNetCheckResult(b *testing.B) {
	e, err := New(Config{Dialer: fakenet.NewNetwork(), Resolver: fakenet.NewResolver()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	b.ReportAllocs()
	e.runOnOwnerWait(func(o *owner) {
		for b.Loop() {
			o.netCheckShort(EctOK, 0)
		}
	})
}
