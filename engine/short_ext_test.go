package engine_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/wire"
)

// shortCallbacks also records response bodies.
type shortCallbacks struct {
	*loopCallbacks
	bodies chan string
}

func newShortCallbacks() *shortCallbacks {
	return &shortCallbacks{loopCallbacks: newLoopCallbacks(), bodies: make(chan string, 1024)}
}

func (c *shortCallbacks) Buf2Resp(_ engine.TaskRef, ch engine.ChannelSelect, body []byte) (int, int) {
	if ch != engine.ChannelShort {
		c.bodies <- "wrong channel"
	}
	c.bodies <- string(body)
	return engine.RespHandleNormal, 0
}

// shortEngine is an engine whose short link points at addr.
func shortEngine(t testing.TB, srv *marsd.Server, addr string, cfg engine.Config, cb engine.Callbacks) *engine.Engine {
	t.Helper()
	e := startEngine(t, srv, cfg, cb)
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	e.SetShortlinkSvrAddr(p, host)
	return e
}

func shortTask(e *engine.Engine, cgi string) engine.Task {
	tk := engine.NewTask(e.GenTaskID(), 0)
	tk.ChannelSelect, tk.Cgi, tk.ShortLinkHostList = engine.ChannelShort, cgi, []string{"marsd.test"}
	return tk
}

func TestLoopbackShortEcho(t *testing.T) {
	srv := startMarsd(t)
	cb := newShortCallbacks()
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{}, cb)
	tk := shortTask(e, "/mars/hello")
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	if got, want := <-cb.bodies, "ping "+strconv.Itoa(int(tk.TaskID)); got != want {
		t.Fatalf("Buf2Resp got %q, want the echo %q", got, want)
	}
}

func TestLoopbackShortStatus500IsRetriedThenReported(t *testing.T) {
	srv := startMarsd(t)
	cb := newShortCallbacks()
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{RetryInterval: 50 * time.Millisecond}, cb)
	tk := shortTask(e, "/mars/hello?marsd_status=500")
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctHttp, 500})
	if n := srv.Stats().ShortRequests; n != 2 {
		t.Fatalf("server saw %d requests, want 2 (one retry)", n)
	}
}

func TestLoopbackShortSilenceIsAFirstPacketTimeout(t *testing.T) {
	srv := startMarsd(t)
	cb := newShortCallbacks()
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{
		BaseFirstPacketTimeout: 200 * time.Millisecond,
		MaxFirstPacketTimeout:  200 * time.Millisecond,
	}, cb)
	tk := shortTask(e, "/mars/hello?marsd_silent=1")
	tk.RetryCount = 0
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctHttp, engine.EctHttpFirstPkgTimeout})
}

func TestLoopbackShortKeepAliveReusesTheConnection(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers map[string]string
		conns   int64
	}{
		{"Connection: Keep-Alive", map[string]string{"Connection": "Keep-Alive"}, 1},
		{"Mars's default close", nil, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startMarsd(t)
			cb := newShortCallbacks()
			e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{}, cb)
			for range 3 {
				tk := shortTask(e, "/mars/hello")
				tk.Headers = tc.headers
				e.StartTask(tk)
				wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
			}
			if n := srv.Stats().ShortConns; n != tc.conns {
				t.Fatalf("%d connections for 3 tasks, want %d", n, tc.conns)
			}
		})
	}
}

// TestLoopbackShortRequestBytes checks Mars's behaviour on a raw listener: the
// bytes are wire.AppendShortRequest's.
func TestLoopbackShortRequestBytes(t *testing.T) {
	srv := startMarsd(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	raw := make(chan string, 1)
	front(t, l, func(c net.Conn) {
		r := bufio.NewReader(c)
		var head strings.Builder
		n := 0
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			head.WriteString(line)
			if k, v, ok := strings.Cut(line, ":"); ok && k == "Content-Length" {
				n, _ = strconv.Atoi(strings.TrimSpace(v))
			}
			if line == "\r\n" {
				break
			}
		}
		body := make([]byte, n)
		io.ReadFull(r, body)
		raw <- head.String() + string(body)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	})
	cb := newShortCallbacks()
	e := shortEngine(t, srv, l.Addr().String(), engine.Config{}, cb)
	tk := shortTask(e, "/mars/hello2")
	tk.Headers = map[string]string{"X-Trace": "1", "accept": "application/x-mars"}
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	want, _ := wire.AppendShortRequest(nil, wire.ShortRequest{URL: "/mars/hello2", Host: "marsd.test",
		Headers: []wire.Header{{Name: "X-Trace", Value: "1"}, {Name: "accept", Value: "application/x-mars"}},
		Body:    []byte("ping " + strconv.Itoa(int(tk.TaskID)))})
	if got := <-raw; got != string(want) {
		t.Fatalf("on the wire:\n%q\nwant\n%q", got, want)
	}
}

func TestLoopbackShortHTTPSWithPins(t *testing.T) {
	srv := startMarsd(t)
	pool, cert, pin := selfSigned(t)
	addr, _ := tlsFront(t, srv.ShortAddr(), cert)
	for _, tc := range []struct {
		name       string
		serverName string
		pins       [][32]byte
		want       outcome
	}{
		{"pinned", "", [][32]byte{pin}, outcome{typ: engine.EctOK}},
		{"pin mismatch", "", [][32]byte{{1, 2, 3}}, outcome{typ: engine.EctSocket, code: engine.EctHandshakePinMismatch}},
		{"wrong name", "other.test", [][32]byte{pin}, outcome{typ: engine.EctSocket, code: engine.EctHandshakeCertificate}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cb := newShortCallbacks()
			e := shortEngine(t, srv, addr, engine.Config{ShortLinkTLS: &engine.TLSConfig{ServerName: tc.serverName,
				RootCAs: pool, PinnedSPKI: tc.pins}}, cb)
			tk := shortTask(e, "/mars/hello")
			tk.RetryCount = 0
			e.StartTask(tk)
			tc.want.id = tk.TaskID
			wantOutcome(t, cb.loopCallbacks, tc.want)
		})
	}
}

func TestLoopbackShortThroughHTTPConnectProxy(t *testing.T) {
	srv := startMarsd(t)
	proxy, targets := connectProxy(t)
	cb := newShortCallbacks()
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{Proxy: &engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: proxy}}, cb)
	tk := shortTask(e, "/mars/hello")
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	if got := <-targets; got != srv.ShortAddr() {
		t.Fatalf("CONNECT %s, want %s", got, srv.ShortAddr())
	}
}

type noResolver struct{}

func (noResolver) LookupHost(context.Context, string) ([]string, error) {
	return nil, errors.New("no such host")
}

func TestLoopbackShortWithoutAddressesIsADNSError(t *testing.T) {
	srv := startMarsd(t)
	cb := newShortCallbacks()
	e := startEngine(t, srv, engine.Config{Resolver: noResolver{}}, cb)
	tk := shortTask(e, "/mars/hello")
	tk.RetryCount = 0
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctDns, engine.EctDnsMakeSocketPrepared})
}

// Mars's behaviour on the short link: its sockets carry MSS 1400 on Wi-Fi.
func TestLoopbackShortSocketMSSIsClampedOnWiFi(t *testing.T) {
	srv := startMarsd(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mss := make(chan int, 1)
	front(t, l, func(c net.Conn) {
		mss <- tcpMSS(t, c)
		http.ReadRequest(bufio.NewReader(c))
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	})
	cb := newShortCallbacks()
	e := shortEngine(t, srv, l.Addr().String(), engine.Config{Network: engine.NetworkWiFi}, cb)
	tk := shortTask(e, "/mars/hello")
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	if got := <-mss; got > engine.DefaultWiFiMSS {
		t.Fatalf("short-link socket MSS %d, want ≤ %d", got, engine.DefaultWiFiMSS)
	}
}

// Mars's behaviour: concurrent short tasks use concurrent connections. The
// server answers no request until all n have arrived, each on its own
// connection, so tasks sent one after another would never end.
func TestLoopbackShortTasksRunOnConcurrentConnections(t *testing.T) {
	srv := startMarsd(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	var conns, requests atomic.Int32
	all, stop := make(chan struct{}), make(chan struct{})
	front(t, l, func(c net.Conn) {
		conns.Add(1)
		if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
			return
		}
		if requests.Add(1) == n {
			close(all)
		}
		select {
		case <-all:
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		case <-stop:
		}
	})
	t.Cleanup(func() { close(stop) }) // runs before front's cleanup waits for its handlers
	cb := newShortCallbacks()
	e := shortEngine(t, srv, l.Addr().String(), engine.Config{}, cb)
	for range n {
		e.StartTask(shortTask(e, "/mars/hello"))
	}
	for range n {
		select {
		case got := <-cb.ends:
			if got.typ != engine.EctOK {
				t.Fatalf("task %d ended (%d, %d): the server answers only once all %d requests are in", got.id, got.typ, got.code, n)
			}
		case <-time.After(loopTimeout):
			t.Fatal("tasks did not end")
		}
	}
	if c := conns.Load(); c != n {
		t.Fatalf("%d connections for %d concurrent tasks, want %d", c, n, n)
	}
}

func TestLoopbackShortThroughSOCKS5Proxy(t *testing.T) {
	srv := startMarsd(t)
	proxy, targets := socks5Server(t)
	cb := newShortCallbacks()
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{Proxy: &engine.ProxyConfig{Kind: engine.ProxySOCKS5, Addr: proxy}}, cb)
	tk := shortTask(e, "/mars/hello")
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	if got := <-targets; got != srv.ShortAddr() {
		t.Fatalf("SOCKS5 CONNECT %s, want %s", got, srv.ShortAddr())
	}
}

// rawShortServer answers every request on a raw listener with answer.
func rawShortServer(t *testing.T, answer string) (addr string, requests chan string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	requests = make(chan string, 16)
	front(t, l, func(c net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		body, _ := io.ReadAll(req.Body)
		requests <- string(body)
		io.WriteString(c, answer)
	})
	return l.Addr().String(), requests
}

// Mars's behaviour: a body delimited only by the close is (4, -10090).
func TestLoopbackShortCloseDelimitedBodyIsAnEOFError(t *testing.T) {
	srv := startMarsd(t)
	addr, _ := rawShortServer(t, "HTTP/1.1 200 OK\r\n\r\nno length, then close")
	cb := newShortCallbacks()
	e := shortEngine(t, srv, addr, engine.Config{}, cb)
	tk := shortTask(e, "/mars/hello")
	tk.RetryCount = 0
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctSocket, engine.EctSocketShutdown})
}

// shortTraffic sums TrafficData and reports each call.
type shortTraffic struct {
	*shortCallbacks
	calls chan [2]int64
}

func (c *shortTraffic) TrafficData(send, recv int64) { c.calls <- [2]int64{send, recv} }

// Mars's behaviour on the short link: TrafficData sums equal the bytes on the wire.
func TestLoopbackShortTrafficDataSumsEqualBytesOnTheWire(t *testing.T) {
	srv := startMarsd(t)
	const answer = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong"
	addr, _ := rawShortServer(t, answer)
	cb := &shortTraffic{shortCallbacks: newShortCallbacks(), calls: make(chan [2]int64, 64)}
	e := shortEngine(t, srv, addr, engine.Config{}, cb)
	tk := shortTask(e, "/mars/hello")
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	req, _ := wire.AppendShortRequest(nil, wire.ShortRequest{URL: "/mars/hello", Host: "marsd.test",
		Body: []byte("ping " + strconv.Itoa(int(tk.TaskID)))})
	var sent, recv int64
	deadline := time.After(loopTimeout)
	for sent < int64(len(req)) || recv < int64(len(answer)) {
		select {
		case c := <-cb.calls: // the writer may report after the answer was read
			sent, recv = sent+c[0], recv+c[1]
		case <-deadline:
			t.Fatalf("TrafficData summed to %d sent, %d received; want %d, %d", sent, recv, len(req), len(answer))
		}
	}
	if sent != int64(len(req)) || recv != int64(len(answer)) {
		t.Fatalf("TrafficData summed to %d sent, %d received; want %d, %d", sent, recv, len(req), len(answer))
	}
}

// hostCallbacks records the channel and host each callback is given.
type hostCallbacks struct {
	*shortCallbacks
	seen chan string
}

func (c *hostCallbacks) MakesureAuthed(host, _ string) bool {
	c.seen <- "auth " + host
	return true
}

func (c *hostCallbacks) Req2Buf(ref engine.TaskRef, ch engine.ChannelSelect, host string, dst []byte) ([]byte, int, bool) {
	c.seen <- "req2buf " + strconv.Itoa(int(ch)) + " " + host
	return c.shortCallbacks.Req2Buf(ref, ch, host, dst)
}

// Mars's behaviour: short tasks' callbacks get channel 1 and the first host.
func TestLoopbackShortCallbacksGetChannelShortAndFirstHost(t *testing.T) {
	srv := startMarsd(t)
	cb := &hostCallbacks{shortCallbacks: newShortCallbacks(), seen: make(chan string, 8)}
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{}, cb)
	tk := shortTask(e, "/mars/hello")
	tk.ShortLinkHostList = []string{"first.test", "second.test"}
	tk.NeedAuthed = true
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
	for _, want := range []string{"auth first.test", "req2buf 1 first.test"} {
		if got := <-cb.seen; got != want {
			t.Fatalf("callback %q, want %q", got, want)
		}
	}
	if got := <-cb.bodies; got == "wrong channel" {
		t.Fatal("Buf2Resp did not get ChannelShort")
	}
}
