package shortlink

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/internal/http1"
	"github.com/mars-go/mars/wire"
)

// Config is what the transport needs from the engine.
type Config struct {
	// Candidates lists "ip:port" targets for host and port, in the order to
	// try them. It may block (DNS) until ctx ends. Required.
	Candidates func(ctx context.Context, host string, port int) ([]string, error)
	// Dialer opens one TCP connection (MSS clamp, proxy tunnel). Required.
	Dialer dial.Dialer
	// Race shapes the connect race.
	Race dial.Config
	// TLS, when set, makes every attempt HTTPS; ServerName defaults to the
	// task's host, and at least TLS 1.3 is required.
	TLS *tls.Config
	// Port is the server port; 0 means DefaultPort (443 with TLS).
	Port int
	// MaxResponse bounds a body; 0 means DefaultMaxResponse.
	MaxResponse int64
	// IdleTimeout is how long a kept-alive connection stays pooled; 0 means
	// DefaultIdleTimeout.
	IdleTimeout time.Duration
	// Traffic, when set, gets every socket read and write's byte count.
	Traffic func(send, recv int64)
	// DialResult, when set, sees every race's targets and result (for IP
	// scoring and the host's network-error reports).
	DialResult func(targets []string, r dial.Result)
	// Now is the ban clock; nil means time.Now.
	Now func() time.Time
}

// Request is one attempt.
type Request struct {
	Host     string            // Host header and the name the candidates stand for
	Cgi      string            // the URL path (and query), "/..." form
	Headers  map[string]string // the task's headers, overriding Mars's defaults
	Body     []byte
	Progress Progress // may be nil
	// Candidates, when set, replaces Config.Candidates for this attempt's
	// connection (the host's address settings at the time of the attempt).
	Candidates func(ctx context.Context, host string, port int) ([]string, error)
	// Race, when non-zero, replaces Config.Race for this attempt's
	// connection (the stagger measured on the current network).
	Race dial.Config
	// Dialer, when set, replaces Config.Dialer for this attempt's new
	// connection to host (a proxy chosen per connect). A pooled
	// keep-alive connection is reused as it was made.
	Dialer func(ctx context.Context, host string) dial.Dialer
}

// Transport sends attempts; it is safe for concurrent use.
type Transport struct {
	cfg  Config
	pool http1.Pool // kept-alive *conns by host

	mu     sync.Mutex
	banned map[string]time.Time // host → reuse banned until
}

// New returns a Transport for cfg.
func New(cfg Config) *Transport {
	if cfg.MaxResponse <= 0 {
		cfg.MaxResponse = DefaultMaxResponse
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Port == 0 {
		cfg.Port = DefaultPort
		if cfg.TLS != nil {
			cfg.Port = 443
		}
	}
	t := &Transport{cfg: cfg, banned: map[string]time.Time{}}
	t.pool.MaxPerKey = DefaultMaxIdlePerHost
	return t
}

// CloseIdle closes every pooled connection (network change, RedoTasks).
func (t *Transport) CloseIdle() {
	t.pool.CloseIdle()
}

// RoundTrip sends one attempt and returns the response body, an *Error, or
// ctx's error when ctx ended first.
func (t *Transport) RoundTrip(ctx context.Context, r *Request) ([]byte, error) {
	if err := checkRequest(r); err != nil {
		return nil, fail(TypeLocal, CodeTaskParam, err)
	}
	keep := r.Headers["Connection"] == "Keep-Alive" && !t.isBanned(r.Host)
	raw, err := requestBytes(r, keep)
	if err != nil {
		return nil, fail(TypeLocal, CodeTaskParam, err)
	}
	var c *conn
	reused := false
	if keep {
		if pc, ok := t.pool.Get(r.Host); ok {
			c, reused = pc.(*conn), true
		}
	}
	if !reused {
		if c, err = t.dial(ctx, r); err != nil {
			return nil, err
		}
	}
	body, resp, err := t.exchange(ctx, c, r.Progress, reused, raw)
	if err != nil {
		_ = c.Close() // the attempt failed: the connection is not reused
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		t.noteFailure(r.Host, reused, err)
		return nil, err
	}
	if keep && !resp.Close {
		t.pool.Put(r.Host, c, keepAliveTimeout(resp.Get("Keep-Alive"), t.cfg.IdleTimeout))
	} else {
		_ = c.Close() // one request per connection
	}
	return body, nil
}

// exchange writes raw on c and reads the response as Mars judges it. The
// connection is closed when ctx ends, which ends a blocked write or read.
func (t *Transport) exchange(ctx context.Context, c *conn, p Progress, reused bool, raw []byte) ([]byte, *http1.Response, error) {
	if p != nil {
		c.sink.Store(&progressSink{p: p})
		defer c.sink.Store(nil)
		p.Connected(c.addr, reused)
		p.Sending(time.Now())
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	if _, err := c.Write(raw); err != nil {
		return nil, nil, socketErr(err, CodeWriteNonBlock)
	}
	br := bufio.NewReader(c)
	resp, err := http1.ReadResponse(br, "POST", DefaultMaxHeaderBytes)
	if err != nil {
		return nil, nil, classifyRead(err)
	}
	body, err := t.readBody(resp)
	resp.Close = !http1.Reusable(resp, br) // closed by the server, or out of step
	return body, resp, err
}

// readBody reads a response as Mars judges it.
func (t *Transport) readBody(resp *http1.Response) ([]byte, error) {
	switch {
	case resp.Status != 200:
		return nil, fail(TypeHttp, resp.Status, nil)
	case resp.CloseDelimited():
		// Mars's parser never completes a body delimited only by the close.
		return nil, fail(TypeSocket, CodeShutdown, io.ErrUnexpectedEOF)
	case resp.ContentLength > t.cfg.MaxResponse:
		return nil, fail(TypeHttp, CodeSplitHeadAndBody, errTooLarge)
	}
	buf := bytes.NewBuffer(make([]byte, 0, max(resp.ContentLength, 0)))
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, t.cfg.MaxResponse+1))
	if err != nil {
		return nil, classifyRead(err)
	}
	if n > t.cfg.MaxResponse {
		return nil, fail(TypeHttp, CodeSplitHeadAndBody, errTooLarge)
	}
	return buf.Bytes(), nil
}

var errTooLarge = &tooLarge{}

type tooLarge struct{}

func (*tooLarge) Error() string { return "shortlink: response body over the limit" }

// checkRequest refuses what cannot go on the wire as one request: an
// empty host, a cgi that is not an absolute path, CR, LF or NUL anywhere,
// or a header name with a colon or blank (wire.AppendShortRequest's rules,
// and a blank in a name besides).
func checkRequest(r *Request) error {
	bad := func(s string) bool { return strings.ContainsAny(s, "\r\n\x00") }
	if r.Host == "" || bad(r.Host) || !strings.HasPrefix(r.Cgi, "/") || bad(r.Cgi) || strings.ContainsAny(r.Cgi, " \t") {
		return wire.ErrHeaderValue
	}
	for k, v := range r.Headers {
		if k == "" || bad(k) || bad(v) || strings.ContainsAny(k, ": \t") {
			return wire.ErrHeaderValue
		}
	}
	return nil
}

// keepAliveTimeout reads "timeout=N" from a Keep-Alive header: N seconds
// within 1..59, else def.
func keepAliveTimeout(h string, def time.Duration) time.Duration {
	for part := range strings.SplitSeq(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "timeout") {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 1 && n <= 59 { // Mars: 1..59 s
			return time.Duration(n) * time.Second
		}
	}
	return def
}

// requestBytes is the POST with Mars's headers (wire.AppendShortRequest):
// the task's headers override Mars's defaults by case-insensitive name,
// except Content-Length, which is always the body's; a request that may not
// keep its connection says "Connection: close" whatever the task asked.
func requestBytes(r *Request, keep bool) ([]byte, error) {
	hs := make([]wire.Header, 0, len(r.Headers))
	for k, v := range r.Headers {
		switch {
		case strings.EqualFold(k, "Content-Length"):
			continue
		case strings.EqualFold(k, "Host"):
			k = "Host"
		case strings.EqualFold(k, "User-Agent"):
			k = "User-Agent"
		case strings.EqualFold(k, "Connection") && !keep:
			v = "close" // a banned host's keep-alive request still says close
		}
		hs = append(hs, wire.Header{Name: k, Value: v})
	}
	return wire.AppendShortRequest(nil, wire.ShortRequest{URL: r.Cgi, Host: r.Host, Headers: hs, Body: r.Body})
}

func (t *Transport) isBanned(host string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	until, ok := t.banned[host]
	if ok && !t.cfg.Now().Before(until) {
		delete(t.banned, host)
		return false
	}
	return ok
}

// noteFailure bans reuse for host when a reused connection failed to
// deliver a decodable response.
func (t *Transport) noteFailure(host string, reused bool, err error) {
	if !reused {
		return
	}
	if e, ok := err.(*Error); !ok || (e.Type == TypeHttp && e.Code > 0) {
		return // cancelled, or the server answered: the connection worked
	}
	t.mu.Lock()
	t.banned[host] = t.cfg.Now().Add(BanInterval)
	t.mu.Unlock()
	t.pool.CloseIdle()
}
