//go:build !mars_xlog_only

package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
)

func TestGetProxyInfoIsAskedOnlyWhenSet(t *testing.T) {
	if _, ok := engineCallbacks(testCallbacks()).(engine.ProxyProvider); ok {
		t.Fatal("a table without get_proxy_info makes the engine ask for proxies")
	}
	cb, ok := engineCallbacks(testProxyCallbacks(1, cProxySOCKS5, false)).(engine.ProxyProvider)
	if !ok {
		t.Fatal("get_proxy_info is not a ProxyProvider")
	}
	px, ok := cb.ProxyFor("h.test", true)
	want := engine.ProxyConfig{Kind: engine.ProxySOCKS5, Addr: "127.0.0.1:1080", User: "u", Password: "p"}
	if !ok || px == nil || *px != want {
		t.Fatalf("%+v %v", px, ok)
	}
	if host, long := testProxyAsked(); host != "h.test" || !long {
		t.Fatalf("asked (%q, %v)", host, long)
	}
	for _, tc := range []struct {
		ret, kind int
		wantOK    bool
	}{{0, cProxyHTTP, false}, {1, cProxyNone, true}} {
		cb := engineCallbacks(testProxyCallbacks(tc.ret, tc.kind, false)).(engine.ProxyProvider)
		if px, ok := cb.ProxyFor("h", false); px != nil || ok != tc.wantOK {
			t.Errorf("ret %d kind %d: %+v %v", tc.ret, tc.kind, px, ok)
		}
	}
	// An addr without its NUL is cut inside the struct.
	cb = engineCallbacks(testProxyCallbacks(1, cProxyHTTP, true)).(engine.ProxyProvider)
	if px, _ := cb.ProxyFor("h", false); px == nil || px.Addr != strings.Repeat("a", 263) {
		t.Fatalf("%+v", px)
	}
}

func TestReportDnsProfileReachesC(t *testing.T) {
	h := testDnsCallbacks()
	before := testLastDns().calls // the C side keeps counting across -count runs
	start := time.UnixMilli(1_700_000_000_123)
	h.ReportDnsProfile(engine.DnsProfile{Host: "h.test", LongLink: true, IPs: []string{"10.0.0.1", "10.0.0.2"},
		Source: engine.DnsSourceNewDns, Start: start, Duration: 1500 * time.Millisecond})
	got := testLastDns()
	if got.calls != before+1 || got.host != "h.test" || got.longlink != 1 || got.source != 1 || got.ipCount != 2 ||
		got.lastIP != "10.0.0.2" || got.startMs != start.UnixMilli() || got.costMs != 1500 || got.errType != 0 ||
		got.errCode != 0 || got.errText != "" || got.structSize != cSizeofDnsProfile {
		t.Fatalf("%+v", got)
	}
	h.ReportDnsProfile(engine.DnsProfile{Host: "x", Source: engine.DnsSourceSystem, Err: errors.New("no such host")})
	got = testLastDns()
	if got.calls != before+2 || got.longlink != 0 || got.source != 2 || got.ipCount != 0 || got.errType != int(engine.EctLocal) ||
		got.errCode != -1 || got.errText != "no such host" {
		t.Fatalf("%+v", got)
	}
	testCallbacks().ReportDnsProfile(engine.DnsProfile{Host: "y"}) // NULL: nothing
	if testLastDns().calls != before+2 {
		t.Fatal("a NULL report_dns_profile was called")
	}
}

// connectProxy is a loopback HTTP CONNECT proxy; refuse answers 502.
func connectProxy(t *testing.T, refuse bool) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				up, err := net.Dial("tcp", req.RequestURI)
				if refuse || err != nil {
					io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
					return
				}
				defer up.Close()
				io.WriteString(c, "HTTP/1.1 200 OK\r\n\r\n")
				go io.Copy(up, c)
				io.Copy(c, up)
			}()
		}
	}()
	return l.Addr().String()
}

func statusServer(t *testing.T, status int) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) })}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	_, p, _ := net.SplitHostPort(l.Addr().String())
	n, _ := strconv.Atoi(p)
	return n
}

func TestProxyIsAvailableExport(t *testing.T) {
	px := connectProxy(t, false)
	for _, tc := range []struct {
		status, available, code int
	}{{200, 1, 0}, {301, 1, 0}, {404, 0, 404}} {
		rc, av, code := testProxyIsAvailable(cProxyHTTP, px, "127.0.0.1", statusServer(t, tc.status), 5000, false)
		if rc != 0 || av != tc.available || code != tc.code {
			t.Errorf("status %d: rc %d available %d code %d", tc.status, rc, av, code)
		}
	}
	rc, av, code := testProxyIsAvailable(cProxyHTTP, connectProxy(t, true), "127.0.0.1", statusServer(t, 200), 5000, false)
	if rc != 0 || av != 0 || code != engine.EctSocketProxyRefused {
		t.Errorf("refused: rc %d available %d code %d", rc, av, code)
	}
	for name, args := range map[string]struct {
		kind     int
		addr     string
		port     int
		nilProxy bool
	}{
		"NULL proxy": {cProxyHTTP, px, 80, true}, "kind NONE": {cProxyNone, px, 80, false},
		"unknown kind": {9, px, 80, false}, "no port": {cProxyHTTP, "127.0.0.1", 80, false},
		"bad test port": {cProxyHTTP, px, 70000, false},
	} {
		if rc, av, _ := testProxyIsAvailable(args.kind, args.addr, "127.0.0.1", args.port, 100, args.nilProxy); rc != 1 || av != 0 {
			t.Errorf("%s: rc %d available %d, want MARS_EINVAL", name, rc, av)
		}
	}
}
