package shortlink

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/engine/internal/tlsfail"
	"github.com/mars-go/mars/engine/internal/tunnel"
)

// dialPlain is the Transport's DialContext: the host's candidates raced.
func (t *Transport) dialPlain(ctx context.Context, _, hostport string) (net.Conn, error) {
	c, addr, err := t.race(ctx, hostport)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c, addr: addr, traffic: t.cfg.Traffic}, nil
}

// dialTLS is the Transport's DialTLSContext: the TLS 1.3 handshake runs
// inside each raced candidate's dial (the pins checked by the tls.Config's
// VerifyConnection), bounded with its TCP connect by the race's per-attempt
// Timeout, so one candidate failing TLS lets the next go on.
func (t *Transport) dialTLS(ctx context.Context, _, hostport string) (net.Conn, error) {
	host, _, _ := net.SplitHostPort(hostport)
	cfg := t.cfg.TLS.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	cfg.MinVersion = max(cfg.MinVersion, tls.VersionTLS13)
	cfg.NextProtos = []string{"http/1.1"}
	c, addr, err := t.raceWith(ctx, hostport, func(d dial.Dialer) dial.Dialer { return tlsDialer{d, cfg} })
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

// race lists hostport's candidates and races them.
func (t *Transport) race(ctx context.Context, hostport string) (net.Conn, string, error) {
	return t.raceWith(ctx, hostport, nil)
}

// raceWith races hostport's candidates with the attempt's Dialer (else
// Config.Dialer), wrapped by wrap when set.
func (t *Transport) raceWith(ctx context.Context, hostport string, wrap func(dial.Dialer) dial.Dialer) (net.Conn, string, error) {
	host, portStr, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, "", fail(TypeDns, CodeDnsMakeSocket, err)
	}
	port, _ := strconv.Atoi(portStr)
	candidates, race, dialerFor := t.cfg.Candidates, t.cfg.Race, (func(context.Context, string) dial.Dialer)(nil)
	if di, ok := ctx.Value(dialKey{}).(*dialInfo); ok {
		// An attempt given up (StopTask, a timeout) stops its own connect.
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(di.attempt, cancel)()
		if di.candidates != nil {
			candidates = di.candidates
		}
		if di.race != (dial.Config{}) {
			race = di.race
		}
		dialerFor = di.dialer
	}
	targets, err := candidates(ctx, host, port)
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	if err != nil || len(targets) == 0 {
		return nil, "", fail(TypeDns, CodeDnsMakeSocket, err)
	}
	d := t.cfg.Dialer
	if dialerFor != nil {
		d = dialerFor(ctx, host)
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
