package sdt

import "time"

// Defaults for a Checker. The per-check timeouts are the ones Mars's SDT uses;
// the overall timeout is ours, because Mars
// runs the check triggered by STN with no timeout at all.
const (
	// DefaultTimeout bounds a whole active check when Request.Timeout is zero.
	DefaultTimeout = 30 * time.Second

	// DefaultDNSTimeout bounds one lookup (Mars: gethostbyname, 3 s).
	DefaultDNSTimeout = 3 * time.Second

	// DefaultHostResolverTimeout bounds the host's OnNewDns hook: the
	// engine gives OnNewDns 2 s too, so a slow name service costs a
	// diagnosis no more than it costs a connect.
	DefaultHostResolverTimeout = 2 * time.Second

	// DefaultTCPTimeout bounds one TCP connect (Mars's TCP checker: 5 s).
	DefaultTCPTimeout = 5 * time.Second

	// DefaultProbeTimeout bounds a long-link probe: connect, noop, noop answer
	// (Mars's TCP checker: 5 s for connect + noop).
	DefaultProbeTimeout = 5 * time.Second

	// DefaultHTTPTimeout bounds one HTTP GET (Mars: 5 s when no total timeout
	// is given).
	DefaultHTTPTimeout = 5 * time.Second

	// DefaultHTTPFirstBytes is how much of an HTTP body the report keeps.
	DefaultHTTPFirstBytes = 256

	// DefaultPingCount is the number of ICMP echo requests per target
	// (Mars: 2 pings).
	DefaultPingCount = 2

	// DefaultPingInterval is the pause between two echo requests (Mars: 1 s).
	DefaultPingInterval = time.Second

	// DefaultPingTimeout bounds all echoes to one target (Mars: 4 s).
	DefaultPingTimeout = 4 * time.Second

	// DefaultPingPayload is the echo payload size in bytes.
	DefaultPingPayload = 32

	// DefaultProbeMSS is the TCP_MAXSEG Mars sets on its speed-test and
	// complex-connect sockets.
	DefaultProbeMSS = 1400

	// DefaultMaxConcurrent limits how many probes run at the same time.
	DefaultMaxConcurrent = 8
)
