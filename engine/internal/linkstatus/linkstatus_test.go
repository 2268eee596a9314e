package linkstatus

import "testing"

func TestReportMatchesMarsTable(t *testing.T) {
	notTried := ShortLinkStats{}
	for _, c := range []struct {
		s        Status
		short    ShortLinkStats
		all, lng int
		ok       bool
	}{
		{Disconnected, notTried, 0, 0, false},
		{Connected, notTried, 4, 4, true},
		{Connected, ShortLinkStats{Tried: true, Errors: 5}, 4, 4, true},
		{ConnectFailed, notTried, -1, 2, true},
		{ConnectFailed, ShortLinkStats{Tried: true}, 4, 2, true},
		{ConnectFailed, ShortLinkStats{Tried: true, Errors: 3}, 2, 2, true},
		{ConnectFailed, ShortLinkStats{Tried: true, Errors: 1}, -1, 2, true},
		{Connecting, notTried, 3, 3, true},
		{Idle, notTried, 3, 3, true},
		{Connecting, ShortLinkStats{Tried: true}, 4, 3, true},
		{Connecting, ShortLinkStats{Tried: true, Errors: 4}, 2, 3, true},
		{Connecting, ShortLinkStats{Tried: true, Errors: 2}, 3, 3, true},
	} {
		all, lng, ok := Report(c.s, c.short)
		if all != c.all || lng != c.lng || ok != c.ok {
			t.Errorf("Report(%v, %+v) = (%d, %d, %v), want (%d, %d, %v)",
				c.s, c.short, all, lng, ok, c.all, c.lng, c.ok)
		}
	}
}

func TestAllowedTransitions(t *testing.T) {
	all := []Status{Idle, Connecting, Connected, Disconnected, ConnectFailed}
	allowed := map[[2]Status]bool{
		{Idle, Connecting}: true, {Disconnected, Connecting}: true, {ConnectFailed, Connecting}: true,
		{Connecting, Connected}: true, {Connecting, ConnectFailed}: true,
		{Connecting, Disconnected}: true, {Connected, Disconnected}: true,
	}
	for _, from := range all {
		allowed[[2]Status{from, Idle}] = true
	}
	for _, from := range all {
		for _, to := range all {
			if got, want := Allowed(from, to), allowed[[2]Status{from, to}]; got != want {
				t.Errorf("Allowed(%v, %v) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestStatusNumbersAreMars(t *testing.T) {
	if Idle != 0 || Connecting != 1 || Connected != 2 || Disconnected != 3 || ConnectFailed != 4 {
		t.Fatal("status numbers differ from longlink.h")
	}
	if Status(9).String() != "status(9)" || Connected.String() != "connected" {
		t.Fatal("String")
	}
}
