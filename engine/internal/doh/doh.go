// Package doh is a DNS-over-HTTPS resolver (RFC 8484): A and AAAA queries
// POSTed as application/dns-message, built and parsed with
// golang.org/x/net/dns/dnsmessage, answers cached for their TTL. The engine
// offers it to hosts that would rather name a DoH server than write their
// own OnNewDns (beyond Mars).
//
// An answer decides where the engine connects, so the resolver trusts
// nothing it was not asked: it dials only through the Dial it is given (the
// engine's dialer and proxy; never the environment's proxies), verifies
// the server with the TLS config it is given, follows no redirect, and
// accepts an answer only when its transaction id and question are the ones
// sent, keeping only records for the name asked (or a CNAME chain from it).
package doh

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// MaxAnswer bounds a response body (RFC 8484 messages fit 64 KiB).
const MaxAnswer = 64 << 10

// MaxTTL caps how long an answer is cached, whatever its TTL says.
const MaxTTL = time.Hour

// MaxCached bounds the cache: past it the entry expiring first goes.
const MaxCached = 64

// Resolver asks one DoH server. It is safe for concurrent use; its fields
// must not change after the first lookup.
type Resolver struct {
	URL string // e.g. "https://dns.example/dns-query"
	// Dial opens the TCP connection to the server (the engine's dialer,
	// proxy included). Nil: a plain net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLS verifies the server (roots, pins); its ServerName defaults to the
	// URL's host. Nil: the system roots.
	TLS *tls.Config

	once   sync.Once
	client *http.Client

	mu    sync.Mutex // guards cache
	cache map[string]entry
	now   func() time.Time // the clock; nil: time.Now (tests set it)
}

type entry struct {
	ips     []string
	expires time.Time
}

// ErrNoAnswer means the server answered without an address.
var ErrNoAnswer = errors.New("doh: no address in the answer")

// httpClient is the one client of r: no environment proxy, no redirect,
// r.Dial for every connection, r.TLS for every handshake.
func (r *Resolver) httpClient() *http.Client {
	r.once.Do(func() {
		dial := r.Dial
		if dial == nil {
			dial = (&net.Dialer{}).DialContext
		}
		tr := &http.Transport{
			Proxy:                  nil, // never HTTP(S)_PROXY: the engine's dialer carries the proxy
			DialContext:            dial,
			TLSClientConfig:        r.TLS,
			MaxResponseHeaderBytes: MaxAnswer,
			MaxIdleConnsPerHost:    1,
			IdleConnTimeout:        30 * time.Second,
		}
		r.client = &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect is an answer we did not ask for
		}}
	})
	return r.client
}

// CloseIdle closes the connections kept alive to the server.
func (r *Resolver) CloseIdle() {
	r.httpClient().CloseIdleConnections()
}

// LookupHost returns host's IPv6 and IPv4 addresses, from the cache while
// their TTL lasts.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	now := time.Now()
	if r.now != nil {
		now = r.now()
	}
	key := strings.ToLower(fqdn(host))
	r.mu.Lock()
	if e, ok := r.cache[key]; ok && now.Before(e.expires) {
		r.mu.Unlock()
		return append([]string(nil), e.ips...), nil
	}
	r.mu.Unlock()
	var ips []string
	ttl := MaxTTL
	var errs []error
	for _, qt := range []dnsmessage.Type{dnsmessage.TypeAAAA, dnsmessage.TypeA} {
		got, t, err := r.query(ctx, host, qt)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ips = append(ips, got...)
		if len(got) > 0 {
			ttl = min(ttl, t)
		}
	}
	if len(ips) == 0 {
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		return nil, ErrNoAnswer
	}
	r.store(key, entry{ips: ips, expires: now.Add(ttl)}, now)
	return append([]string(nil), ips...), nil
}

// store caches e, first dropping expired entries and, when still full, the
// one expiring first.
func (r *Resolver) store(key string, e entry, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cache == nil {
		r.cache = map[string]entry{}
	}
	if _, ok := r.cache[key]; !ok && len(r.cache) >= MaxCached {
		var first string
		for k, v := range r.cache {
			if !now.Before(v.expires) {
				delete(r.cache, k)
				continue
			}
			if first == "" || v.expires.Before(r.cache[first].expires) {
				first = k
			}
		}
		if len(r.cache) >= MaxCached {
			delete(r.cache, first)
		}
	}
	r.cache[key] = e
}

func (r *Resolver) query(ctx context.Context, host string, qt dnsmessage.Type) ([]string, time.Duration, error) {
	var idb [2]byte
	_, _ = rand.Read(idb[:]) // crypto/rand never fails on supported platforms
	id := binary.BigEndian.Uint16(idb[:])
	q, err := Query(host, qt, id)
	if err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(q))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/dns-message")
	req.Header.Set("Accept", "application/dns-message")
	resp, err := r.httpClient().Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("doh: server answered %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		return nil, 0, err
	}
	if len(b) > MaxAnswer {
		return nil, 0, errors.New("doh: answer too large")
	}
	return Parse(b, q)
}

// CheckURL rejects a server URL the resolver cannot use safely: one that
// does not parse, names no host, or is not https (plain http only when
// allowHTTP, which is for tests: its answers can be forged on the path).
func CheckURL(raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("doh: %q is not a URL: %w", raw, err)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && allowHTTP:
	case u.Scheme == "http":
		return fmt.Errorf("doh: %q is plain http; DNS-over-HTTPS needs https", raw)
	default:
		return fmt.Errorf("doh: %q is not an https URL", raw)
	}
	if u.Host == "" || u.Opaque != "" || u.User != nil {
		return fmt.Errorf("doh: %q needs a host and no user info", raw)
	}
	return nil
}

// Query builds the wire-format question for host with transaction id id
// and recursion desired. RFC 8484 §4.1 suggests id 0 for HTTP caching; a
// random id instead lets the answer be matched to the question.
func Query(host string, qt dnsmessage.Type, id uint16) ([]byte, error) {
	name, err := dnsmessage.NewName(fqdn(host))
	if err != nil {
		return nil, err
	}
	m := dnsmessage.Message{Header: dnsmessage.Header{ID: id, RecursionDesired: true},
		Questions: []dnsmessage.Question{{Name: name, Type: qt, Class: dnsmessage.ClassINET}}}
	return m.Pack()
}

func fqdn(h string) string {
	if len(h) > 0 && h[len(h)-1] == '.' {
		return h
	}
	return h + "."
}

// Parse returns the addresses a response b gives for the query q (as Query
// built it) and the smallest TTL among them (capped at MaxTTL). The
// response must carry q's id and q's question; records for other names
// than the one asked, or a CNAME chain from it, are ignored. An error
// rcode is an error.
func Parse(b, q []byte) ([]string, time.Duration, error) {
	var qp dnsmessage.Parser
	qh, err := qp.Start(q)
	if err != nil {
		return nil, 0, err
	}
	asked, err := qp.Question()
	if err != nil {
		return nil, 0, err
	}
	var p dnsmessage.Parser
	h, err := p.Start(b)
	if err != nil {
		return nil, 0, err
	}
	if !h.Response {
		return nil, 0, errors.New("doh: not a response")
	}
	if h.ID != qh.ID {
		return nil, 0, fmt.Errorf("doh: answer id %d, asked %d", h.ID, qh.ID)
	}
	if h.RCode != dnsmessage.RCodeSuccess {
		return nil, 0, fmt.Errorf("doh: rcode %v", h.RCode)
	}
	qs, err := p.AllQuestions()
	if err != nil {
		return nil, 0, err
	}
	if len(qs) != 1 || !sameName(qs[0].Name, asked.Name) || qs[0].Type != asked.Type || qs[0].Class != asked.Class {
		return nil, 0, errors.New("doh: the answer is to another question")
	}
	return answers(&p, asked)
}

// answers reads the answer section: addresses of the asked type whose name
// is the asked one or reached from it by the CNAMEs before them.
func answers(p *dnsmessage.Parser, asked dnsmessage.Question) ([]string, time.Duration, error) {
	names := []dnsmessage.Name{asked.Name}
	ours := func(n dnsmessage.Name) bool {
		for _, x := range names {
			if sameName(x, n) {
				return true
			}
		}
		return false
	}
	var ips []string
	ttl := MaxTTL
	for {
		rh, err := p.AnswerHeader()
		if errors.Is(err, dnsmessage.ErrSectionDone) {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		if !ours(rh.Name) || rh.Class != dnsmessage.ClassINET {
			if err := p.SkipAnswer(); err != nil {
				return nil, 0, err
			}
			continue
		}
		switch {
		case rh.Type == dnsmessage.TypeCNAME:
			c, err := p.CNAMEResource()
			if err != nil {
				return nil, 0, err
			}
			if len(names) < 8 { // a longer chain is not worth following
				names = append(names, c.CNAME)
			}
			continue
		case rh.Type == asked.Type && asked.Type == dnsmessage.TypeA:
			a, err := p.AResource()
			if err != nil {
				return nil, 0, err
			}
			ips = append(ips, netip.AddrFrom4(a.A).String())
		case rh.Type == asked.Type && asked.Type == dnsmessage.TypeAAAA:
			a, err := p.AAAAResource()
			if err != nil {
				return nil, 0, err
			}
			ips = append(ips, netip.AddrFrom16(a.AAAA).String())
		default:
			if err := p.SkipAnswer(); err != nil {
				return nil, 0, err
			}
			continue
		}
		ttl = min(ttl, time.Duration(rh.TTL)*time.Second)
	}
	return ips, ttl, nil
}

// sameName compares DNS names as DNS does: ASCII case does not matter.
func sameName(a, b dnsmessage.Name) bool { return strings.EqualFold(a.String(), b.String()) }
