package sdt

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"testing/synctest"
)

func fixed(addrs ...string) Resolver {
	return ResolverFunc(func(context.Context, string) ([]string, error) { return addrs, nil })
}

func TestDNSBothResolversAndUnion(t *testing.T) {
	addr := acceptingListener(t)
	_, port, _ := net.SplitHostPort(addr)
	cfg := testConfig()
	cfg.SystemResolver = fixed("127.0.0.1")
	cfg.HostResolver = fixed("::ffff:127.0.0.1", "127.0.0.1", "not-an-ip")
	rep := New(cfg).Run(context.Background(), Request{Servers: []string{"svc.example:" + port}, Checks: CheckDNS | CheckTCP})
	dns := rep.Find(KindDNS)
	if len(dns) != 2 || dns[0].Source != SourceSystem || dns[1].Source != SourceHost {
		t.Fatalf("want a system and a host dns result, got %+v", dns)
	}
	for _, d := range dns {
		if !d.OK || d.Target != "svc.example" || !slices.Equal(d.Addrs, []string{"127.0.0.1"}) {
			t.Errorf("dns result %+v: want OK with the one normalised address", d)
		}
	}
	tcp := only(t, rep, KindTCP)
	if !tcp.OK || tcp.Target != addr {
		t.Errorf("tcp to the union of answers: %+v", tcp)
	}
}

func TestDNSInvalidTLDNeverAsksTheSystem(t *testing.T) {
	cfg := testConfig()
	cfg.SystemResolver = ResolverFunc(func(context.Context, string) ([]string, error) {
		t.Error("system resolver asked about an .invalid name")
		return nil, nil
	})
	for _, host := range []string{"nosuch.invalid", "NoSuch.Invalid."} {
		rep := New(cfg).Run(context.Background(), Request{Servers: []string{net.JoinHostPort(host, "443")}, Checks: AllChecks &^ CheckNetState})
		res := only(t, rep, KindDNS)
		if res.OK || res.Reason != ReasonNotFound || res.Source != SourceSystem {
			t.Errorf("%s: %+v", host, res)
		}
		if len(rep.Results) != 1 {
			t.Errorf("%s: an unresolvable name must stop its server's checks, got %+v", host, rep.Results)
		}
	}
}

func TestDNSDefaultSystemResolverInvalidName(t *testing.T) {
	cfg := testConfig()
	cfg.SystemResolver = nil // net.DefaultResolver, never reached for .invalid
	rep := New(cfg).Run(context.Background(), Request{Servers: []string{"diag.invalid:80"}, Checks: CheckDNS})
	if res := only(t, rep, KindDNS); res.Reason != ReasonNotFound {
		t.Fatalf("%+v", res)
	}
}

func TestDNSFailureReasons(t *testing.T) {
	tests := []struct {
		name string
		res  Resolver
		want Reason
	}{
		{"not found", ResolverFunc(func(_ context.Context, h string) ([]string, error) {
			return nil, &net.DNSError{Err: "no such host", Name: h, IsNotFound: true}
		}), ReasonNotFound},
		{"empty answer", fixed(), ReasonNotFound},
		{"garbage answer", fixed("nonsense", ""), ReasonProtocol},
		{"server failure", ResolverFunc(func(_ context.Context, h string) ([]string, error) {
			return nil, &net.DNSError{Err: "server misbehaving", Name: h}
		}), ReasonError},
		{"other error", ResolverFunc(func(context.Context, string) ([]string, error) {
			return nil, errors.New("boom")
		}), ReasonError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.HostResolver = tc.res
			cfg.SystemResolver = tc.res
			rep := New(cfg).Run(context.Background(), Request{Servers: []string{"svc.example:1"}})
			for _, r := range rep.Find(KindDNS) {
				if r.OK || r.Reason != tc.want || r.Error == "" {
					t.Errorf("want %s, got %+v", tc.want, r)
				}
			}
		})
	}
}

func TestHostResolverAbandonedAfterItsDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		cfg := testConfig()
		cfg.SystemResolver = fixed("127.0.0.1")
		cfg.HostResolver = ResolverFunc(func(context.Context, string) ([]string, error) {
			<-release // a host callback that ignores its context
			return []string{"127.0.0.2"}, nil
		})
		rep := New(cfg).Run(context.Background(), Request{Servers: []string{"svc.example:1"}, Checks: CheckDNS})
		close(release)
		dns := rep.Find(KindDNS)
		if len(dns) != 2 || !dns[0].OK || dns[1].OK || dns[1].Reason != ReasonTimeout {
			t.Fatalf("want system OK and host timed out: %+v", dns)
		}
		if dns[1].Duration != DefaultHostResolverTimeout {
			t.Errorf("host resolver abandoned after %v, want exactly %v", dns[1].Duration, DefaultHostResolverTimeout)
		}
	})
}

func TestSystemResolverLocalhost(t *testing.T) {
	// localhost comes from /etc/hosts (or the resolver's own rule), never the network.
	cfg := testConfig()
	cfg.SystemResolver = nil
	rep := New(cfg).Run(context.Background(), Request{Servers: []string{"localhost:1"}, Checks: CheckDNS})
	res := only(t, rep, KindDNS)
	if !res.OK || !slices.ContainsFunc(res.Addrs, func(a string) bool { return net.ParseIP(a).IsLoopback() }) {
		t.Fatalf("localhost: %+v", res)
	}
}
