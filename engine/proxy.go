package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/mars-go/mars/engine/internal/tunnel"
	"github.com/mars-go/mars/internal/http1"
)

// ProxyProvider is an optional extension of Callbacks, Mars's GetProxyInfo:
// a Callbacks that also implements it is asked for the proxy of each
// connect, the long link's connect attempts and each new short-link
// connection (a pooled keep-alive connection keeps the proxy it was made
// through). host is the link's host name; longlink tells which link.
//
// Answers: ok false, Config.Proxy (nil: direct); ok true with a nil proxy,
// direct even when Config.Proxy is set; ok true with a proxy, that one.
// A proxy New would refuse in Config.Proxy is logged and taken as ok
// false.
//
// It runs on a goroutine of its own, concurrently with other callbacks,
// so a slow answer never holds the engine: the connect waits at most
// ProxyForTimeout (2 s), then goes on as with ok false and the late
// answer is dropped. The proxy chosen carries the connect only: DoH, the
// recovery probe and the network check use Config.Proxy, and with a
// ProxyProvider the signalling keeper is off, as with Config.Proxy.
type ProxyProvider interface {
	ProxyFor(host string, longlink bool) (proxy *ProxyConfig, ok bool)
}

// ProxyForTimeout bounds the wait for a ProxyFor answer.
const ProxyForTimeout = 2 * time.Second

// proxyChooser picks each connect's Dialer.
type proxyChooser struct {
	provider ProxyProvider // nil: always static
	base     Dialer        // the engine's dialer, no proxy
	static   Dialer        // base through Config.Proxy, or base without one
	logf     func(level LogLevel, format string, args ...any)
}

// dialer asks the host for host's proxy and returns the Dialer to connect
// with; it blocks for at most ProxyForTimeout.
func (p proxyChooser) dialer(ctx context.Context, host string, longlink bool) Dialer {
	if p.provider == nil {
		return p.static
	}
	type answer struct {
		proxy *ProxyConfig
		ok    bool
	}
	ch := make(chan answer, 1)
	go func() {
		px, ok := p.provider.ProxyFor(host, longlink)
		if px != nil {
			c := *px // the host may reuse its value once it returned
			px = &c
		}
		ch <- answer{px, ok}
	}()
	t := time.NewTimer(ProxyForTimeout)
	defer t.Stop()
	select {
	case a := <-ch:
		switch {
		case !a.ok:
			return p.static
		case a.proxy == nil:
			return p.base
		}
		if probs := a.proxy.problems(); len(probs) > 0 {
			p.logf(LogWarn, "proxy: ProxyFor(%q) answered a proxy that cannot be used (%v): Config.Proxy instead", host, probs)
			return p.static
		}
		return viaProxy(p.base, *a.proxy)
	case <-t.C:
		p.logf(LogWarn, "proxy: ProxyFor(%q) gave no answer in %v: Config.Proxy instead", host, ProxyForTimeout)
	case <-ctx.Done():
	}
	return p.static
}

// viaProxy returns base reaching each address through px, which has passed
// problems.
func viaProxy(base Dialer, px ProxyConfig) Dialer {
	if px.Kind == ProxySOCKS5 {
		d, err := tunnel.SOCKS5(base, px.Addr, px.User, px.Password)
		if err != nil {
			return failingDialer{err} // x/net refuses only what problems already refused
		}
		return d
	}
	return tunnel.HTTPConnect(base, px.Addr, px.User, px.Password)
}

// failingDialer fails every dial with its error.
type failingDialer struct{ err error }

func (f failingDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	return nil, f.err
}

// ProxyCheckPort is the port ProxyIsAvailable asks for when given 0:
// Mars's, plain HTTP.
const ProxyCheckPort = 80

// ProxyAnswerError is ProxyIsAvailable's error when the test host's
// answer through the proxy was not one Mars counts as available.
type ProxyAnswerError struct{ Status int }

func (e *ProxyAnswerError) Error() string {
	return fmt.Sprintf("engine: the test host answered %d through the proxy (available: 200, 3xx, 497)", e.Status)
}

// ErrProxyUnusable is ProxyIsAvailable's error for a proxy or test address
// it cannot try (what New would refuse in Config.Proxy).
var ErrProxyUnusable = errors.New("engine: ProxyIsAvailable: cannot try")

// ProxyIsAvailable tells whether px carries traffic (Mars's
// ProxyIsAvailable): it connects through px to testHost:testPort (port 0:
// ProxyCheckPort; the proxy resolves the name), sends "GET / HTTP/1.1"
// with Host testHost and Mars's User-Agent, and reports true when the
// answer's status is 200, 3xx or 497, as Mars does. It blocks until then
// or until ctx ends. On false, err says why: ErrProxyUnusable (px or the
// test address is what New would refuse in Config.Proxy, or the test host
// has CR, LF or NUL in it), the proxy's own
// failure (a *ProxyError), the test host unreachable through it, or a
// *ProxyAnswerError. Unlike Mars it takes no list of the test host's IPs:
// the proxy resolves the name.
func ProxyIsAvailable(ctx context.Context, px ProxyConfig, testHost string, testPort int) (bool, error) {
	if probs := px.problems(); len(probs) > 0 {
		return false, fmt.Errorf("%w: %v", ErrProxyUnusable, probs)
	}
	if testPort == 0 {
		testPort = ProxyCheckPort
	}
	if testHost == "" || testPort < 0 || testPort > 65535 {
		return false, fmt.Errorf("%w: test host %q port %d", ErrProxyUnusable, testHost, testPort)
	}
	req, err := http1.AppendRequest(nil, "GET", "/", []http1.Header{{Name: "Host", Value: testHost},
		{Name: "Accept", Value: "*/*"}, {Name: "Connection", Value: "close"}, {Name: "User-Agent", Value: tunnel.UserAgent}}, nil)
	if err != nil {
		return false, fmt.Errorf("%w: test host %q: %w", ErrProxyUnusable, testHost, err)
	}
	c, err := viaProxy(&net.Dialer{}, px).DialContext(ctx, "tcp", net.JoinHostPort(testHost, strconv.Itoa(testPort)))
	if err != nil {
		return false, proxyError(err)
	}
	defer func() { _ = c.Close() }() // one request, then done
	defer context.AfterFunc(ctx, func() { _ = c.Close() })()
	if _, err := c.Write(req); err != nil {
		return false, ctxOr(ctx, err)
	}
	resp, err := http1.ReadResponse(bufio.NewReader(c), "GET", http1.DefaultMaxHeaderBytes)
	if err != nil {
		return false, ctxOr(ctx, err)
	}
	if s := resp.Status; s == 200 || s == 497 || (s >= 300 && s < 400) { // only the status counts
		return true, nil
	}
	return false, &ProxyAnswerError{Status: resp.Status}
}

// ProxyError is a failure of the proxy itself, with the EctSocketProxy…
// code the links report it with.
type ProxyError struct {
	Code int // EctSocketProxyRefused, EctSocketProxyAuth or EctSocketProxyProtocol
	Err  error
}

func (e *ProxyError) Error() string {
	return fmt.Sprintf("engine: proxy failed (%d): %v", e.Code, e.Err)
}
func (e *ProxyError) Unwrap() error { return e.Err }

// proxyError turns a tunnel failure into a *ProxyError.
func proxyError(err error) error {
	var te *tunnel.Error
	if errors.As(err, &te) {
		return &ProxyError{Code: proxyCode(te.Kind), Err: err}
	}
	return err
}

// ctxOr is ctx's error when ctx ended (the cause of err), else err.
func ctxOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// mayProxy reports whether a connect may go through a proxy.
func (e *Engine) mayProxy() bool { return e.cfg.Proxy != nil || e.proxies.provider != nil }

// ProxyKind selects the proxy protocol.
type ProxyKind int

// Proxy kinds.
const (
	ProxyHTTP   ProxyKind = 1 // HTTP CONNECT with Mars's request
	ProxySOCKS5 ProxyKind = 2
)

// ProxyConfig names a proxy for the long link.
type ProxyConfig struct {
	Kind           ProxyKind
	Addr           string // host:port
	User, Password string // optional credentials
}

// problems lists why p cannot be used: an unknown Kind, an Addr that is
// not host:port, credentials the protocol cannot carry.
func (p *ProxyConfig) problems() []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if p.Kind != ProxyHTTP && p.Kind != ProxySOCKS5 {
		bad("Kind %d is unknown (ProxyHTTP or ProxySOCKS5)", p.Kind)
	}
	if _, port, err := net.SplitHostPort(p.Addr); err != nil {
		bad("Addr %q is not host:port", p.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		bad("Addr %q has no port in 1..65535", p.Addr)
	}
	if p.Password != "" && p.User == "" {
		bad("a Password without a User cannot be sent")
	}
	if p.Kind == ProxySOCKS5 && (len(p.User) > 255 || len(p.Password) > 255) {
		bad("SOCKS5 credentials are at most 255 bytes each (RFC 1929)")
	}
	if p.Kind == ProxyHTTP && strings.Contains(p.User, ":") {
		bad("an HTTP Basic User cannot contain ':' (RFC 7617)")
	}
	return out
}
