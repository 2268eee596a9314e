package shortlink

import (
	"context"
	"crypto/tls"
	"net"
	"strconv"

	"github.com/mars-go/mars/engine/internal/dial"
)

// dialPlain is the Transport's DialContext: the host's candidates raced.
func (t *Transport) dialPlain(ctx context.Context, _, hostport string) (net.Conn, error) {
	c, addr, err := t.race(ctx, hostport)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c, addr: addr, traffic: t.cfg.Traffic}, nil
}

// dialTLS is the Transport's DialTLSContext: the race covers TCP only and
// the TLS 1.3 handshake runs on the winner (the pins checked by the
// tls.Config's VerifyConnection).
func (t *Transport) dialTLS(ctx context.Context, _, hostport string) (net.Conn, error) {
	c, addr, err := t.race(ctx, hostport)
	if err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(hostport)
	cfg := t.cfg.TLS.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	cfg.MinVersion = max(cfg.MinVersion, tls.VersionTLS13)
	cfg.NextProtos = []string{"http/1.1"}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = c.Close() // the handshake failed: the connection is useless
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fail(TypeSocket, CodeHandshake, err)
	}
	return &conn{Conn: tc, addr: addr, traffic: t.cfg.Traffic}, nil
}

// CodeHandshake is a failed TLS handshake or pin check
// (kEctHandshakeMisunderstand), with TypeSocket.
const CodeHandshake = -10096

// race lists hostport's candidates and races them.
func (t *Transport) race(ctx context.Context, hostport string) (net.Conn, string, error) {
	host, portStr, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, "", fail(TypeDns, CodeDnsMakeSocket, err)
	}
	port, _ := strconv.Atoi(portStr)
	candidates, race := t.cfg.Candidates, t.cfg.Race
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
	}
	targets, err := candidates(ctx, host, port)
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	if err != nil || len(targets) == 0 {
		return nil, "", fail(TypeDns, CodeDnsMakeSocket, err)
	}
	res := dial.Race(ctx, t.cfg.Dialer, "tcp", targets, race)
	if t.cfg.DialResult != nil {
		t.cfg.DialResult(targets, res)
	}
	if res.Conn == nil {
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		return nil, "", fail(TypeSocket, CodeMakeSocketPrepared, res.Err)
	}
	return res.Conn, targets[res.Winner], nil
}
