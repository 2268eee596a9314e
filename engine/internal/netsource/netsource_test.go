package netsource

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/engine/internal/ipsort"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type fakeResolver struct {
	answers map[string][]string
	delay   time.Duration
	asked   []string
}

func (r *fakeResolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	r.asked = append(r.asked, host)
	select {
	case <-time.After(r.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if a, ok := r.answers[host]; ok {
		return a, nil
	}
	return nil, errors.New("no such host")
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func src(newDns func(string) []string, r Resolver) Source {
	return Source{NewDns: newDns, NewDnsTimeout: 2 * time.Second, Resolver: r, ResolverTimeout: time.Second,
		MaxPrimary: 5}
}

func ips(c []Candidate) []string {
	var out []string
	for _, x := range c {
		out = append(out, x.IP+"/"+x.Kind.String())
	}
	return out
}

func TestDebugIPIsAllThereIsInPortOrder(t *testing.T) {
	called := false
	s := src(func(string) []string { called = true; return nil }, nil)
	got, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{3, 1}, DebugIP: "10.0.0.1",
		Backup: []string{"10.0.0.9"}}, t0)
	if err != nil || len(got) != 2 || got[0].Port != 3 || got[1].Port != 1 || got[0].Kind != Debug {
		t.Fatalf("%+v %v", got, err)
	}
	if called {
		t.Fatal("OnNewDns asked despite a debug IP")
	}
}

func TestNewDnsFiveThenOneBackup(t *testing.T) {
	res := &fakeResolver{}
	s := src(func(string) []string {
		return []string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "0.0.0.0", "bad"}
	}, res)
	got, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1},
		Backup: []string{"10.0.0.1", "10.0.1.1", "10.0.1.2"}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || got[5].Kind != Backup || got[4].Kind != NewDns {
		t.Fatalf("want 5 NewDns + 1 backup, got %v", ips(got))
	}
	if got[5].IP == "10.0.0.1" {
		t.Fatal("a backup repeated a primary IP")
	}
	if len(res.asked) != 0 {
		t.Fatal("resolver asked although backups are configured")
	}
}

func TestNoNewDnsUsesResolverAndNoBackupsLooksUpOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := &fakeResolver{answers: map[string][]string{"h": {"10.0.0.7", "::7"}}}
		s := src(func(string) []string { return nil }, res)
		got, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"10.0.0.7/dns", "::7/dns"}; !slices.Equal(ips(got), want) {
			t.Fatalf("got %v, want %v", ips(got), want)
		}
		if len(res.asked) != 1 {
			t.Fatalf("resolver asked %d times", len(res.asked))
		}
	})
}

func TestSlowNewDnsAbandonedAfterTwoSecondsAndSlowResolverAfterOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := &fakeResolver{answers: map[string][]string{"h": {"10.0.0.7"}}, delay: 5 * time.Second}
		s := src(func(string) []string { time.Sleep(3 * time.Second); return []string{"10.0.0.1"} }, res)
		start := time.Now()
		got, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Fatalf("took %v, want the 2s OnNewDns wait (the 1s resolver runs alongside)", d)
		}
		if want := []string{"h/name"}; !slices.Equal(ips(got), want) {
			t.Fatalf("got %v, want the host name standing in", ips(got))
		}
		time.Sleep(time.Second) // let the abandoned OnNewDns return
	})
}

func TestNewDnsAnswerGetsResolverBackupsWhenNoneConfigured(t *testing.T) {
	res := &fakeResolver{answers: map[string][]string{"h": {"10.0.0.1", "10.0.0.8"}}}
	s := src(func(string) []string { return []string{"10.0.0.1"} }, res)
	got, _ := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}}, t0)
	if want := []string{"10.0.0.1/newdns", "10.0.0.8/backup"}; !slices.Equal(ips(got), want) {
		t.Fatalf("got %v, want %v", ips(got), want)
	}
}

func TestBannedAddressesAreNotOffered(t *testing.T) {
	scores := ipsort.New("wifi", 1)
	bad := ipsort.Item{IP: "10.0.0.1", Port: 1}
	for i := range 3 {
		scores.Update(bad, false, t0.Add(time.Duration(i)*ipsort.UpdateInterval))
	}
	s := src(func(string) []string { return []string{"10.0.0.1", "10.0.0.2"} }, nil)
	s.Scores = scores
	got, _ := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}}, t0.Add(time.Minute))
	if want := []string{"10.0.0.2/newdns"}; !slices.Equal(ips(got), want) {
		t.Fatalf("got %v, want %v", ips(got), want)
	}
}

func TestNoPortsOrHostIsAnError(t *testing.T) {
	s := src(nil, nil)
	if _, err := s.LongLink(context.Background(), Settings{Host: "h"}, t0); !errors.Is(err, ErrNoAddress) {
		t.Fatal(err)
	}
	if _, err := s.LongLink(context.Background(), Settings{Ports: []int{1}}, t0); !errors.Is(err, ErrNoAddress) {
		t.Fatal(err)
	}
}

// Mars's inactive sizing: 4 primary slots, backups up to 5 in all.
func TestInactiveFourThenBackupsUpToFive(t *testing.T) {
	six := func(string) []string {
		return []string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"}
	}
	backups := []string{"10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4"}
	s := src(six, &fakeResolver{})
	s.Inactive = true
	got, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}, Backup: backups}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[3].Kind != NewDns || got[4].Kind != Backup {
		t.Fatalf("inactive: want 4 NewDns + 1 backup, got %v", ips(got))
	}
	s = src(func(string) []string { return []string{"10.0.0.1", "10.0.0.2"} }, &fakeResolver{})
	s.Inactive = true
	got, err = s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}, Backup: backups}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[1].Kind != NewDns || got[2].Kind != Backup {
		t.Fatalf("inactive, 2 answers: want 2 NewDns + 3 backups, got %v", ips(got))
	}
}

// lookups collects the reports of a Source.
type lookups struct {
	mu  sync.Mutex
	got []Lookup
}

func (l *lookups) add(x Lookup) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, x)
}

func (l *lookups) vias() []Via {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Via
	for _, x := range l.got {
		out = append(out, x.Via)
	}
	return out
}

// Every lookup a list is built from is reported once, with where its answer
// came from, how long it took and what went wrong (Mars's ReportDnsProfile).
func TestEveryLookupIsReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rep lookups
		slow := func(string) []string { time.Sleep(5 * time.Second); return []string{"10.0.0.8"} }
		s := src(slow, &fakeResolver{answers: map[string][]string{"h": {"10.0.0.2"}}, delay: 300 * time.Millisecond})
		s.DoH = &fakeResolver{answers: map[string][]string{"h": {"10.0.0.3"}}}
		s.Report = rep.add
		if _, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}}, t0); err != nil {
			t.Fatal(err)
		}
		// OnNewDns never answered in time: reported as timed out at 2 s.
		// The wait was then over, so DoH was not asked; the resolver answered.
		if got := rep.vias(); !slices.Equal(got, []Via{ViaSystem, ViaNewDns}) {
			t.Fatalf("reported %v", got)
		}
		sys, nd := rep.got[0], rep.got[1]
		if !slices.Equal(sys.IPs, []string{"10.0.0.2"}) || sys.Err != nil || sys.Took != 300*time.Millisecond || sys.Host != "h" {
			t.Errorf("system lookup %+v", sys)
		}
		if nd.IPs != nil || !errors.Is(nd.Err, context.DeadlineExceeded) || nd.Took != 2*time.Second {
			t.Errorf("OnNewDns lookup %+v", nd)
		}
		time.Sleep(5 * time.Second) // the late OnNewDns answer ends its goroutine unseen
	})
}

func TestDoHIsAskedAndReportedWhenOnNewDnsHasNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rep lookups
		s := src(func(string) []string { return []string{"0.0.0.0"} }, nil)
		s.DoH = &fakeResolver{answers: map[string][]string{"h": {"10.0.0.3"}}, delay: 100 * time.Millisecond}
		s.Report = rep.add
		got, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}, Backup: []string{"10.0.0.9"}}, t0)
		if err != nil || got[0].IP != "10.0.0.3" || got[0].Kind != NewDns {
			t.Fatalf("%+v %v", got, err)
		}
		if v := rep.vias(); !slices.Equal(v, []Via{ViaNewDns, ViaDoH}) {
			t.Fatalf("reported %v", v)
		}
		if !errors.Is(rep.got[0].Err, ErrNoAnswer) || rep.got[1].Err != nil || rep.got[1].Took != 100*time.Millisecond ||
			!slices.Equal(rep.got[1].IPs, []string{"10.0.0.3"}) {
			t.Errorf("%+v", rep.got)
		}
	})
}

func TestDebugIPIsReportedAsItsOwnSource(t *testing.T) {
	var rep lookups
	s := src(nil, nil)
	s.Report = rep.add
	if _, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}, DebugIP: "10.0.0.1"}, t0); err != nil {
		t.Fatal(err)
	}
	if len(rep.got) != 1 || rep.got[0].Via != ViaDebug || !slices.Equal(rep.got[0].IPs, []string{"10.0.0.1"}) {
		t.Fatalf("%+v", rep.got)
	}
}

func TestAFailedSystemLookupIsReportedWithItsError(t *testing.T) {
	var rep lookups
	s := src(nil, &fakeResolver{})
	s.Report = rep.add
	if _, err := s.LongLink(context.Background(), Settings{Host: "h", Ports: []int{1}}, t0); err != nil {
		t.Fatal(err)
	}
	if len(rep.got) != 1 || rep.got[0].Via != ViaSystem || rep.got[0].Err == nil || rep.got[0].IPs != nil {
		t.Fatalf("%+v", rep.got)
	}
}
