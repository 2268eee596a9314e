package engine

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"slices"
	"sync/atomic"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/engine/internal/pin"
	"github.com/mars-go/mars/engine/internal/sockopt"
	"github.com/mars-go/mars/engine/internal/tlsfail"
	"github.com/mars-go/mars/engine/internal/tunnel"
)

// The long link's transport below the codec: the engine's own dialer (MSS
// clamp on Wi-Fi, Go's keep-alive off), an optional proxy and optional TLS.

// linkDialer builds the Dialers every connect uses: base, the engine's own
// (or Config.Dialer), and base through Config.Proxy (base without one).
// mss is read at each dial, so the clamp follows OnNetworkChange.
func linkDialer(raw Config, cfg Config, mss *atomic.Int32) (base, proxied Dialer) {
	base = cfg.Dialer
	if raw.Dialer == nil {
		nd := &net.Dialer{KeepAlive: -1}
		if !cfg.NoMSSClamp {
			nd.Control = sockopt.Control(func() int { return int(mss.Load()) })
		}
		base = nd
	}
	if cfg.Proxy == nil {
		return base, base
	}
	return base, viaProxy(base, *cfg.Proxy)
}

// tlsDialer runs the TLS handshake inside each raced candidate's dial, so
// one candidate's TLS failure is that candidate's loss and the race goes
// on to the next; the candidate's ConnectTimeout bounds TCP and TLS
// together.
type tlsDialer struct {
	d       Dialer
	secure  func(ctx context.Context, c net.Conn, a Address) (net.Conn, error)
	addrs   []Address
	targets []string // addrs as the race names them
}

func (t *tlsDialer) DialContext(ctx context.Context, network, target string) (net.Conn, error) {
	c, err := t.d.DialContext(ctx, network, target)
	if err != nil {
		return nil, err
	}
	a := t.addrs[slices.Index(t.targets, target)]
	tc, err := t.secure(ctx, c, a)
	if err != nil {
		_ = c.Close() // the handshake failed: the connection is useless
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &handshakeError{err}
	}
	return tc, nil
}

// handshakeError is a failed TLS handshake or pin check.
type handshakeError struct{ err error }

func (e *handshakeError) Error() string { return "tls handshake: " + e.err.Error() }
func (e *handshakeError) Unwrap() error { return e.err }

// connectFailure is the code a lost candidate is reported with: the
// proxy's own code (and the proxy's address) when the proxy failed,
// a TLS code (tlsfail.Code) for TLS, else the errno.
func connectFailure(f dial.Outcome) (code int, proxy *Address) {
	var pe *tunnel.Error
	var he *handshakeError
	switch {
	case f.Superseded:
		return f.Errno, nil
	case errors.As(f.Err, &pe):
		host, port := splitAddr(pe.Proxy)
		return proxyCode(pe.Kind), &Address{Host: host, IP: host, Port: port}
	case errors.As(f.Err, &he):
		return tlsfail.Code(he.err), nil
	}
	return f.Errno, nil
}

// isHandshakeCode reports whether code is a TLS failure.
func isHandshakeCode(code int) bool {
	return code == EctHandshakeMisunderstand || code == EctHandshakePinMismatch || code == EctHandshakeCertificate
}

// proxyCode maps a proxy failure kind to its EctSocket code.
func proxyCode(k tunnel.Kind) int {
	switch k {
	case tunnel.Auth:
		return EctSocketProxyAuth
	case tunnel.Protocol:
		return EctSocketProxyProtocol
	}
	return EctSocketProxyRefused
}

// isProxyCode reports whether code blames the proxy, not the target.
func isProxyCode(code int) bool {
	return code == EctSocketProxyRefused || code == EctSocketProxyAuth || code == EctSocketProxyProtocol
}

// tlsHandshaker returns the function that secures a won connection, or nil
// without TLS.
func tlsHandshaker(t *TLSConfig) func(ctx context.Context, c net.Conn, a Address) (net.Conn, error) {
	if t == nil {
		return nil
	}
	verify := pin.Verifier(t.PinnedSPKI)
	return func(ctx context.Context, c net.Conn, a Address) (net.Conn, error) {
		name := t.ServerName
		if name == "" {
			name = a.Host
		}
		tc := tls.Client(c, &tls.Config{MinVersion: tls.VersionTLS13, ServerName: name, RootCAs: t.RootCAs,
			VerifyConnection: verify})
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		return tc, nil
	}
}

// dohTLS verifies the DoH server: DoHTLS, else the long link's roots and
// pins (Config.TLS), else the system roots. The server name is DoHTLS's or
// the URL's host.
func dohTLS(cfg Config) *tls.Config {
	t := cfg.DoHTLS
	if t == nil {
		t = cfg.TLS
	}
	if t == nil {
		return &tls.Config{MinVersion: tls.VersionTLS12}
	}
	name := ""
	if cfg.DoHTLS != nil {
		name = t.ServerName
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, ServerName: name, RootCAs: t.RootCAs,
		VerifyConnection: pin.Verifier(t.PinnedSPKI)}
}

// wifiMSS is the MSS clamp for network n.
func wifiMSS(n NetworkType) int32 {
	if n == NetworkMobile || n == NetworkNone {
		return 0
	}
	return DefaultWiFiMSS
}

// Dialer opens a connection; *net.Dialer satisfies it. It must honour ctx
// cancellation.
type Dialer interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// TLSConfig secures the long link (beyond Mars).
type TLSConfig struct {
	// ServerName is checked against the certificate. Default the
	// long-link host name of the address connected to.
	ServerName string
	// RootCAs replaces the system roots when set.
	RootCAs *x509.CertPool
	// PinnedSPKI lists SHA-256 hashes of DER SubjectPublicKeyInfo; when
	// non-empty, a chain passes only if one of its certificates matches one
	// (checked after crypto/tls's own verification). A mismatch fails the
	// connect with (EctSocket, EctHandshakePinMismatch); a chain that does
	// not verify with (EctSocket, EctHandshakeCertificate).
	PinnedSPKI [][32]byte
}

// Resolver looks a host name up; *net.Resolver satisfies it.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}
