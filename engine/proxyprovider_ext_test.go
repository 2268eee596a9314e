package engine_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
)

// proxyCallbacks answers ProxyFor with answer and reports each question.
type proxyCallbacks struct {
	*netCallbacks
	answer func(host string, longlink bool) (*engine.ProxyConfig, bool)
	asked  chan string
}

func newProxyCallbacks(answer func(string, bool) (*engine.ProxyConfig, bool)) *proxyCallbacks {
	return &proxyCallbacks{netCallbacks: newNetCallbacks(), answer: answer, asked: make(chan string, 64)}
}

func (c *proxyCallbacks) ProxyFor(host string, longlink bool) (*engine.ProxyConfig, bool) {
	select {
	case c.asked <- host + " " + strconv.FormatBool(longlink):
	default:
	}
	return c.answer(host, longlink)
}

// shortProxyCallbacks is proxyCallbacks for short tasks.
type shortProxyCallbacks struct {
	*shortCallbacks
	*proxyCallbacks
}

func (c shortProxyCallbacks) OnTaskEnd(t engine.TaskRef, typ engine.ErrType, code int, p *engine.TaskProfile) int {
	return c.shortCallbacks.OnTaskEnd(t, typ, code, p)
}

func (c shortProxyCallbacks) Buf2Resp(t engine.TaskRef, ch engine.ChannelSelect, body []byte) (int, int) {
	return c.shortCallbacks.Buf2Resp(t, ch, body)
}

// recvWithin is the next value of ch, failing the test when none comes in
// loopTimeout.
func recvWithin(t *testing.T, ch <-chan string, what string) string {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(loopTimeout):
		t.Fatalf("%s never came", what)
		return ""
	}
}

func wantAsked(t *testing.T, c *proxyCallbacks, want string) {
	t.Helper()
	select {
	case got := <-c.asked:
		if got != want {
			t.Fatalf("ProxyFor(%s), want (%s)", got, want)
		}
	default:
		t.Fatalf("ProxyFor was never asked, want (%s)", want)
	}
}

// Mars's GetProxyInfo: the host's answer for the long link's host picks
// the proxy of that connect; the engine has no proxy of its own.
func TestLoopbackProxyForChoosesTheLongLinkProxy(t *testing.T) {
	srv := startMarsd(t)
	px := newRecordingProxy(t, srv.LongAddr())
	cb := newProxyCallbacks(func(string, bool) (*engine.ProxyConfig, bool) { return proxyAt(px), true })
	e := startEngine(t, srv, engine.Config{}, cb)
	runTask(t, e, cb.netCallbacks)
	if got := recvWithin(t, px.asked, "the proxy's CONNECT"); got != srv.LongAddr() {
		t.Fatalf("the proxy was asked for %s, want %s", got, srv.LongAddr())
	}
	wantAsked(t, cb, "marsd.test true")
}

// A nil answer is "direct", over Config.Proxy (which refuses everything
// here); no answer (ok false) is Config.Proxy.
func TestLoopbackProxyForNilIsDirectAndNoAnswerIsConfigProxy(t *testing.T) {
	srv := startMarsd(t)
	refusing := newRecordingProxy(t)
	direct := newProxyCallbacks(func(string, bool) (*engine.ProxyConfig, bool) { return nil, true })
	e := startEngine(t, srv, engine.Config{Proxy: proxyAt(refusing)}, direct)
	runTask(t, e, direct.netCallbacks)
	if len(refusing.asked) != 0 {
		t.Fatalf("the proxy was asked for %s", <-refusing.asked)
	}

	tunnel := newRecordingProxy(t, srv.LongAddr())
	none := newProxyCallbacks(func(string, bool) (*engine.ProxyConfig, bool) { return proxyAt(refusing), false })
	e = startEngine(t, srv, engine.Config{Proxy: proxyAt(tunnel)}, none)
	runTask(t, e, none.netCallbacks)
	if got := recvWithin(t, tunnel.asked, "Config.Proxy's CONNECT"); got != srv.LongAddr() {
		t.Fatalf("Config.Proxy was asked for %s, want %s", got, srv.LongAddr())
	}
	if len(refusing.asked) != 0 {
		t.Fatal("an answer with ok false was used")
	}
}

func TestLoopbackProxyForChoosesTheShortLinkProxy(t *testing.T) {
	srv := startMarsd(t)
	socks, targets := socks5Server(t)
	pc := newProxyCallbacks(func(_ string, longlink bool) (*engine.ProxyConfig, bool) {
		if longlink {
			return nil, false
		}
		return &engine.ProxyConfig{Kind: engine.ProxySOCKS5, Addr: socks}, true
	})
	cb := shortProxyCallbacks{newShortCallbacks(), pc}
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{}, cb)
	tk := shortTask(e, "/mars/hello")
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	if got := recvWithin(t, targets, "the SOCKS5 CONNECT"); got != srv.ShortAddr() {
		t.Fatalf("SOCKS5 CONNECT %s, want %s", got, srv.ShortAddr())
	}
	wantAsked(t, pc, "marsd.test false")
}

// statusServer answers every HTTP request with status.
func statusServer(t *testing.T, status int) (host string, p int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/" || r.Host != "127.0.0.1" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(status)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return "127.0.0.1", port(t, l.Addr().String())
}

// Mars's ProxyIsAvailable: a GET through the proxy, true for 200, 3xx and
// 497, through either kind of proxy.
func TestLoopbackProxyIsAvailable(t *testing.T) {
	httpProxy, httpTargets := connectProxy(t)
	socks, socksTargets := socks5Server(t)
	for _, px := range []engine.ProxyConfig{{Kind: engine.ProxyHTTP, Addr: httpProxy}, {Kind: engine.ProxySOCKS5, Addr: socks}} {
		targets := httpTargets
		if px.Kind == engine.ProxySOCKS5 {
			targets = socksTargets
		}
		for _, tc := range []struct {
			status int
			want   bool
		}{{200, true}, {302, true}, {497, true}, {404, false}, {502, false}} {
			host, p := statusServer(t, tc.status)
			ctx, cancel := context.WithTimeout(context.Background(), loopTimeout)
			ok, err := engine.ProxyIsAvailable(ctx, px, host, p)
			cancel()
			if got := recvWithin(t, targets, "the proxy's CONNECT"); got != net.JoinHostPort(host, strconv.Itoa(p)) {
				t.Errorf("the proxy was asked for %s", got)
			}
			var ae *engine.ProxyAnswerError
			if ok != tc.want || ok != (err == nil) || (!ok && (!errors.As(err, &ae) || ae.Status != tc.status)) {
				t.Errorf("kind %d, status %d: %v, %v; want %v", px.Kind, tc.status, ok, err, tc.want)
			}
		}
	}
}

func TestLoopbackProxyIsAvailableReportsTheProxysFailure(t *testing.T) {
	refusing := newRecordingProxy(t) // 502 to every CONNECT
	host, p := statusServer(t, 200)
	ok, err := engine.ProxyIsAvailable(context.Background(), *proxyAt(refusing), host, p)
	var pe *engine.ProxyError
	if ok || !errors.As(err, &pe) || pe.Code != engine.EctSocketProxyRefused {
		t.Fatalf("%v, %v; want a refused proxy", ok, err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front(t, l, func(c net.Conn) { io.WriteString(c, "not http\r\n\r\n") })
	ok, err = engine.ProxyIsAvailable(context.Background(), engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: l.Addr().String()}, host, p)
	if ok || !errors.As(err, &pe) || pe.Code != engine.EctSocketProxyProtocol {
		t.Fatalf("%v, %v; want a protocol failure", ok, err)
	}
	if ok, err := engine.ProxyIsAvailable(context.Background(), engine.ProxyConfig{Kind: 7, Addr: "x"}, host, p); ok ||
		!errors.Is(err, engine.ErrProxyUnusable) {
		t.Fatalf("an unusable proxy: %v, %v", ok, err)
	}
	if ok, err := engine.ProxyIsAvailable(context.Background(), *proxyAt(refusing), "h\r\nX-Injected: 1", p); ok ||
		!errors.Is(err, engine.ErrProxyUnusable) {
		t.Fatalf("a test host with CR LF: %v, %v", ok, err)
	}
}

func TestLoopbackProxyIsAvailableEndsWithItsContext(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front(t, l, func(c net.Conn) { io.Copy(io.Discard, c) }) // a proxy that never answers
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ok, err := engine.ProxyIsAvailable(ctx, engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: l.Addr().String()}, "127.0.0.1", 80)
	if ok || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v, %v", ok, err)
	}
}
