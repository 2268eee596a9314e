package doh

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/net/dns/dnsmessage"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// answer builds a response to q with the given A/AAAA records and TTL.
func answer(t testing.TB, q []byte, ttl uint32, a [][4]byte, aaaa [][16]byte, rcode dnsmessage.RCode) []byte {
	var m dnsmessage.Message
	if err := m.Unpack(q); err != nil {
		t.Fatal(err)
	}
	m.Header.Response, m.Header.RCode = true, rcode
	qq := m.Questions[0]
	for _, ip := range a {
		if qq.Type == dnsmessage.TypeA {
			m.Answers = append(m.Answers, dnsmessage.Resource{Header: dnsmessage.ResourceHeader{Name: qq.Name,
				Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: ttl}, Body: &dnsmessage.AResource{A: ip}})
		}
	}
	for _, ip := range aaaa {
		if qq.Type == dnsmessage.TypeAAAA {
			m.Answers = append(m.Answers, dnsmessage.Resource{Header: dnsmessage.ResourceHeader{Name: qq.Name,
				Type: dnsmessage.TypeAAAA, Class: dnsmessage.ClassINET, TTL: ttl}, Body: &dnsmessage.AAAAResource{AAAA: ip}})
		}
	}
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func server(t *testing.T, ttl uint32, asked *atomic.Int32) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/dns-message" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		q, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/dns-message")
		v6 := [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 1}
		w.Write(answer(t, q, ttl, [][4]byte{{192, 0, 2, 1}}, [][16]byte{v6}, dnsmessage.RCodeSuccess))
	}))
	t.Cleanup(s.Close)
	return s
}

func TestLookupAsksBothFamiliesAndCachesForTheTTL(t *testing.T) {
	var asked atomic.Int32
	s := server(t, 1, &asked)
	clock := time.Unix(1e9, 0)
	r := &Resolver{URL: s.URL, Client: s.Client(), now: func() time.Time { return clock }}
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
}

func TestServerErrorIsAnError(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer s.Close()
	if _, err := (&Resolver{URL: s.URL}).LookupHost(context.Background(), "h"); err == nil {
		t.Fatal("a 503 gave addresses")
	}
}

func TestParseRejectsErrorsAndQueries(t *testing.T) {
	q, err := Query("h", dnsmessage.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Parse(q, dnsmessage.TypeA); err == nil {
		t.Fatal("a query parsed as an answer")
	}
	nx := answer(t, q, 60, nil, nil, dnsmessage.RCodeNameError)
	if _, _, err := Parse(nx, dnsmessage.TypeA); err == nil {
		t.Fatal("NXDOMAIN parsed as success")
	}
	ok := answer(t, q, 30, [][4]byte{{10, 0, 0, 1}, {10, 0, 0, 2}}, nil, dnsmessage.RCodeSuccess)
	ips, ttl, err := Parse(ok, dnsmessage.TypeA)
	if err != nil || len(ips) != 2 || ttl != 30*time.Second {
		t.Fatalf("%v %v %v", ips, ttl, err)
	}
}

func FuzzParse(f *testing.F) {
	q, _ := Query("marsd.test", dnsmessage.TypeA)
	f.Add(answer(f, q, 30, [][4]byte{{10, 0, 0, 1}}, nil, dnsmessage.RCodeSuccess))
	q6, _ := Query("marsd.test", dnsmessage.TypeAAAA)
	f.Add(answer(f, q6, 30, nil, [][16]byte{{1}}, dnsmessage.RCodeSuccess))
	f.Add(q)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, qt := range []dnsmessage.Type{dnsmessage.TypeA, dnsmessage.TypeAAAA} {
			ips, ttl, err := Parse(b, qt)
			if err == nil && (ttl < 0 || ttl > MaxTTL) {
				t.Fatalf("ttl %v", ttl)
			}
			_ = ips
		}
	})
}
