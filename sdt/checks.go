package sdt

import (
	"fmt"
	"strings"
)

// checkNames pairs each check bit with the name of its Kind.
var checkNames = []struct {
	bit  Checks
	kind Kind
}{
	{CheckDNS, KindDNS}, {CheckTCP, KindTCP}, {CheckLongLink, KindLongLink},
	{CheckHTTP, KindHTTP}, {CheckPing, KindPing}, {CheckNetState, KindNetState},
}

// String lists the checks by kind name, comma-separated ("dns,tcp").
func (c Checks) String() string {
	var names []string
	for _, n := range checkNames {
		if c&n.bit != 0 {
			names = append(names, string(n.kind))
		}
	}
	if rest := c &^ AllChecks; rest != 0 {
		names = append(names, fmt.Sprintf("%#x", uint32(rest)))
	}
	return strings.Join(names, ",")
}

// ParseChecks reads a comma-separated list of kind names ("tcp,longlink"),
// or "all".
func ParseChecks(s string) (Checks, error) {
	var c Checks
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(strings.ToLower(f))
		if f == "all" {
			c |= AllChecks
			continue
		}
		found := false
		for _, n := range checkNames {
			if f == string(n.kind) {
				c |= n.bit
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("sdt: unknown check %q (want dns, tcp, longlink, http, ping, netstate or all)", f)
		}
	}
	return c, nil
}
