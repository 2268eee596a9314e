// Package doh is a DNS-over-HTTPS resolver (RFC 8484): A and AAAA queries
// POSTed as application/dns-message over HTTP/1.1 (internal/http1, one
// connection kept alive for IdleTimeout), built and parsed with
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
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/mars-go/mars/internal/http1"
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

	pool http1.Pool // the one connection kept alive to the server

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

// IdleTimeout is how long the connection to the server stays open
// between queries.
const IdleTimeout = 30 * time.Second

// CloseIdle closes the connection kept alive to the server.
func (r *Resolver) CloseIdle() {
	r.pool.CloseIdle()
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
	b, err := r.post(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	return Parse(b, q)
}

// post sends q to the server over the kept-alive connection, else a new
// one (r.Dial, then TLS with r.TLS unless the URL is plain http), and
// returns the answer's body. A kept connection that fails is replaced
// once: the query can be asked again.
func (r *Resolver) post(ctx context.Context, q []byte) ([]byte, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, err
	}
	req, err := http1.AppendRequest(nil, "POST", u.RequestURI(), []http1.Header{{Name: "Host", Value: u.Host},
		{Name: "Content-Type", Value: "application/dns-message"}, {Name: "Accept", Value: "application/dns-message"},
		{Name: "Content-Length", Value: strconv.Itoa(len(q))}}, q)
	if err != nil {
		return nil, err
	}
	if c, ok := r.pool.Get(""); ok {
		b, keep, err := exchange(ctx, c, req)
		if !errors.Is(err, errUnanswered) || ctx.Err() != nil {
			r.done(c, keep && err == nil)
			return b, err
		}
		_ = c.Close() // the server closed it meanwhile: ask again on a new connection
	}
	c, err := r.dial(ctx, u)
	if err != nil {
		return nil, err
	}
	b, keep, err := exchange(ctx, c, req)
	r.done(c, keep && err == nil)
	return b, err
}

// done keeps c for the next query, or closes it.
func (r *Resolver) done(c net.Conn, keep bool) {
	if keep {
		r.pool.Put("", c, IdleTimeout)
		return
	}
	_ = c.Close() // the server closes it, or it failed
}

// dial connects to u's host: plain TCP for http, TLS for https.
func (r *Resolver) dial(ctx context.Context, u *url.URL) (net.Conn, error) {
	dial := r.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	c, err := dial(ctx, "tcp", http1.Addr(u))
	if err != nil || u.Scheme == "http" {
		return c, err
	}
	cfg := &tls.Config{}
	if r.TLS != nil {
		cfg = r.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = u.Hostname()
	}
	cfg.NextProtos = []string{"http/1.1"}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = c.Close() // no trusted server at the other end
		return nil, err
	}
	return tc, nil
}

// errUnanswered: the connection failed before any answer came.
var errUnanswered = errors.New("doh: the server did not answer")

// exchange writes req on c and reads the answer's body; keep tells
// whether c may carry the next query. A redirect is an error: an answer
// we did not ask for. ctx ending closes c.
func exchange(ctx context.Context, c net.Conn, req []byte) (body []byte, keep bool, err error) {
	defer context.AfterFunc(ctx, func() { _ = c.Close() })()
	defer func() {
		if ctx.Err() != nil {
			body, keep, err = nil, false, ctx.Err()
		}
	}()
	if _, err := c.Write(req); err != nil {
		return nil, false, fmt.Errorf("%w: %w", errUnanswered, err)
	}
	br := bufio.NewReader(c)
	resp, err := http1.ReadResponse(br, "POST", MaxAnswer)
	if err == io.EOF {
		err = fmt.Errorf("%w: %w", errUnanswered, err)
	}
	if err != nil {
		return nil, false, err
	}
	if resp.Status != 200 {
		return nil, false, fmt.Errorf("doh: server answered %d", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		return nil, false, err
	}
	if len(b) > MaxAnswer {
		return nil, false, errors.New("doh: answer too large")
	}
	return b, http1.Reusable(resp, br), nil
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
