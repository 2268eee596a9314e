package engine_test

import (
	"slices"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
)

// dnsCallbacks answers OnNewDns with dns and hands the DNS reports over.
type dnsCallbacks struct {
	*netCallbacks
	dns      []string
	profiles chan engine.DnsProfile
	seen     []engine.DnsProfile // test goroutine only
}

func (c *dnsCallbacks) OnNewDns(string, bool) []string       { return c.dns }
func (c *dnsCallbacks) ReportDnsProfile(p engine.DnsProfile) { c.profiles <- p }
func newDnsCallbacks(dns ...string) *dnsCallbacks {
	return &dnsCallbacks{netCallbacks: newNetCallbacks(), dns: dns, profiles: make(chan engine.DnsProfile, 64)}
}

// nextProfile waits for the next DNS report from source; reports from
// other sources are kept for later calls.
func nextProfile(t *testing.T, c *dnsCallbacks, source engine.DnsSource) engine.DnsProfile {
	t.Helper()
	if i := slices.IndexFunc(c.seen, func(p engine.DnsProfile) bool { return p.Source == source }); i >= 0 {
		p := c.seen[i]
		c.seen = slices.Delete(c.seen, i, i+1)
		return p
	}
	deadline := time.After(loopTimeout)
	for {
		select {
		case p := <-c.profiles:
			if p.Source == source {
				return p
			}
			c.seen = append(c.seen, p)
		case <-deadline:
			t.Fatalf("no DNS report from source %d", source)
		}
	}
}

// Mars's ReportDnsProfile: the long link's connect reports the host's
// OnNewDns answer and the system resolver's failure.
func TestLoopbackLongLinkConnectReportsItsLookups(t *testing.T) {
	srv := startMarsd(t)
	cb := newDnsCallbacks("127.0.0.1")
	e := startEngine(t, srv, engine.Config{Resolver: noResolver{}}, cb)
	e.SetLonglinkSvrAddr("marsd.test", []int{port(t, srv.LongAddr())}, "")
	runTask(t, e, cb.netCallbacks)
	p := nextProfile(t, cb, engine.DnsSourceNewDns)
	if p.Host != "marsd.test" || !p.LongLink || !slices.Equal(p.IPs, []string{"127.0.0.1"}) || p.Err != nil ||
		p.Start.IsZero() || p.Duration < 0 {
		t.Fatalf("%+v", p)
	}
	if p := nextProfile(t, cb, engine.DnsSourceSystem); p.Host != "marsd.test" || p.Err == nil || len(p.IPs) != 0 {
		t.Fatalf("%+v", p)
	}
}

// The short link's attempt reports too: here the debug IP stands in.
func TestLoopbackShortAttemptReportsItsLookup(t *testing.T) {
	srv := startMarsd(t)
	cb := newDnsCallbacks()
	sc := newShortCallbacks()
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{}, shortDns{sc, cb})
	tk := shortTask(e, "/mars/hello")
	e.StartTask(tk)
	wantOutcome(t, sc.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	p := nextProfile(t, cb, engine.DnsSourceDebug)
	if p.Host != "marsd.test" || p.LongLink || !slices.Equal(p.IPs, []string{"127.0.0.1"}) || p.Err != nil {
		t.Fatalf("%+v", p)
	}
}

// shortDns is shortCallbacks with dnsCallbacks' report.
type shortDns struct {
	*shortCallbacks
	d *dnsCallbacks
}

func (c shortDns) ReportDnsProfile(p engine.DnsProfile) { c.d.ReportDnsProfile(p) }
