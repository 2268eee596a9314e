package shortlink

import (
	"context"
	"crypto/tls"
	"errors"
	"net"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/engine/internal/tlsfail"
	"github.com/mars-go/mars/engine/internal/tunnel"
)

// dial opens the attempt's connection: the host's candidates raced, each
// with its TLS 1.3 handshake when the Transport is HTTPS (the pins checked
// by the tls.Config's VerifyConnection), bounded with its TCP connect by
// the race's per-attempt Timeout, so one candidate failing TLS lets the
// next go on.
func (t *Transport) dial(ctx context.Context, r *Request) (*conn, error) {
	var wrap func(dial.Dialer) dial.Dialer
	if t.cfg.TLS != nil {
		cfg := t.cfg.TLS.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = r.Host
		}
		cfg.MinVersion = max(cfg.MinVersion, tls.VersionTLS13)
		cfg.NextProtos = []string{"http/1.1"}
		wrap = func(d dial.Dialer) dial.Dialer { return tlsDialer{d, cfg} }
	}
	c, addr, err := t.raceWith(ctx, r, wrap)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c, addr: addr, traffic: t.cfg.Traffic}, nil
}

// tlsDialer dials and then runs the handshake.
type tlsDialer struct {
	d   dial.Dialer
	cfg *tls.Config
}

func (d tlsDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	tc := tls.Client(c, d.cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = c.Close() // the handshake failed: the connection is useless
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &HandshakeError{err}
	}
	return tc, nil
}

// HandshakeError is a candidate's failed TLS handshake or pin check.
type HandshakeError struct{ Err error }

func (e *HandshakeError) Error() string { return "shortlink: tls handshake: " + e.Err.Error() }
func (e *HandshakeError) Unwrap() error { return e.Err }

// CodeHandshake is a failed TLS handshake (kEctHandshakeMisunderstand),
// with TypeSocket; CodePinMismatch and CodeCertificate are the finer
// codes of a pin check and a chain that did not verify (beyond Mars).
const (
	CodeHandshake   = tlsfail.CodeHandshake
	CodePinMismatch = tlsfail.CodePinMismatch
	CodeCertificate = tlsfail.CodeCertificate
)

// Codes of a proxy's own failure, with TypeSocket (beyond Mars).
const (
	CodeProxyRefused  = -10097
	CodeProxyAuth     = -10098
	CodeProxyProtocol = -10099
)

// raceFailure is what a race every candidate lost ends with: a TLS failure
// if any candidate failed TLS, else the proxy's failure if the proxy
// failed, else Mars's (4, -10087).
func raceFailure(r dial.Result) *Error {
	var proxyErr *tunnel.Error
	for _, f := range r.Failures {
		var he *HandshakeError
		var pe *tunnel.Error
		switch {
		case f.Superseded:
		case errors.As(f.Err, &he):
			return fail(TypeSocket, tlsfail.Code(he.Err), f.Err)
		case errors.As(f.Err, &pe):
			proxyErr = pe
		}
	}
	if proxyErr != nil {
		code := CodeProxyRefused
		switch proxyErr.Kind {
		case tunnel.Auth:
			code = CodeProxyAuth
		case tunnel.Protocol:
			code = CodeProxyProtocol
		}
		return fail(TypeSocket, code, proxyErr)
	}
	return fail(TypeSocket, CodeMakeSocketPrepared, r.Err)
}

// raceWith races the candidates for r.Host and the Transport's port with
// the attempt's Dialer (else Config.Dialer), wrapped by wrap when set.
func (t *Transport) raceWith(ctx context.Context, r *Request, wrap func(dial.Dialer) dial.Dialer) (net.Conn, string, error) {
	candidates, race := t.cfg.Candidates, t.cfg.Race
	if r.Candidates != nil {
		candidates = r.Candidates
	}
	if r.Race != (dial.Config{}) {
		race = r.Race
	}
	targets, err := candidates(ctx, r.Host, t.cfg.Port)
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	if err != nil || len(targets) == 0 {
		return nil, "", fail(TypeDns, CodeDnsMakeSocket, err)
	}
	d := t.cfg.Dialer
	if r.Dialer != nil {
		d = r.Dialer(ctx, r.Host)
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
	}
	if wrap != nil {
		d = wrap(d)
	}
	res := dial.Race(ctx, d, "tcp", targets, race)
	if t.cfg.DialResult != nil {
		t.cfg.DialResult(targets, res)
	}
	if res.Conn == nil {
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		return nil, "", raceFailure(res)
	}
	return res.Conn, targets[res.Winner], nil
}
