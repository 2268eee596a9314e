package engine_test

import (
	"bufio"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/marsd"
)

// fixedAddrs is an AddressSource racing its list as given.
type fixedAddrs []engine.Address

func (f fixedAddrs) LongLinkCandidates(context.Context, engine.AddressSettings) ([]engine.Address, error) {
	return f, nil
}

func loopAddr(t *testing.T, addr string) engine.Address {
	return engine.Address{Host: "marsd.test", IP: "127.0.0.1", Port: port(t, addr)}
}

// A TLS failure of the candidate that connected first loses it the race:
// the next candidate goes on in the same connect attempt (here at once, as
// a failure does) instead of the link failing and waiting for a new round.
func TestLoopbackTLSFailureOfOneCandidateLetsTheNextWin(t *testing.T) {
	srv := startMarsd(t)
	pool, cert, pin := selfSigned(t)
	good, _ := tlsFront(t, srv.LongAddr(), cert)
	_, otherCert, _ := selfSigned(t) // a front whose key is not pinned
	bad, badHellos := tlsFront(t, srv.LongAddr(), otherCert)
	cb := newNetCallbacks()
	e := startEngine(t, srv, engine.Config{ConnectInterval: time.Hour, MinConnectInterval: time.Hour,
		Addresses: fixedAddrs{loopAddr(t, bad), loopAddr(t, good)},
		TLS:       &engine.TLSConfig{RootCAs: pool, PinnedSPKI: [][32]byte{pin}}}, cb)
	runTask(t, e, cb)
	if ev := fmt.Sprintf("4 %d %s", engine.EctHandshakeCertificate, bad); !cb.has(ev) {
		t.Fatalf("no %q in %q", ev, cb.events)
	}
	if !cb.has("0 0 " + good) {
		t.Fatalf("not connected to %s: %q", good, cb.events)
	}
	if len(badHellos) != 1 {
		t.Fatalf("%d handshakes with the bad front, want the one attempt", len(badHellos))
	}
}

// failingProxy serves reply to every CONNECT.
func failingProxy(t *testing.T, reply string) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front(t, l, func(c net.Conn) {
		if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
			io.WriteString(c, reply)
		}
	})
	return l.Addr().String()
}

// A proxy that fails is reported as the proxy's failure, with its own code
// and its own address, and never enters the target's IP history.
func TestLoopbackProxyFailureBlamesTheProxyNotTheTarget(t *testing.T) {
	for name, tc := range map[string]struct {
		reply string
		code  int
	}{
		"502":     {"HTTP/1.1 502 Bad Gateway\r\n\r\n", engine.EctSocketProxyRefused},
		"407":     {"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", engine.EctSocketProxyAuth},
		"garbage": {"hello\r\n\r\n", engine.EctSocketProxyProtocol},
	} {
		t.Run(name, func(t *testing.T) {
			srv := startMarsd(t)
			proxy := failingProxy(t, tc.reply)
			dir := t.TempDir()
			cb := newNetCallbacks()
			e := startEngine(t, srv, engine.Config{AppFilePath: dir,
				Proxy: &engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: proxy}}, cb)
			e.MakesureLonglinkConnected()
			waitStatus(t, cb, 4)
			e.Close()
			if ev := fmt.Sprintf("4 %d %s", tc.code, proxy); !cb.has(ev) {
				t.Fatalf("no %q in %q", ev, cb.events)
			}
			cb.mu.Lock()
			for _, ev := range cb.events {
				if strings.HasSuffix(ev, " "+srv.LongAddr()) {
					t.Errorf("the target was blamed: %q", ev)
				}
			}
			cb.mu.Unlock()
			b, err := os.ReadFile(filepath.Join(dir, "host", "ipportrecords.json"))
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if strings.Contains(string(b), srv.LongAddr()) {
				t.Fatalf("the target entered the IP history: %s", b)
			}
		})
	}
}

// The same through SOCKS5: a proxy refusing the credentials is an
// authentication failure of the proxy.
func TestLoopbackSOCKS5AuthRefusalBlamesTheProxy(t *testing.T) {
	srv := startMarsd(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front(t, l, func(c net.Conn) {
		b := make([]byte, 257)
		if _, err := io.ReadFull(c, b[:2]); err == nil {
			io.ReadFull(c, b[:b[1]])
			c.Write([]byte{5, 0xff}) // no acceptable method
		}
	})
	cb := newNetCallbacks()
	e := startEngine(t, srv, engine.Config{Proxy: &engine.ProxyConfig{Kind: engine.ProxySOCKS5,
		Addr: l.Addr().String(), User: "u", Password: "p"}}, cb)
	e.MakesureLonglinkConnected()
	waitStatus(t, cb, 4)
	if ev := fmt.Sprintf("4 %d %s", engine.EctSocketProxyAuth, l.Addr()); !cb.has(ev) {
		t.Fatalf("no %q in %q", ev, cb.events)
	}
}

// shortNetCallbacks also takes Mars's OnShortLinkNetworkError.
type shortNetCallbacks struct {
	*shortCallbacks
	netErrs chan string
}

func newShortNetCallbacks() *shortNetCallbacks {
	return &shortNetCallbacks{shortCallbacks: newShortCallbacks(), netErrs: make(chan string, 64)}
}

func (c *shortNetCallbacks) OnShortLinkNetworkError(typ engine.ErrType, code int, ip string, port int) {
	c.netErrs <- fmt.Sprintf("%d %d %s", typ, code, net.JoinHostPort(ip, fmt.Sprint(port)))
}

// wantNetErr waits for the short-link network error want.
func wantNetErr(t *testing.T, c *shortNetCallbacks, want string) {
	t.Helper()
	deadline := time.After(loopTimeout)
	for {
		select {
		case got := <-c.netErrs:
			if got == want {
				return
			}
		case <-deadline:
			t.Fatalf("no short-link network error %q", want)
		}
	}
}

// A short-link pin failure is not a network failure: the task is not
// parked until its total timeout but ends with the TLS error after its
// retries, and the host hears of it through OnShortLinkNetworkError.
func TestLoopbackShortPinFailureEndsWithTheTLSErrorAndIsReported(t *testing.T) {
	srv := startMarsd(t)
	pool, cert, _ := selfSigned(t)
	addr, _ := tlsFront(t, srv.ShortAddr(), cert)
	cb := newShortNetCallbacks()
	e := shortEngine(t, srv, addr, engine.Config{ShortLinkTLS: &engine.TLSConfig{RootCAs: pool,
		PinnedSPKI: [][32]byte{{1, 2, 3}}}, RetryInterval: time.Millisecond}, cb)
	tk := shortTask(e, "/mars/hello")
	tk.TotalTimeout = time.Minute // a parked task would end only then
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctSocket, engine.EctHandshakePinMismatch})
	wantNetErr(t, cb, fmt.Sprintf("4 %d %s", engine.EctHandshakePinMismatch, addr))
}

// A short-link proxy failure ends the task with the proxy's code and is
// reported with the proxy's address.
func TestLoopbackShortProxyFailureEndsWithTheProxyError(t *testing.T) {
	srv := startMarsd(t)
	proxy := failingProxy(t, "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
	cb := newShortNetCallbacks()
	e := shortEngine(t, srv, srv.ShortAddr(), engine.Config{RetryInterval: time.Millisecond,
		Proxy: &engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: proxy}}, cb)
	tk := shortTask(e, "/mars/hello")
	tk.TotalTimeout = time.Minute
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctSocket, engine.EctSocketProxyAuth})
	wantNetErr(t, cb, fmt.Sprintf("4 %d %s", engine.EctSocketProxyAuth, proxy))
}

// A stalled short-link TLS handshake is bounded by ConnectTimeout, as on
// the long link, not by the task's timeout.
func TestLoopbackShortTLSHandshakeIsBoundedByConnectTimeout(t *testing.T) {
	srv := startMarsd(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front(t, l, func(c net.Conn) { io.Copy(io.Discard, c) }) // accepts TCP, never speaks TLS
	cb := newShortNetCallbacks()
	e := shortEngine(t, srv, l.Addr().String(), engine.Config{ConnectTimeout: 200 * time.Millisecond,
		ShortLinkTLS: &engine.TLSConfig{RootCAs: x509.NewCertPool()}}, cb)
	tk := shortTask(e, "/mars/hello")
	tk.RetryCount, tk.NetworkStatusSensitive = 0, true
	tk.TotalTimeout = time.Minute
	e.StartTask(tk)
	wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctSocket, engine.EctSocketMakeSocketPrepared})
}

// When every candidate of a long-link connect fails TLS or the proxy, the
// tasks waiting for the link end at once with that error rather than at
// their timeout: another round cannot fix a pin or a proxy.
func TestLoopbackLongSecureFailureEndsWaitingTasksAtOnce(t *testing.T) {
	for name, tc := range map[string]struct {
		cfg  func(t *testing.T, srv *marsd.Server) engine.Config
		code int
	}{
		"pin": {func(t *testing.T, srv *marsd.Server) engine.Config {
			pool, cert, _ := selfSigned(t)
			addr, _ := tlsFront(t, srv.LongAddr(), cert)
			return engine.Config{Addresses: fixedAddrs{loopAddr(t, addr)},
				TLS: &engine.TLSConfig{RootCAs: pool, PinnedSPKI: [][32]byte{{1, 2, 3}}}}
		}, engine.EctHandshakePinMismatch},
		"proxy": {func(t *testing.T, srv *marsd.Server) engine.Config {
			proxy := failingProxy(t, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
			return engine.Config{Proxy: &engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: proxy}}
		}, engine.EctSocketProxyRefused},
	} {
		t.Run(name, func(t *testing.T) {
			srv := startMarsd(t)
			cb := newNetCallbacks()
			e := startEngine(t, srv, tc.cfg(t, srv), cb)
			tk := longTask(e, 7)
			tk.TotalTimeout = time.Minute // a waiting task would end only then
			if err := e.StartTask(tk); err != nil {
				t.Fatal(err)
			}
			wantOutcome(t, cb.loopCallbacks, outcome{tk.TaskID, engine.EctSocket, tc.code})
		})
	}
}
