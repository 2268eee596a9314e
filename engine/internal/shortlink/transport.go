package shortlink

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mars-go/mars/engine/internal/dial"
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

// dialKey carries an attempt's dial needs through net/http, which hands
// the dial a context with the request's values but without its
// cancellation.
type dialKey struct{}

type dialInfo struct {
	attempt    context.Context // ends when the attempt is given up
	candidates func(ctx context.Context, host string, port int) ([]string, error)
	race       dial.Config
	dialer     func(ctx context.Context, host string) dial.Dialer
}

// Transport sends attempts; it is safe for concurrent use.
type Transport struct {
	cfg    Config
	pooled *http.Transport // for keep-alive attempts
	single *http.Transport // one connection per attempt

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
	t.pooled, t.single = t.httpTransport(false), t.httpTransport(true)
	return t
}

func (t *Transport) httpTransport(single bool) *http.Transport {
	return &http.Transport{
		DialContext:            t.dialPlain,
		DialTLSContext:         t.dialTLS,
		DisableKeepAlives:      single,
		DisableCompression:     true, // no Accept-Encoding: Mars's header set
		MaxIdleConnsPerHost:    DefaultMaxIdlePerHost,
		IdleConnTimeout:        maxKeepAlive, // each connection's own clock closes it sooner
		MaxResponseHeaderBytes: DefaultMaxHeaderBytes,
		TLSNextProto:           map[string]func(string, *tls.Conn) http.RoundTripper{}, // HTTP/1.1 only
	}
}

// CloseIdle closes every pooled connection (network change, RedoTasks).
func (t *Transport) CloseIdle() {
	t.pooled.CloseIdleConnections()
}

// RoundTrip sends one attempt and returns the response body, an *Error, or
// ctx's error when ctx ended first.
func (t *Transport) RoundTrip(ctx context.Context, r *Request) ([]byte, error) {
	if err := checkRequest(r); err != nil {
		return nil, fail(TypeLocal, CodeTaskParam, err)
	}
	keep := r.Headers["Connection"] == "Keep-Alive" && !t.isBanned(r.Host)
	ctx = context.WithValue(ctx, dialKey{}, &dialInfo{attempt: ctx, candidates: r.Candidates, race: r.Race,
		dialer: r.Dialer})
	req, err := t.newRequest(ctx, r, keep)
	if err != nil {
		return nil, fail(TypeLocal, CodeTaskParam, err)
	}
	st := &attemptState{p: r.Progress}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), st.trace()))
	ht := t.single
	if keep {
		ht = t.pooled
	}
	resp, err := ht.RoundTrip(req)
	defer st.detach()
	if err != nil {
		wrote, writeErr, reused := st.result()
		err = classifyRoundTrip(ctx, err, wrote, writeErr)
		t.noteFailure(r.Host, reused, err)
		return nil, err
	}
	body, err := t.readBody(ctx, resp)
	if err != nil {
		_, _, reused := st.result()
		t.noteFailure(r.Host, reused, err)
		return nil, err
	}
	if c := st.conn(); keep && !resp.Close && c != nil {
		c.idleFor(keepAliveTimeout(resp.Header.Get("Keep-Alive"), t.cfg.IdleTimeout))
	}
	return body, nil
}

// readBody reads a response as Mars judges it.
func (t *Transport) readBody(ctx context.Context, resp *http.Response) ([]byte, error) {
	defer func() { _ = resp.Body.Close() }() // read to the end or given up on
	switch {
	case resp.StatusCode < 100:
		return nil, fail(TypeHttp, CodeParseStatusLine, errBadStatus)
	case resp.StatusCode != http.StatusOK:
		return nil, fail(TypeHttp, resp.StatusCode, nil)
	}
	if resp.ContentLength < 0 && len(resp.TransferEncoding) == 0 {
		// Mars's parser never completes a body delimited only by the close.
		return nil, fail(TypeSocket, CodeShutdown, io.ErrUnexpectedEOF)
	}
	if resp.ContentLength > t.cfg.MaxResponse {
		return nil, fail(TypeHttp, CodeSplitHeadAndBody, errTooLarge)
	}
	capHint := max(resp.ContentLength, 0)
	buf := bytes.NewBuffer(make([]byte, 0, capHint))
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, t.cfg.MaxResponse+1))
	if err != nil {
		return nil, classifyBody(ctx, err)
	}
	if n > t.cfg.MaxResponse {
		return nil, fail(TypeHttp, CodeSplitHeadAndBody, errTooLarge)
	}
	return buf.Bytes(), nil
}

var (
	errTooLarge  = &tooLarge{}
	errBadStatus = errors.New("shortlink: status code below 100")
)

type tooLarge struct{}

func (*tooLarge) Error() string { return "shortlink: response body over the limit" }

// checkRequest refuses what cannot go on the wire as one request: an
// empty host, a cgi that is not an absolute path, CR, LF or NUL anywhere,
// or a header name with a colon or blank (wire.AppendShortRequest's rules,
// and net/http's).
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

// maxKeepAlive is the longest server keep-alive honoured (Mars: 1..59 s).
const maxKeepAlive = 59 * time.Second

// keepAliveTimeout reads "timeout=N" from a Keep-Alive header: N seconds
// within 1..59, else def.
func keepAliveTimeout(h string, def time.Duration) time.Duration {
	for part := range strings.SplitSeq(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "timeout") {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 1 && n <= 59 {
			return time.Duration(n) * time.Second
		}
	}
	return def
}

// newRequest builds the POST with Mars's headers.
func (t *Transport) newRequest(ctx context.Context, r *Request, keep bool) (*http.Request, error) {
	scheme := "http"
	if t.cfg.TLS != nil {
		scheme = "https"
	}
	u, err := url.Parse(scheme + "://" + net.JoinHostPort(r.Host, strconv.Itoa(t.cfg.Port)) + r.Cgi)
	if err != nil {
		return nil, err
	}
	req := &http.Request{Method: http.MethodPost, URL: u, Host: r.Host, Header: http.Header{},
		ContentLength: int64(len(r.Body)), Body: http.NoBody, Close: !keep}
	if len(r.Body) > 0 {
		req.Body = io.NopCloser(bytes.NewReader(r.Body))
	}
	req = req.WithContext(ctx)
	req.Header["Accept"] = []string{"*/*"}
	req.Header["Cache-Control"] = []string{"no-cache"}
	req.Header["Connection"] = []string{"close"}
	req.Header["Content-Type"] = []string{wire.ShortLinkContentType}
	req.Header["User-Agent"] = []string{wire.ShortLinkUserAgent}
	for k, v := range r.Headers {
		switch {
		case strings.EqualFold(k, "Host"):
			req.Host = v
		case strings.EqualFold(k, "Content-Length"):
			// net/http writes the real length.
		case strings.EqualFold(k, "User-Agent"):
			req.Header["User-Agent"] = []string{v}
		default:
			for old := range req.Header {
				if strings.EqualFold(old, k) {
					delete(req.Header, old)
				}
			}
			req.Header[k] = []string{v}
		}
	}
	if !keep {
		// A banned host's keep-alive request still says close on the wire.
		for k := range req.Header {
			if strings.EqualFold(k, "Connection") {
				req.Header[k] = []string{"close"}
			}
		}
	}
	return req, nil
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
	t.pooled.CloseIdleConnections()
}

// attemptState follows one attempt through httptrace. The hooks run on
// net/http's goroutines, hence the mutex.
type attemptState struct {
	p        Progress
	mu       sync.Mutex
	c        *conn
	reused   bool
	wrote    bool
	writeErr error
}

func (s *attemptState) conn() *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

func (s *attemptState) result() (wrote bool, writeErr error, reused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wrote, s.writeErr, s.reused
}

func (s *attemptState) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.reused = info.Reused
			c, ok := info.Conn.(*conn)
			if !ok {
				return
			}
			s.c = c
			c.busy()
			if s.p != nil {
				c.sink.Store(&progressSink{p: s.p})
				s.p.Connected(c.addr, info.Reused)
				s.p.Sending(time.Now())
			}
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.wrote, s.writeErr = info.Err == nil, info.Err
		},
	}
}

// detach stops progress reports to this attempt.
func (s *attemptState) detach() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c != nil {
		s.c.sink.Store(nil)
	}
}
