package sdt

import (
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
)

const procRoute = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
wlan0	00000000	00000000	0201	0	0	0	00000000	0	0	0
tun0	00000000	00000000	0001	0	0	0	00000000	0	0	0
down0	00000000	0101A8C0	0002	0	0	0	00000000	0	0	0
short	00000000
`

const procIPv6Route = `fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 00000400 00000001 00000000 00000001     wg0
00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo
zz000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 00000400 00000001 00000000 00000001     bad
`

func TestParseRoutes4(t *testing.T) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip("the sample table is from a little-endian machine")
	}
	got := parseRoutes4(strings.NewReader(procRoute))
	want := []Route{{Interface: "eth0", Gateway: "192.0.2.1"}, {Interface: "tun0"}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestParseRoutes6(t *testing.T) {
	got := parseRoutes6(strings.NewReader(procIPv6Route))
	want := []Route{{IPv6: true, Interface: "eth0", Gateway: "fd00::1"}, {IPv6: true, Interface: "wg0"}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestAssess(t *testing.T) {
	lo := Interface{Name: "lo", Up: true, Loopback: true, Addrs: []string{"127.0.0.1/8", "::1/128"}}
	eth := Interface{Name: "eth0", Up: true, Addrs: []string{"192.0.2.2/24", "fe80::1/64"}}
	eth6 := Interface{Name: "eth0", Up: true, Addrs: []string{"192.0.2.2/24", "2001:db8::2/64"}}
	downed := Interface{Name: "eth0", Addrs: []string{"192.0.2.2/24"}}
	r4 := Route{Interface: "eth0", Gateway: "192.0.2.1"}
	r6 := Route{IPv6: true, Interface: "eth0"}
	tests := []struct {
		name         string
		ifaces       []Interface
		routes       []Route
		known        bool
		want4, want6 bool
	}{
		{"loopback only", []Interface{lo}, nil, true, false, false},
		{"v4 with route", []Interface{lo, eth}, []Route{r4, r6}, true, true, false}, // link-local v6 is not enough
		{"dual stack", []Interface{lo, eth6}, []Route{r4, r6}, true, true, true},
		{"address but no route", []Interface{eth6}, nil, true, false, false},
		{"route on another interface", []Interface{eth6}, []Route{{Interface: "wlan0"}}, true, false, false},
		{"interface down", []Interface{downed}, []Route{r4}, true, false, false},
		{"routes unknown: addresses decide", []Interface{eth6}, nil, false, true, true},
	}
	for _, tc := range tests {
		st := assess(tc.ifaces, tc.routes, tc.known)
		if st.IPv4 != tc.want4 || st.IPv6 != tc.want6 {
			t.Errorf("%s: ipv4 %v ipv6 %v, want %v %v", tc.name, st.IPv4, st.IPv6, tc.want4, tc.want6)
		}
	}
}

func TestNetStateCheck(t *testing.T) {
	rep := New(testConfig()).Run(context.Background(), Request{Checks: CheckNetState})
	res := only(t, rep, KindNetState)
	if res.Net == nil {
		t.Fatalf("no state: %+v", res)
	}
	if !slices.ContainsFunc(res.Net.Interfaces, func(in Interface) bool { return in.Loopback && in.Up }) {
		t.Errorf("no loopback interface in %+v", res.Net.Interfaces)
	}
	if res.OK != (res.Net.IPv4 || res.Net.IPv6) {
		t.Errorf("ok %v with ipv4 %v ipv6 %v", res.OK, res.Net.IPv4, res.Net.IPv6)
	}
	if !res.OK && res.Reason != ReasonNoAddress {
		t.Errorf("reason %s", res.Reason)
	}
}
