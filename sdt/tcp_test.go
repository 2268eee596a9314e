package sdt

import (
	"context"
	"net"
	"testing"
)

func TestTCPReachable(t *testing.T) {
	addr := acceptingListener(t)
	rep := New(testConfig()).Run(context.Background(), Request{Servers: []string{addr}, Checks: CheckTCP})
	res := only(t, rep, KindTCP)
	if !res.OK || res.Reason != ReasonOK || res.Target != addr {
		t.Fatalf("reachable listener: %+v", res)
	}
	if res.Connect <= 0 || res.Duration < res.Connect {
		t.Errorf("connect %v, duration %v: want 0 < connect <= duration", res.Connect, res.Duration)
	}
	if !rep.OK() || rep.Reason != ReasonOK {
		t.Errorf("report not OK: %+v", rep)
	}
}

func TestTCPReachableIPv6(t *testing.T) {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	defer ln.Close()
	accepted := make(chan struct{})
	go func() {
		defer close(accepted)
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	cfg := testConfig()
	cfg.SystemResolver = fixed("::1")
	rep := New(cfg).Run(context.Background(), Request{Servers: []string{"v6.example:" + port}, Checks: CheckTCP})
	<-accepted
	res := only(t, rep, KindTCP)
	if !res.OK || res.Target != "[::1]:"+port {
		t.Fatalf("%+v", res)
	}
}

func TestTCPRefused(t *testing.T) {
	addr := refusedAddr(t)
	rep := New(testConfig()).Run(context.Background(), Request{Servers: []string{addr}, Checks: CheckTCP})
	res := only(t, rep, KindTCP)
	if res.OK || res.Reason != ReasonRefused || res.ErrnoName != "ECONNREFUSED" || res.Errno == 0 {
		t.Fatalf("refused port: %+v", res)
	}
	if rep.OK() {
		t.Error("report OK with a refused connect")
	}
}

func TestTCPBlackholed(t *testing.T) {
	addr := blackholeAddr(t)
	rep := New(shortTimeouts()).Run(context.Background(), Request{Servers: []string{addr}, Checks: CheckTCP})
	res := only(t, rep, KindTCP)
	if res.OK || res.Reason != ReasonTimeout {
		t.Fatalf("blackholed address: %+v", res)
	}
	if res.Duration < shortTimeout {
		t.Errorf("gave up after %v, before the %v connect timeout", res.Duration, shortTimeout)
	}
	if rep.Reason != ReasonOK {
		t.Errorf("a check's own timeout must not mark the active check %q", rep.Reason)
	}
}

func TestBadServerAddress(t *testing.T) {
	for _, s := range []string{"no-port", "127.0.0.1:http", "127.0.0.1:70000", ""} {
		rep := New(testConfig()).Run(context.Background(), Request{Servers: []string{s}})
		res := only(t, rep, KindTCP)
		if res.OK || res.Reason != ReasonError || res.Target != s {
			t.Errorf("server %q: %+v", s, res)
		}
	}
}
