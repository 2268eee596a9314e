package sdt

import "testing"

func TestChecksNames(t *testing.T) {
	tests := []struct {
		in   string
		want Checks
	}{
		{"dns", CheckDNS},
		{"tcp, LongLink", CheckTCP | CheckLongLink},
		{"all", AllChecks},
		{"http,ping,netstate", CheckHTTP | CheckPing | CheckNetState},
	}
	for _, tc := range tests {
		got, err := ParseChecks(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseChecks(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if back, err := ParseChecks(got.String()); err != nil || back != got {
			t.Errorf("%v does not round-trip through %q", got, got.String())
		}
	}
	for _, bad := range []string{"", "dns,", "icmp"} {
		if _, err := ParseChecks(bad); err == nil {
			t.Errorf("ParseChecks(%q) accepted", bad)
		}
	}
	if s := (CheckTCP | 1<<10).String(); s != "tcp,0x400" {
		t.Errorf("unknown bits shown as %q", s)
	}
}
