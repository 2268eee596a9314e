package sdt

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWriteText(t *testing.T) {
	rep := &Report{Reason: ReasonTimeout, Duration: 2 * time.Second, Results: []Result{
		{Kind: KindDNS, Target: "svc.example", OK: true, Reason: ReasonOK, Source: SourceHost, Addrs: []string{"127.0.0.1", "::1"}},
		{Kind: KindTCP, Target: "127.0.0.1:1", Reason: ReasonRefused, Error: "connection refused"},
		{Kind: KindPing, Target: "127.0.0.1", Reason: ReasonNotPermitted, Error: "no ICMP"},
		{Kind: KindHTTP, Target: "http://127.0.0.1/", Reason: ReasonHTTPStatus, Error: "HTTP status 500", Status: 500, Body: "oops"},
		{Kind: KindNetState, Target: "local", OK: true, Reason: ReasonOK, Net: &NetState{
			Interfaces:    []Interface{{Name: "eth0", Up: true, MTU: 1500, Addrs: []string{"192.0.2.2/24"}}},
			DefaultRoutes: []Route{{Interface: "eth0", Gateway: "192.0.2.1"}}, RoutesKnown: true, IPv4: true}},
	}}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"2 of 5 checks failed (active check timeout)",
		"ok   dns      svc.example",
		"host resolver: 127.0.0.1 ::1",
		"FAIL tcp      127.0.0.1:1",
		"[refused] connection refused",
		"skip ping",
		"status 500",
		`body "oops"`,
		"local network: ipv4 yes, ipv6 no",
		"interface eth0       up   mtu 1500  192.0.2.2/24",
		"default route ipv4 via 192.0.2.1 dev eth0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}
