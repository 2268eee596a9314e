package sdt

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

func httpServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestHTTPOKWithFirstBytes(t *testing.T) {
	var gotUA string
	url := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotUA = r.Header.Get("User-Agent")
		io.WriteString(w, strings.Repeat("x", 1000))
	})
	cfg := testConfig()
	cfg.HTTPFirstBytes = 16
	res := only(t, New(cfg).Run(context.Background(), Request{HTTP: []string{url + "/netcheck"}}), KindHTTP)
	if !res.OK || res.Status != 200 || res.Body != strings.Repeat("x", 16) || res.Target != url+"/netcheck" {
		t.Fatalf("%+v", res)
	}
	if res.FirstByte <= 0 || res.Connect <= 0 || res.FirstByte > res.Duration {
		t.Errorf("connect %v, first byte %v, duration %v", res.Connect, res.FirstByte, res.Duration)
	}
	if gotUA != httpUserAgent {
		t.Errorf("User-Agent %q, want %q", gotUA, httpUserAgent)
	}
}

func TestHTTPStatus500(t *testing.T) {
	url := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "backend down", http.StatusInternalServerError)
	})
	res := only(t, New(testConfig()).Run(context.Background(), Request{HTTP: []string{url}}), KindHTTP)
	if res.OK || res.Reason != ReasonHTTPStatus || res.Status != 500 || !strings.HasPrefix(res.Body, "backend down") {
		t.Fatalf("%+v", res)
	}
}

func TestHTTPRedirectIsReportedNotFollowed(t *testing.T) {
	url := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			t.Errorf("redirect followed to %s", r.URL.Path)
		}
		http.Redirect(w, r, "/portal", http.StatusFound)
	})
	res := only(t, New(testConfig()).Run(context.Background(), Request{HTTP: []string{url}}), KindHTTP)
	if res.OK || res.Status != http.StatusFound || res.Reason != ReasonHTTPStatus {
		t.Fatalf("%+v", res)
	}
}

func TestHTTPFailures(t *testing.T) {
	stall := make(chan struct{})
	t.Cleanup(func() { close(stall) })
	stalled := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stall:
		case <-r.Context().Done():
		}
	})
	tests := []struct {
		name, url string
		want      Reason
	}{
		{"refused", "http://" + refusedAddr(t) + "/", ReasonRefused},
		{"blackholed", "http://" + blackholeAddr(t) + "/", ReasonTimeout},
		{"no answer", stalled, ReasonTimeout},
		{"bad url", "http://[::1", ReasonError},
		{"unsupported scheme", "gopher://127.0.0.1/", ReasonError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			if tc.want == ReasonTimeout {
				cfg = shortTimeouts()
			}
			res := only(t, New(cfg).Run(context.Background(), Request{HTTP: []string{tc.url}}), KindHTTP)
			if res.OK || res.Reason != tc.want {
				t.Fatalf("want %s, got %+v", tc.want, res)
			}
		})
	}
}

func TestFirstBytes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 3, "hel"},
		{"hello", 0, ""},
		{"héllo", 2, "h\uFFFD"}, // cut inside é
		{"a\xffb", 10, "a\uFFFDb"},
		{"", 5, ""},
	}
	for _, tc := range tests {
		got, err := firstBytes(strings.NewReader(tc.in), tc.n)
		if err != nil || got != tc.want {
			t.Errorf("firstBytes(%q, %d) = %q, %v; want %q", tc.in, tc.n, got, err, tc.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("firstBytes(%q, %d) is not UTF-8", tc.in, tc.n)
		}
	}
}

// dialFunc is a Dialer made of a function.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

func (f dialFunc) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return f(ctx, network, addr)
}

// An internationalised host name is asked for in its xn-- form: the
// check dials nothing and says so.
func TestHTTPNonASCIIHostIsRefused(t *testing.T) {
	cfg := testConfig()
	dialed := make(chan string, 1)
	cfg.Dialer = dialFunc(func(_ context.Context, _, addr string) (net.Conn, error) {
		dialed <- addr
		return nil, errors.New("no dialing in this test")
	})
	res := only(t, New(cfg).Run(context.Background(), Request{HTTP: []string{"http://bücher.example/"}}), KindHTTP)
	if res.OK || res.Reason != ReasonError || !strings.Contains(res.Error, "xn--") {
		t.Fatalf("%+v", res)
	}
	select {
	case addr := <-dialed:
		t.Fatalf("dialed %s", addr)
	default:
	}
}

// The request is the browser-like GET Mars's checker sends, and asks the
// server to close.
func TestHTTPRequestBytes(t *testing.T) {
	got := make(chan string, 1)
	cfg := testConfig()
	cfg.Dialer = dialFunc(func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe()
		go func() {
			defer server.Close()
			req, err := io.ReadAll(io.LimitReader(server, int64(len(wantGet))))
			if err != nil {
				return
			}
			got <- string(req)
			io.WriteString(server, "HTTP/1.1 204 No Content\r\n\r\n")
		}()
		return client, nil
	})
	res := only(t, New(cfg).Run(context.Background(), Request{HTTP: []string{"http://h.example:8080/p?q=1"}}), KindHTTP)
	if !res.OK || res.Status != 204 {
		t.Fatalf("%+v", res)
	}
	if req := <-got; req != wantGet {
		t.Fatalf("request %q, want %q", req, wantGet)
	}
}

const wantGet = "GET /p?q=1 HTTP/1.1\r\nHost: h.example:8080\r\nUser-Agent: MicroMessenger Client\r\n" +
	"Accept: */*\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
