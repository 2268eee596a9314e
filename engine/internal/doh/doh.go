// Package doh is a DNS-over-HTTPS resolver (RFC 8484): A and AAAA queries
// POSTed as application/dns-message, built and parsed with
// golang.org/x/net/dns/dnsmessage, answers cached for their TTL. The engine
// offers it to hosts that would rather name a DoH server than write their
// own OnNewDns (beyond Mars).
package doh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// MaxAnswer bounds a response body (RFC 8484 messages fit 64 KiB).
const MaxAnswer = 64 << 10

// MaxTTL caps how long an answer is cached, whatever its TTL says.
const MaxTTL = time.Hour

// Resolver asks one DoH server. It is safe for concurrent use.
type Resolver struct {
	URL    string       // e.g. "https://dns.example/dns-query"
	Client *http.Client // nil: http.DefaultClient

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

// LookupHost returns host's IPv6 and IPv4 addresses, from the cache while
// their TTL lasts.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	now := time.Now()
	if r.now != nil {
		now = r.now()
	}
	r.mu.Lock()
	if e, ok := r.cache[host]; ok && now.Before(e.expires) {
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
	r.mu.Lock()
	if r.cache == nil {
		r.cache = map[string]entry{}
	}
	r.cache[host] = entry{ips: ips, expires: now.Add(ttl)}
	r.mu.Unlock()
	return append([]string(nil), ips...), nil
}

func (r *Resolver) query(ctx context.Context, host string, qt dnsmessage.Type) ([]string, time.Duration, error) {
	q, err := Query(host, qt)
	if err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(q))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/dns-message")
	req.Header.Set("Accept", "application/dns-message")
	c := r.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
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
	return Parse(b, qt)
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

// Query builds the wire-format question for host (ID 0, recursion desired,
// as RFC 8484 §4.1 recommends for caching).
func Query(host string, qt dnsmessage.Type) ([]byte, error) {
	name, err := dnsmessage.NewName(fqdn(host))
	if err != nil {
		return nil, err
	}
	m := dnsmessage.Message{Header: dnsmessage.Header{RecursionDesired: true},
		Questions: []dnsmessage.Question{{Name: name, Type: qt, Class: dnsmessage.ClassINET}}}
	return m.Pack()
}

func fqdn(h string) string {
	if len(h) > 0 && h[len(h)-1] == '.' {
		return h
	}
	return h + "."
}

// Parse returns the addresses of type qt in a response and the smallest
// TTL among them (capped at MaxTTL). An error rcode is an error.
func Parse(b []byte, qt dnsmessage.Type) ([]string, time.Duration, error) {
	var p dnsmessage.Parser
	h, err := p.Start(b)
	if err != nil {
		return nil, 0, err
	}
	if !h.Response {
		return nil, 0, errors.New("doh: not a response")
	}
	if h.RCode != dnsmessage.RCodeSuccess {
		return nil, 0, fmt.Errorf("doh: rcode %v", h.RCode)
	}
	if err := p.SkipAllQuestions(); err != nil {
		return nil, 0, err
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
		switch {
		case rh.Type == qt && qt == dnsmessage.TypeA:
			a, err := p.AResource()
			if err != nil {
				return nil, 0, err
			}
			ips = append(ips, netip.AddrFrom4(a.A).String())
		case rh.Type == qt && qt == dnsmessage.TypeAAAA:
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
