package shortlink

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testTimeout = 10 * time.Second

// newTransport returns a Transport whose every host resolves to addr.
func newTransport(t *testing.T, addr string, mod func(*Config)) *Transport {
	t.Helper()
	_, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	cfg := Config{
		Candidates: func(context.Context, string, int) ([]string, error) { return []string{addr}, nil },
		Dialer:     &net.Dialer{},
		Race:       dial.Config{Timeout: 5 * time.Second, Delay: 2500 * time.Millisecond, MaxInFlight: 3},
		Port:       p,
	}
	if mod != nil {
		mod(&cfg)
	}
	tr := New(cfg)
	t.Cleanup(tr.CloseIdle)
	return tr
}

func roundTrip(t *testing.T, tr *Transport, r *Request) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	return tr.RoundTrip(ctx, r)
}

// wantErr asserts err is the short-link outcome (typ, code).
func wantErr(t *testing.T, err error, typ, code int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Type != typ || e.Code != code {
		t.Fatalf("error %v, want (%d, %d)", err, typ, code)
	}
}

func echoServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if s := r.URL.Query().Get("status"); s != "" {
			n, _ := strconv.Atoi(s)
			w.WriteHeader(n)
			return
		}
		if r.Header.Get("Connection") == "Keep-Alive" {
			w.Header().Set("Connection", "keep-alive")
			w.Header().Set("Keep-Alive", "timeout=5")
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestEcho(t *testing.T) {
	srv, _ := echoServer(t)
	tr := newTransport(t, srv.Listener.Addr().String(), nil)
	body, err := roundTrip(t, tr, &Request{Host: "example.com", Cgi: "/mars/hello", Body: []byte("hello")})
	if err != nil || string(body) != "hello" {
		t.Fatalf("got %q, %v; want hello", body, err)
	}
}

func TestStatusNot200(t *testing.T) {
	srv, _ := echoServer(t)
	tr := newTransport(t, srv.Listener.Addr().String(), nil)
	_, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/x?status=500", Body: []byte("a")})
	wantErr(t, err, TypeHttp, 500)
}

// rawServer answers each connection with handle, on a raw listener.
func rawServer(t *testing.T, handle func(c net.Conn, r *bufio.Reader)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer func() { _ = c.Close() }()
				handle(c, bufio.NewReader(c))
			})
		}
	})
	return ln.Addr().String()
}

// readRequest reads one request's raw bytes (head and Content-Length body).
func readRequest(r *bufio.Reader) ([]byte, error) {
	var raw []byte
	n := 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return raw, err
		}
		raw = append(raw, line...)
		if line == "\r\n" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Content-Length") {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	body := make([]byte, n)
	_, err := io.ReadFull(r, body)
	return append(raw, body...), err
}

func TestRequestBytesAreMars(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers map[string]string
		body    string
		exact   string // the bytes Mars sends, when spelt out
	}{
		{"defaults", nil, "hello", "POST /mars/hello2?a=1 HTTP/1.1\r\n" +
			"Accept: */*\r\n" +
			"Cache-Control: no-cache\r\n" +
			"Connection: close\r\n" +
			"Content-Length: 5\r\n" +
			"Content-Type: application/octet-stream\r\n" +
			"Host: short.example.com\r\n" +
			"User-Agent: MicroMessenger Client\r\n" +
			"\r\n" +
			"hello"},
		{"empty body", nil, "", ""},
		{"task headers", map[string]string{"X-Zeta": "z", "accept": "text/plain", "Authorization": "t"}, "abc", ""},
		{"keep-alive", map[string]string{"Connection": "Keep-Alive"}, strings.Repeat("b", 9000), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan []byte, 1)
			addr := rawServer(t, func(c net.Conn, r *bufio.Reader) {
				raw, _ := readRequest(r)
				got <- raw
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			})
			tr := newTransport(t, addr, nil)
			if _, err := roundTrip(t, tr, &Request{Host: "short.example.com", Cgi: "/mars/hello2?a=1",
				Headers: tc.headers, Body: []byte(tc.body)}); err != nil {
				t.Fatal(err)
			}
			var hs []wire.Header
			for k, v := range tc.headers {
				hs = append(hs, wire.Header{Name: k, Value: v})
			}
			want, err := wire.AppendShortRequest(nil, wire.ShortRequest{URL: "/mars/hello2?a=1",
				Host: "short.example.com", Headers: hs, Body: []byte(tc.body)})
			if err != nil {
				t.Fatal(err)
			}
			raw := <-got
			if string(raw) != string(want) {
				t.Fatalf("on the wire:\n%q\nwant (wire.AppendShortRequest):\n%q", raw, want)
			}
			if tc.exact != "" && string(raw) != tc.exact {
				t.Fatalf("on the wire:\n%q\nwant Mars's bytes:\n%q", raw, tc.exact)
			}
		})
	}
}

func TestResponseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		typ, code    int
	}{
		{"close-delimited body", "HTTP/1.1 200 OK\r\n\r\nbody", TypeSocket, CodeShutdown},
		{"EOF before response", "", TypeSocket, CodeShutdown},
		{"EOF in body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", TypeSocket, CodeShutdown},
		{"bad status line", "HTTX/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", TypeHttp, CodeParseStatusLine},
		{"bad status code", "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n", TypeHttp, CodeParseStatusLine},
		{"bad header", "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", TypeHttp, CodeSplitHeadAndBody},
		{"bad length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", TypeHttp, CodeSplitHeadAndBody},
		{"bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", TypeHttp, CodeSplitHeadAndBody},
		{"status 404", "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", TypeHttp, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := rawServer(t, func(c net.Conn, r *bufio.Reader) {
				_, _ = readRequest(r)
				_, _ = io.WriteString(c, tc.answer)
			})
			tr := newTransport(t, addr, nil)
			_, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Body: []byte("x")})
			wantErr(t, err, tc.typ, tc.code)
		})
	}
}

func TestChunkedBody(t *testing.T) {
	addr := rawServer(t, func(c net.Conn, r *bufio.Reader) {
		_, _ = readRequest(r)
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
	})
	body, err := roundTrip(t, newTransport(t, addr, nil), &Request{Host: "h", Cgi: "/"})
	if err != nil || string(body) != "abcde" {
		t.Fatalf("got %q, %v", body, err)
	}
}

func TestResponseTooLarge(t *testing.T) {
	srv, _ := echoServer(t)
	tr := newTransport(t, srv.Listener.Addr().String(), func(c *Config) { c.MaxResponse = 4 })
	_, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Body: []byte("12345")})
	wantErr(t, err, TypeHttp, CodeSplitHeadAndBody)
}

func TestNoAddress(t *testing.T) {
	tr := newTransport(t, "127.0.0.1:1", func(c *Config) {
		c.Candidates = func(context.Context, string, int) ([]string, error) { return nil, nil }
	})
	_, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/"})
	wantErr(t, err, TypeDns, CodeDnsMakeSocket)
}

// Mars's default short-link port is 0; ours is HTTP's (docs/differences.md,
// "Short-link port").
func TestUnsetPortIs80Or443WithTLS(t *testing.T) {
	for _, tc := range []struct {
		tls  *tls.Config
		want int
	}{{nil, 80}, {&tls.Config{MinVersion: tls.VersionTLS13}, 443}} {
		asked := make(chan int, 1)
		tr := newTransport(t, "127.0.0.1:1", func(c *Config) {
			c.Port, c.TLS = 0, tc.tls
			c.Candidates = func(_ context.Context, _ string, port int) ([]string, error) {
				asked <- port
				return nil, nil
			}
		})
		_, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/"})
		wantErr(t, err, TypeDns, CodeDnsMakeSocket)
		if got := <-asked; got != tc.want {
			t.Fatalf("TLS %v: port %d, want %d", tc.tls != nil, got, tc.want)
		}
	}
}

func TestAllConnectsFail(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // a refused port
	var results atomic.Int32
	tr := newTransport(t, addr, func(c *Config) {
		c.DialResult = func(_ []string, r dial.Result) {
			if r.Conn == nil && len(r.Failures) == 1 {
				results.Add(1)
			}
		}
	})
	_, err = roundTrip(t, tr, &Request{Host: "h", Cgi: "/"})
	wantErr(t, err, TypeSocket, CodeMakeSocketPrepared)
	if results.Load() != 1 {
		t.Fatalf("DialResult saw %d failed races, want 1", results.Load())
	}
}

func TestKeepAliveReuse(t *testing.T) {
	srv, conns := echoServer(t)
	tr := newTransport(t, srv.Listener.Addr().String(), nil)
	keep := map[string]string{"Connection": "Keep-Alive"}
	for i := range 3 {
		body, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Headers: keep, Body: []byte{byte('a' + i)}})
		if err != nil || len(body) != 1 {
			t.Fatalf("attempt %d: %q, %v", i, body, err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("keep-alive attempts used %d connections, want 1", n)
	}
	for range 2 {
		if _, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Body: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 3 {
		t.Fatalf("after two close attempts %d connections, want 3", n)
	}
}

func TestReusedFailureBansReuse(t *testing.T) {
	var conns atomic.Int32
	addr := rawServer(t, func(c net.Conn, r *bufio.Reader) {
		n := conns.Add(1)
		for i := 0; ; i++ {
			if _, err := readRequest(r); err != nil {
				return
			}
			if n == 1 && i == 1 {
				return // the reused connection dies without an answer
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok")
		}
	})
	now := time.Unix(1000, 0)
	tr := newTransport(t, addr, func(c *Config) { c.Now = func() time.Time { return now } })
	keep := map[string]string{"Connection": "Keep-Alive"}
	if _, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Headers: keep}); err != nil {
		t.Fatal(err)
	}
	_, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Headers: keep})
	wantErr(t, err, TypeSocket, CodeShutdown)
	if !tr.isBanned("h") {
		t.Fatal("a failed reused connection did not ban reuse")
	}
	now = now.Add(BanInterval)
	if tr.isBanned("h") {
		t.Fatal("the ban outlived BanInterval")
	}
}

type recorder struct {
	mu        sync.Mutex
	connected []string
	sending   int
	received  int
}

func (r *recorder) Connected(addr string, _ bool) {
	r.mu.Lock()
	r.connected = append(r.connected, addr)
	r.mu.Unlock()
}
func (r *recorder) Sending(time.Time)           { r.mu.Lock(); r.sending++; r.mu.Unlock() }
func (r *recorder) Received(n int, _ time.Time) { r.mu.Lock(); r.received += n; r.mu.Unlock() }

func TestProgressAndTraffic(t *testing.T) {
	srv, _ := echoServer(t)
	var recv atomic.Int64
	sent := make(chan int64, 16)
	tr := newTransport(t, srv.Listener.Addr().String(), func(c *Config) {
		c.Traffic = func(s, r int64) {
			recv.Add(r)
			if s > 0 {
				sent <- s // the writer may report after the answer was read
			}
		}
	})
	rec := &recorder{}
	if _, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Body: []byte("hello"), Progress: rec}); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.connected) != 1 || rec.connected[0] != srv.Listener.Addr().String() || rec.sending != 1 {
		t.Fatalf("progress: connected %v, sending %d", rec.connected, rec.sending)
	}
	if rec.received < len("hello") || int64(rec.received) != recv.Load() {
		t.Fatalf("progress received %d, traffic recv %d", rec.received, recv.Load())
	}
	select {
	case n := <-sent:
		if n <= int64(len("hello")) {
			t.Fatalf("traffic sent %d bytes, want the whole request", n)
		}
	case <-time.After(testTimeout):
		t.Fatal("no send traffic reported")
	}
}

func TestCancelEndsAttempt(t *testing.T) {
	addr := rawServer(t, func(c net.Conn, r *bufio.Reader) {
		_, _ = readRequest(r)
		_, _ = r.ReadByte() // silent until the client goes away
	})
	tr := newTransport(t, addr, nil)
	ctx, cancel := context.WithCancel(context.Background())
	rec := &sendSignal{ch: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := tr.RoundTrip(ctx, &Request{Host: "h", Cgi: "/", Progress: rec})
		done <- err
	}()
	<-rec.ch
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled attempt ended with %v", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("cancel did not end the attempt")
	}
}

type sendSignal struct {
	once sync.Once
	ch   chan struct{}
}

func (s *sendSignal) Connected(string, bool)  {}
func (s *sendSignal) Sending(time.Time)       { s.once.Do(func() { close(s.ch) }) }
func (s *sendSignal) Received(int, time.Time) {}

func TestKeepAliveTimeoutHeader(t *testing.T) {
	for h, want := range map[string]time.Duration{
		"timeout=5": 5 * time.Second, "timeout=1, max=100": time.Second, "max=3, timeout=59": 59 * time.Second,
		"timeout=60": DefaultIdleTimeout, "timeout=0": DefaultIdleTimeout, "": DefaultIdleTimeout, "timeout=x": DefaultIdleTimeout,
	} {
		if got := keepAliveTimeout(h, DefaultIdleTimeout); got != want {
			t.Errorf("Keep-Alive %q: %v, want %v", h, got, want)
		}
	}
}

// TestKeptConnectionClosesAfterServerTimeout: a server answering
// "Keep-Alive: timeout=1" sees the idle connection closed about 1 s later.
func TestKeptConnectionClosesAfterServerTimeout(t *testing.T) {
	closed := make(chan time.Time, 1)
	answered := make(chan time.Time, 1)
	addr := rawServer(t, func(c net.Conn, r *bufio.Reader) {
		if _, err := readRequest(r); err != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=1\r\nContent-Length: 2\r\n\r\nok")
		answered <- time.Now()
		if _, err := r.ReadByte(); err != nil {
			closed <- time.Now()
		}
	})
	tr := newTransport(t, addr, nil)
	if _, err := roundTrip(t, tr, &Request{Host: "h", Cgi: "/", Headers: map[string]string{"Connection": "Keep-Alive"}}); err != nil {
		t.Fatal(err)
	}
	at := <-answered
	select {
	case c := <-closed:
		if d := c.Sub(at); d < 900*time.Millisecond || d > 5*time.Second {
			t.Fatalf("idle connection closed %v after the answer, want about 1 s", d)
		}
	case <-time.After(testTimeout):
		t.Fatal("the kept connection outlived the server's keep-alive timeout")
	}
}

func TestUnwritableRequestIsATaskParamError(t *testing.T) {
	tr := newTransport(t, "127.0.0.1:1", nil)
	for name, r := range map[string]*Request{
		"CRLF in a header value": {Host: "h", Cgi: "/", Headers: map[string]string{"X": "a\r\nEvil: 1"}},
		"colon in a header name": {Host: "h", Cgi: "/", Headers: map[string]string{"X:Y": "a"}},
		"relative cgi":           {Host: "h", Cgi: "mars"},
		"space in cgi":           {Host: "h", Cgi: "/a b"},
		"no host":                {Cgi: "/"},
	} {
		_, err := roundTrip(t, tr, r)
		var e *Error
		if !errors.As(err, &e) || e.Type != TypeLocal || e.Code != CodeTaskParam {
			t.Errorf("%s: %v, want (9, -12)", name, err)
		}
	}
}
