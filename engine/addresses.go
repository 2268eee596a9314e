package engine

import (
	"context"
	"errors"
)

var errNoAddress = errors.New("engine: no long-link address configured")

// StaticAddresses is an AddressSource without DNS: the SetDebugIP entry for
// the long-link host, else the long-link debug IP, else the host itself
// (left to the Dialer to resolve), then the host's backup IPs, each with
// every configured port in order.
type StaticAddresses struct{}

// LongLinkCandidates implements AddressSource.
func (StaticAddresses) LongLinkCandidates(_ context.Context, s AddressSettings) ([]Address, error) {
	if ip := debugIP(s); ip != "" {
		return withPorts(s, []string{ip})
	}
	return withPorts(s, append([]string{s.LongLinkHost}, s.BackupIPs[s.LongLinkHost]...))
}

func debugIP(s AddressSettings) string {
	if ip := s.DebugIPs[s.LongLinkHost]; ip != "" {
		return ip
	}
	return s.LongLinkDebugIP
}

// withPorts crosses ips (deduplicated, in order) with the long-link ports.
func withPorts(s AddressSettings, ips []string) ([]Address, error) {
	var out []Address
	seen := map[string]bool{}
	for _, ip := range ips {
		if ip == "" || seen[ip] {
			continue
		}
		seen[ip] = true
		for _, p := range s.LongLinkPorts {
			out = append(out, Address{Host: s.LongLinkHost, IP: ip, Port: p})
		}
	}
	if len(out) == 0 {
		return nil, errNoAddress
	}
	return out, nil
}
