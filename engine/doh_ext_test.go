package engine_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/engine/internal/fakenet"
)

// A host without OnNewDns names a DoH server instead; its answer is what
// the engine connects to.
func TestLoopbackDoHAnswersForTheLongLinkHost(t *testing.T) {
	srv := startMarsd(t)
	var asked atomic.Int32
	dns := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	defer dns.Close()
	cb := newNetCallbacks()
	e := startEngine(t, srv, engine.Config{DoHURL: dns.URL, DoHAllowHTTP: true, Resolver: fakenet.NewResolver()}, cb)
	e.SetLonglinkSvrAddr("marsd.test", []int{port(t, srv.LongAddr())}, "") // no debug IP
	runTask(t, e, cb)
	if !cb.has("0 0 " + srv.LongAddr()) {
		t.Fatalf("not connected through the DoH answer: %q", cb.events)
	}
	if asked.Load() != 2 {
		t.Fatalf("%d DoH queries, want A and AAAA once", asked.Load())
	}
}
