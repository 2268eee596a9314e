package engine

import (
	"context"
	"crypto/tls"
	"net"
	"sync/atomic"

	"github.com/mars-go/mars/engine/internal/pin"
	"github.com/mars-go/mars/engine/internal/sockopt"
	"github.com/mars-go/mars/engine/internal/tunnel"
)

// The long link's transport below the codec: the engine's own dialer (MSS
// clamp on Wi-Fi, Go's keep-alive off), an optional proxy and optional TLS.

// linkDialer builds the Dialer every connect uses. mss is read at each dial,
// so the clamp follows OnNetworkChange.
func linkDialer(raw Config, cfg Config, mss *atomic.Int32) (Dialer, error) {
	d := cfg.Dialer
	if raw.Dialer == nil {
		nd := &net.Dialer{KeepAlive: -1}
		if !cfg.NoMSSClamp {
			nd.Control = sockopt.Control(func() int { return int(mss.Load()) })
		}
		d = nd
	}
	p := cfg.Proxy
	if p == nil {
		return d, nil
	}
	if p.Kind == ProxySOCKS5 {
		return tunnel.SOCKS5(d, p.Addr, p.User, p.Password)
	}
	return tunnel.HTTPConnect(d, p.Addr, p.User, p.Password), nil
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
