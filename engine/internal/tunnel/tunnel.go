// Package tunnel dials through a proxy: HTTP CONNECT with Mars's request
// or SOCKS5 (RFC 1928, with RFC 1929 username/password). The result is a
// Dialer, so the connect race runs through the proxy unchanged.
package tunnel

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"

	"github.com/mars-go/mars/internal/http1"
	"github.com/mars-go/mars/internal/prefixconn"
)

// Dialer opens one connection; *net.Dialer satisfies it.
type Dialer interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// UserAgent is Mars's User-Agent on the CONNECT request.
const UserAgent = "MicroMessenger Client"

// HTTPConnect returns a Dialer that reaches each address through the HTTP
// proxy at proxyAddr with Mars's CONNECT request: "CONNECT ip:port
// HTTP/1.1", Host, Proxy-Connection: keep-alive, User-Agent and, with a
// user, Proxy-Authorization Basic. Any status but 200 fails the dial, and
// so does an answer that is not HTTP/1.x or whose head is over
// http1.DefaultMaxHeaderBytes (a Protocol failure).
func HTTPConnect(base Dialer, proxyAddr, user, password string) Dialer {
	return httpConnect{base: base, proxy: proxyAddr, user: user, password: password}
}

type httpConnect struct {
	base                  Dialer
	proxy, user, password string
}

// StatusError is a proxy's refusal.
type StatusError struct{ Status int }

func (e *StatusError) Error() string {
	return fmt.Sprintf("tunnel: proxy answered %d to CONNECT", e.Status)
}

// Kind says how a proxy failed.
type Kind int

// Proxy failure kinds.
const (
	Refused  Kind = iota + 1 // unreachable, or it refused the tunnel (HTTP status, SOCKS reply)
	Auth                     // it wants other credentials (407, SOCKS authentication)
	Protocol                 // its answer was not the protocol, or it closed mid-handshake
)

// Error is a failure of the proxy rather than of the target: the target's
// reachability is unknown.
type Error struct {
	Kind  Kind
	Proxy string // the proxy's address
	Err   error
}

func (e *Error) Error() string { return fmt.Sprintf("tunnel: proxy %s: %v", e.Proxy, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

func (h httpConnect) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return through(ctx, h.base, network, h.proxy, addr, h.handshake, httpKind)
}

// through dials proxy with base and runs handshake on the connection to
// reach addr; a failure is the proxy's *Error (its Kind from kind), a
// cancelled ctx ends the handshake with ctx's error.
func through(ctx context.Context, base Dialer, network, proxy, addr string,
	handshake func(net.Conn, string) (net.Conn, error), kind func(error) Kind) (net.Conn, error) {
	c, err := base.DialContext(ctx, network, proxy)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, &Error{Kind: Refused, Proxy: proxy, Err: err}
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Close() }) // a cancelled dial ends the handshake
	conn, err := handshake(c, addr)
	if !stop() {
		_ = c.Close() // cancelled mid-handshake; already closed by the AfterFunc
		return nil, ctx.Err()
	}
	if err != nil {
		_ = c.Close() // the tunnel failed: the proxy connection is useless
		return nil, &Error{Kind: kind(err), Proxy: proxy, Err: err}
	}
	return conn, nil
}

// httpKind classifies a CONNECT handshake failure.
func httpKind(err error) Kind {
	var se *StatusError
	switch {
	case !errors.As(err, &se):
		return Protocol
	case se.Status == 407: // Proxy Authentication Required
		return Auth
	}
	return Refused
}

func (h httpConnect) handshake(c net.Conn, addr string) (net.Conn, error) {
	fields := []http1.Header{{Name: "Host", Value: addr}, {Name: "Proxy-Connection", Value: "keep-alive"},
		{Name: "User-Agent", Value: UserAgent}}
	if h.user != "" {
		fields = append(fields, http1.Header{Name: "Proxy-Authorization",
			Value: "Basic " + base64.StdEncoding.EncodeToString([]byte(h.user+":"+h.password))})
	}
	req, err := http1.AppendRequest(nil, "CONNECT", addr, fields, nil)
	if err != nil {
		return nil, err
	}
	if _, err := c.Write(req); err != nil {
		return nil, err
	}
	br := bufio.NewReader(c)
	resp, err := http1.ReadResponse(br, "CONNECT", http1.DefaultMaxHeaderBytes)
	if err != nil {
		return nil, err
	}
	if resp.Status != 200 {
		return nil, &StatusError{Status: resp.Status}
	}
	rest, _ := br.Peek(br.Buffered()) // what the proxy sent right after its answer; br is done with
	return prefixconn.New(c, rest), nil
}
