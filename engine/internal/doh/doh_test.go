package doh

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/net/dns/dnsmessage"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// answer builds a response to q with the given A/AAAA records and TTL.
func answer(t testing.TB, q []byte, ttl uint32, a [][4]byte, aaaa [][16]byte, rcode dnsmessage.RCode) []byte {
	return edit(t, q, func(m *dnsmessage.Message) {
		m.Header.RCode = rcode
		qq := m.Questions[0]
		for _, ip := range a {
			if qq.Type == dnsmessage.TypeA {
				m.Answers = append(m.Answers, aRecord(qq.Name, ttl, ip))
			}
		}
		for _, ip := range aaaa {
			if qq.Type == dnsmessage.TypeAAAA {
				m.Answers = append(m.Answers, dnsmessage.Resource{Header: dnsmessage.ResourceHeader{Name: qq.Name,
					Type: dnsmessage.TypeAAAA, Class: dnsmessage.ClassINET, TTL: ttl}, Body: &dnsmessage.AAAAResource{AAAA: ip}})
			}
		}
	})
}

func aRecord(name dnsmessage.Name, ttl uint32, ip [4]byte) dnsmessage.Resource {
	return dnsmessage.Resource{Header: dnsmessage.ResourceHeader{Name: name, Type: dnsmessage.TypeA,
		Class: dnsmessage.ClassINET, TTL: ttl}, Body: &dnsmessage.AResource{A: ip}}
}

// edit turns query q into a response and lets f change it.
func edit(t testing.TB, q []byte, f func(*dnsmessage.Message)) []byte {
	var m dnsmessage.Message
	if err := m.Unpack(q); err != nil {
		t.Fatal(err)
	}
	m.Header.Response = true
	f(&m)
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tlsServer is an HTTPS DoH server answering with reply(query); the
// resolver it returns trusts it and counts its dials.
func tlsServer(t *testing.T, reply func(q []byte) []byte) (*Resolver, *atomic.Int32, *atomic.Int32) {
	var asked, dials atomic.Int32
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/dns-message" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		q, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/dns-message")
		w.Write(reply(q))
	}))
	t.Cleanup(s.Close)
	roots := x509.NewCertPool()
	roots.AddCert(s.Certificate())
	r := &Resolver{URL: s.URL, TLS: &tls.Config{RootCAs: roots},
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}
	t.Cleanup(r.CloseIdle)
	return r, &asked, &dials
}

func TestLookupAsksBothFamiliesAndCachesForTheTTL(t *testing.T) {
	v6 := [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 1}
	r, asked, dials := tlsServer(t, func(q []byte) []byte {
		return answer(t, q, 1, [][4]byte{{192, 0, 2, 1}}, [][16]byte{v6}, dnsmessage.RCodeSuccess)
	})
	clock := time.Unix(1e9, 0)
	r.now = func() time.Time { return clock }
	ips, err := r.LookupHost(context.Background(), "marsd.test")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2001:db8::1", "192.0.2.1"}; !slices.Equal(ips, want) {
		t.Fatalf("ips %v, want %v", ips, want)
	}
	r.LookupHost(context.Background(), "marsd.test")
	if n := asked.Load(); n != 2 {
		t.Fatalf("%d queries; the second lookup must come from the cache", n)
	}
	clock = clock.Add(time.Second) // the 1 s TTL is over
	r.LookupHost(context.Background(), "marsd.test")
	if n := asked.Load(); n != 4 {
		t.Fatalf("%d queries after the TTL", n)
	}
	if dials.Load() == 0 {
		t.Fatal("the resolver did not dial through its Dial")
	}
}

// The server is reached only through Dial: a Dial that refuses leaves the
// server unasked, whatever the environment's proxy says.
func TestEveryConnectionGoesThroughDial(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	r, asked, _ := tlsServer(t, func(q []byte) []byte { return answer(t, q, 60, nil, nil, 0) })
	r.Dial = func(context.Context, string, string) (net.Conn, error) { return nil, fmt.Errorf("refused") }
	if _, err := r.LookupHost(context.Background(), "marsd.test"); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("LookupHost = %v, want Dial's refusal", err)
	}
	if asked.Load() != 0 {
		t.Fatalf("the server was asked %d times around Dial", asked.Load())
	}
}

func TestUntrustedServerIsRefused(t *testing.T) {
	r, asked, _ := tlsServer(t, func(q []byte) []byte { return answer(t, q, 60, [][4]byte{{10, 0, 0, 1}}, nil, 0) })
	r.TLS = &tls.Config{RootCAs: x509.NewCertPool()}
	if ips, err := r.LookupHost(context.Background(), "marsd.test"); err == nil {
		t.Fatalf("an untrusted server's answer was used: %v", ips)
	}
	if asked.Load() != 0 {
		t.Fatalf("%d queries reached an untrusted server", asked.Load())
	}
}

// Answers that do not match the question are not used: a wrong id, another
// question, or records for another name (evil.example).
func TestAnswersMustMatchTheQuestion(t *testing.T) {
	other, _ := dnsmessage.NewName("evil.example.")
	cname, _ := dnsmessage.NewName("edge.marsd.test.")
	for name, tc := range map[string]struct {
		f    func(*dnsmessage.Message)
		want []string
	}{
		"wrong id": {f: func(m *dnsmessage.Message) {
			m.Header.ID++
			m.Answers = []dnsmessage.Resource{aRecord(m.Questions[0].Name, 60, [4]byte{10, 0, 0, 1})}
		}},
		"other question": {f: func(m *dnsmessage.Message) {
			m.Questions[0].Name = other
			m.Answers = []dnsmessage.Resource{aRecord(other, 60, [4]byte{10, 0, 0, 1})}
		}},
		"other name": {f: func(m *dnsmessage.Message) {
			m.Answers = []dnsmessage.Resource{aRecord(other, 60, [4]byte{10, 6, 6, 6})}
		}},
		"other name beside ours": {f: func(m *dnsmessage.Message) {
			m.Answers = []dnsmessage.Resource{aRecord(other, 60, [4]byte{10, 6, 6, 6}),
				aRecord(m.Questions[0].Name, 60, [4]byte{10, 0, 0, 1})}
		}, want: []string{"10.0.0.1"}},
		"through a cname": {f: func(m *dnsmessage.Message) {
			m.Answers = []dnsmessage.Resource{{Header: dnsmessage.ResourceHeader{Name: m.Questions[0].Name,
				Type: dnsmessage.TypeCNAME, Class: dnsmessage.ClassINET, TTL: 60},
				Body: &dnsmessage.CNAMEResource{CNAME: cname}}, aRecord(cname, 60, [4]byte{10, 0, 0, 2})}
		}, want: []string{"10.0.0.2"}},
	} {
		t.Run(name, func(t *testing.T) {
			r, _, _ := tlsServer(t, func(q []byte) []byte {
				return edit(t, q, func(m *dnsmessage.Message) {
					if m.Questions[0].Type == dnsmessage.TypeA {
						tc.f(m)
					}
				})
			})
			ips, err := r.LookupHost(context.Background(), "marsd.test")
			if !slices.Equal(ips, tc.want) || (tc.want == nil) != (err != nil) {
				t.Fatalf("LookupHost = %v, %v; want %v", ips, err, tc.want)
			}
		})
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	var asked atomic.Int32
	target, _, _ := tlsServer(t, func(q []byte) []byte {
		asked.Add(1)
		return answer(t, q, 60, [][4]byte{{10, 0, 0, 1}}, nil, 0)
	})
	s := httptest.NewTLSServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	defer s.Close()
	roots := x509.NewCertPool()
	roots.AddCert(s.Certificate())
	r := &Resolver{URL: s.URL, TLS: &tls.Config{RootCAs: roots}}
	defer r.CloseIdle()
	if ips, err := r.LookupHost(context.Background(), "marsd.test"); err == nil {
		t.Fatalf("a redirect's answer was used: %v", ips)
	}
	if asked.Load() != 0 {
		t.Fatalf("the redirect was followed %d times", asked.Load())
	}
}

func TestCacheIsBounded(t *testing.T) {
	r, _, _ := tlsServer(t, func(q []byte) []byte { return answer(t, q, 60, [][4]byte{{10, 0, 0, 1}}, nil, 0) })
	for i := range MaxCached + 10 {
		if _, err := r.LookupHost(context.Background(), fmt.Sprintf("h%d.test", i)); err != nil {
			t.Fatal(err)
		}
	}
	r.mu.Lock()
	n := len(r.cache)
	r.mu.Unlock()
	if n > MaxCached {
		t.Fatalf("%d cached names, want at most %d", n, MaxCached)
	}
}

func TestServerErrorIsAnError(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer s.Close()
	r := &Resolver{URL: s.URL}
	defer r.CloseIdle()
	if _, err := r.LookupHost(context.Background(), "h"); err == nil {
		t.Fatal("a 503 gave addresses")
	}
}

func TestParseRejectsErrorsAndQueries(t *testing.T) {
	q, err := Query("h", dnsmessage.TypeA, 7)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Parse(q, q); err == nil {
		t.Fatal("a query parsed as an answer")
	}
	nx := answer(t, q, 60, nil, nil, dnsmessage.RCodeNameError)
	if _, _, err := Parse(nx, q); err == nil {
		t.Fatal("NXDOMAIN parsed as success")
	}
	ok := answer(t, q, 30, [][4]byte{{10, 0, 0, 1}, {10, 0, 0, 2}}, nil, dnsmessage.RCodeSuccess)
	ips, ttl, err := Parse(ok, q)
	if err != nil || len(ips) != 2 || ttl != 30*time.Second {
		t.Fatalf("%v %v %v", ips, ttl, err)
	}
}

func TestCheckURL(t *testing.T) {
	for u, ok := range map[string]bool{"https://dns.test/q": true, "http://dns.test/q": false,
		"ftp://dns.test/q": false, "not a url": false, "https:///q": false, "https://u@dns.test/q": false} {
		if err := CheckURL(u, false); (err == nil) != ok {
			t.Errorf("CheckURL(%q) = %v", u, err)
		}
	}
	if err := CheckURL("http://dns.test/q", true); err != nil {
		t.Errorf("http with the test switch: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	q, _ := Query("marsd.test", dnsmessage.TypeA, 1)
	f.Add(answer(f, q, 30, [][4]byte{{10, 0, 0, 1}}, nil, dnsmessage.RCodeSuccess), false)
	q6, _ := Query("marsd.test", dnsmessage.TypeAAAA, 1)
	f.Add(answer(f, q6, 30, nil, [][16]byte{{1}}, dnsmessage.RCodeSuccess), true)
	f.Add(q, false)
	f.Fuzz(func(t *testing.T, b []byte, v6 bool) {
		asked := q
		if v6 {
			asked = q6
		}
		ips, ttl, err := Parse(b, asked)
		if err == nil && (ttl < 0 || ttl > MaxTTL) {
			t.Fatalf("ttl %v", ttl)
		}
		_ = ips
	})
}

// Queries share one kept-alive connection; one the server closed while
// it was kept is replaced without failing the lookup.
func TestKeptConnectionIsReusedAndReplaced(t *testing.T) {
	var conns atomic.Int32
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/dns-message")
		w.Write(answer(t, q, 60, [][4]byte{{10, 0, 0, 1}}, nil, 0))
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	s.Start()
	defer s.Close()
	r := &Resolver{URL: s.URL + "/dns-query"}
	defer r.CloseIdle()
	for i := range 2 {
		if _, err := r.LookupHost(context.Background(), fmt.Sprintf("h%d.test", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("4 queries used %d connections, want 1", n)
	}
	s.CloseClientConnections()
	if _, err := r.LookupHost(context.Background(), "h2.test"); err != nil {
		t.Fatalf("after the server closed the kept connection: %v", err)
	}
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want a second one after the close", n)
	}
}

// A kept connection the server drops on receiving the next query (its
// keep-alive ended as the query went out) costs the lookup nothing: the
// query is asked again on a new connection.
func TestQueryUnansweredOnAKeptConnectionIsAskedAgain(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int32
	var wg sync.WaitGroup
	defer func() { ln.Close(); wg.Wait() }()
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			first := conns.Add(1) == 1
			wg.Go(func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for i := 0; ; i++ {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					q, _ := io.ReadAll(req.Body)
					if first && i == 1 {
						return // dropped with the second query unanswered
					}
					a := answer(t, q, 60, [][4]byte{{10, 0, 0, 1}}, nil, 0)
					fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\nContent-Length: %d\r\n\r\n%s", len(a), a)
				}
			})
		}
	})
	r := &Resolver{URL: "http://" + ln.Addr().String() + "/dns-query"}
	defer r.CloseIdle()
	ips, err := r.LookupHost(context.Background(), "marsd.test")
	if err != nil || !slices.Equal(ips, []string{"10.0.0.1"}) {
		t.Fatalf("LookupHost = %v, %v; want the A record asked again", ips, err)
	}
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
	}
}
