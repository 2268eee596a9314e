package engine_test

import (
	"bufio"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/engine/internal/fakenet"
)

// dohServer is an HTTPS DoH server on loopback answering marsd.test's A
// query with 127.0.0.1; it counts the queries and the TCP connections it
// accepted. roots trusts it.
func dohServer(t *testing.T) (srv *httptest.Server, roots *x509.CertPool, asked, conns *atomic.Int32) {
	asked, conns = new(atomic.Int32), new(atomic.Int32)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		q, _ := io.ReadAll(r.Body)
		var m dnsmessage.Message
		if err := m.Unpack(q); err != nil || len(m.Questions) != 1 {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		m.Header.Response = true
		if qq := m.Questions[0]; qq.Type == dnsmessage.TypeA && qq.Name.String() == "marsd.test." {
			m.Answers = []dnsmessage.Resource{{Header: dnsmessage.ResourceHeader{Name: qq.Name, Type: dnsmessage.TypeA,
				Class: dnsmessage.ClassINET, TTL: 60}, Body: &dnsmessage.AResource{A: [4]byte{127, 0, 0, 1}}}}
		}
		b, _ := m.Pack()
		w.Header().Set("Content-Type", "application/dns-message")
		w.Write(b)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point of some tests
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots = x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return srv, roots, asked, conns
}

// A host without OnNewDns names a DoH server instead; its answer is what
// the engine connects to.
func TestLoopbackDoHAnswersForTheLongLinkHost(t *testing.T) {
	srv := startMarsd(t)
	dns, roots, asked, _ := dohServer(t)
	cb := newNetCallbacks()
	e := startEngine(t, srv, engine.Config{DoHURL: dns.URL, DoHTLS: &engine.TLSConfig{RootCAs: roots},
		Resolver: fakenet.NewResolver()}, cb)
	e.SetLonglinkSvrAddr("marsd.test", []int{port(t, srv.LongAddr())}, "") // no debug IP
	runTask(t, e, cb)
	if !cb.has("0 0 " + srv.LongAddr()) {
		t.Fatalf("not connected through the DoH answer: %q", cb.events)
	}
	if asked.Load() != 2 {
		t.Fatalf("%d DoH queries, want A and AAAA once", asked.Load())
	}
}

// DoH goes through the proxy like every other connect: with a proxy that
// never answers, the DoH server sees no connection at all, and the proxy
// is asked for it.
func TestLoopbackDoHGoesThroughTheProxyOnly(t *testing.T) {
	srv := startMarsd(t)
	dns, roots, _, conns := dohServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var targets []string
	front(t, l, func(c net.Conn) { // a silent proxy: reads CONNECT, never answers
		if req, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
			mu.Lock()
			targets = append(targets, req.RequestURI)
			mu.Unlock()
		}
		io.Copy(io.Discard, c)
	})
	t.Setenv("HTTPS_PROXY", "") // nothing in the environment to fall back on either
	cb := newNetCallbacks()
	e := startEngine(t, srv, engine.Config{DoHURL: dns.URL, DoHTLS: &engine.TLSConfig{RootCAs: roots},
		Resolver: fakenet.NewResolver(), NewDnsTimeout: 300 * time.Millisecond, ConnectTimeout: 300 * time.Millisecond,
		Proxy: &engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: l.Addr().String()}}, cb)
	e.SetLonglinkSvrAddr("marsd.test", []int{port(t, srv.LongAddr())}, "")
	e.MakesureLonglinkConnected()
	waitStatus(t, cb, 4) // the lookup gave up, then the connect did
	if n := conns.Load(); n != 0 {
		t.Fatalf("the DoH server had %d direct connections", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(targets, dns.Listener.Addr().String()) {
		t.Fatalf("the proxy was asked for %q, not the DoH server %s", targets, dns.Listener.Addr())
	}
}

// The long link's pins apply to DoH when DoHTLS is not set: a DoH server
// whose key is not pinned is not believed.
func TestLoopbackDoHTakesTheLongLinkPins(t *testing.T) {
	srv := startMarsd(t)
	dns, roots, asked, _ := dohServer(t)
	cb := newNetCallbacks()
	e := startEngine(t, srv, engine.Config{DoHURL: dns.URL, Resolver: fakenet.NewResolver(),
		NewDnsTimeout: 2 * time.Second, ConnectTimeout: 300 * time.Millisecond,
		TLS: &engine.TLSConfig{RootCAs: roots, PinnedSPKI: [][32]byte{{1}}}}, cb)
	e.SetLonglinkSvrAddr("marsd.test", []int{port(t, srv.LongAddr())}, "")
	e.MakesureLonglinkConnected()
	waitStatus(t, cb, 4)
	if n := asked.Load(); n != 0 {
		t.Fatalf("%d queries reached a DoH server failing the pins", n)
	}
	if cb.has("0 0 " + srv.LongAddr()) {
		t.Fatal("connected through an answer from an unpinned DoH server")
	}
}
