package sdt

import (
	"context"
	"net"
	"time"

	"github.com/mars-go/mars/wire"
)

// Resolver looks a host name up. *net.Resolver satisfies it; the host's own
// name service (Mars's OnNewDns callback) is plugged in through ResolverFunc.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// ResolverFunc adapts a function to Resolver.
type ResolverFunc func(ctx context.Context, host string) ([]string, error)

// LookupHost calls f.
func (f ResolverFunc) LookupHost(ctx context.Context, host string) ([]string, error) {
	return f(ctx, host)
}

// Dialer opens connections for the tcp, longlink and http checks.
// *net.Dialer satisfies it; tests plug in loopback or in-memory dialers.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Config is what a Checker needs besides a Request. The zero value is
// usable: every zero (or negative) number means its Default… constant
// (defaults.go), except where a field says otherwise.
type Config struct {
	// SystemResolver answers the "system" DNS check. Nil: net.DefaultResolver.
	SystemResolver Resolver
	// HostResolver is the host's own name service (Mars's OnNewDns). Nil:
	// no "host" DNS check. It is abandoned after HostResolverTimeout even
	// if it does not honour its context.
	HostResolver Resolver
	// Dialer opens TCP connections. Nil: a net.Dialer without TCP keep-alive
	// that clamps the MSS to 1400 bytes, as Mars's probe sockets do.
	Dialer Dialer
	// Codec frames the long-link probe. Nil: wire.NewMars(ClientVersion).
	Codec wire.Codec
	// ClientVersion is written into the long-link probe's packet header; a
	// Mars server rejects a packet whose version it does not expect.
	ClientVersion uint32

	// Per-check timeouts; zero means the Default… of the same name, and the
	// overall timeout of the Request cuts every one of them short.
	DNSTimeout          time.Duration
	HostResolverTimeout time.Duration
	TCPTimeout          time.Duration
	ProbeTimeout        time.Duration
	HTTPTimeout         time.Duration

	// HTTPFirstBytes is how many body bytes an http result keeps.
	// Zero: DefaultHTTPFirstBytes; negative: none.
	HTTPFirstBytes int

	// PingCount echoes per target, PingInterval apart, all within
	// PingTimeout. Zero means the Default… of the same name.
	PingCount    int
	PingInterval time.Duration
	PingTimeout  time.Duration

	// MaxConcurrent limits probes running at once. Zero: DefaultMaxConcurrent.
	MaxConcurrent int
}

// DefaultConfig returns the configuration a zero Config stands for, so a
// caller can print or adjust it.
func DefaultConfig() Config { return Config{}.withDefaults() }

// withDefaults fills every zero field with its default.
func (c Config) withDefaults() Config {
	if c.SystemResolver == nil {
		c.SystemResolver = net.DefaultResolver
	}
	if c.Dialer == nil {
		c.Dialer = newProbeDialer()
	}
	setDefault(&c.DNSTimeout, DefaultDNSTimeout)
	setDefault(&c.HostResolverTimeout, DefaultHostResolverTimeout)
	setDefault(&c.TCPTimeout, DefaultTCPTimeout)
	setDefault(&c.ProbeTimeout, DefaultProbeTimeout)
	setDefault(&c.HTTPTimeout, DefaultHTTPTimeout)
	if c.HTTPFirstBytes == 0 { // negative stays: keep no body
		c.HTTPFirstBytes = DefaultHTTPFirstBytes
	}
	setDefault(&c.PingCount, DefaultPingCount)
	setDefault(&c.PingInterval, DefaultPingInterval)
	setDefault(&c.PingTimeout, DefaultPingTimeout)
	setDefault(&c.MaxConcurrent, DefaultMaxConcurrent)
	return c
}

func setDefault[T time.Duration | int](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// newProbeDialer is the default Dialer: no keep-alive (the probe lives for
// one exchange) and Mars's MSS clamp where the platform has it.
func newProbeDialer() *net.Dialer {
	return &net.Dialer{KeepAlive: -1, Control: clampMSS}
}
