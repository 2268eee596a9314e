package engine

import (
	"context"
	"errors"
	"slices"
	"time"
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

// builtinAddresses is the engine's default AddressSource: StaticAddresses
// with the host's OnNewDns answer in front (§4.2, minimal). The full
// connect strategy (system DNS, scoring, bans) replaces it later.
type builtinAddresses struct {
	cb      Callbacks
	timeout time.Duration
	logf    func(LogLevel, string, ...any)
}

// LongLinkCandidates implements AddressSource. A debug IP skips OnNewDns
// (§7 item 16); otherwise OnNewDns is asked once per connect attempt and
// its IPs come first (item 17); without an answer in time the host name
// stands in (item 18); backup IPs follow (item 19).
func (b builtinAddresses) LongLinkCandidates(ctx context.Context, s AddressSettings) ([]Address, error) {
	if ip := debugIP(s); ip != "" {
		return withPorts(s, []string{ip})
	}
	if s.LongLinkHost == "" {
		return nil, errNoAddress
	}
	ips := b.newDns(ctx, s.LongLinkHost)
	if len(ips) == 0 {
		ips = []string{s.LongLinkHost}
	}
	return withPorts(s, append(ips, s.BackupIPs[s.LongLinkHost]...))
}

// newDns runs OnNewDns on its own goroutine and waits at most b.timeout; a
// late answer is dropped (the goroutine ends when the host returns).
func (b builtinAddresses) newDns(ctx context.Context, host string) []string {
	answer := make(chan []string, 1)
	go func() { answer <- b.cb.OnNewDns(host, true) }()
	t := time.NewTimer(b.timeout)
	defer t.Stop()
	select {
	case ips := <-answer:
		return slices.Clone(ips)
	case <-t.C:
		b.logf(LogWarn, "OnNewDns(%q) gave no answer within %v; using the host name", host, b.timeout)
	case <-ctx.Done():
	}
	return nil
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
