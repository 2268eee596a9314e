package sdt

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Resolver sources, as reported in Result.Source.
const (
	SourceSystem = "system" // the operating system's resolver
	SourceHost   = "host"   // the host application's resolver (OnNewDns)
)

// resolve looks host up through the system resolver and, if configured, the
// host's resolver, at the same time. It returns one dns result per resolver
// and the union of their valid answers, system answers first. An address
// literal is its own answer and produces no dns result.
func (r *run) resolve(host string) ([]Result, []string) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return nil, []string{ip.String()}
	}
	jobs := []func() []Result{func() []Result {
		return []Result{r.probe(KindDNS, host, r.lookup(SourceSystem, r.cfg.SystemResolver, r.cfg.DNSTimeout))}
	}}
	if r.cfg.HostResolver != nil {
		jobs = append(jobs, func() []Result {
			return []Result{r.probe(KindDNS, host, r.lookup(SourceHost, r.cfg.HostResolver, r.cfg.HostResolverTimeout))}
		})
	}
	results := runAll(jobs)
	var addrs []string
	for _, res := range results {
		for _, a := range res.Addrs {
			if !slices.Contains(addrs, a) {
				addrs = append(addrs, a)
			}
		}
	}
	return results, addrs
}

// lookup returns a dns check through one resolver, abandoned after timeout
// even if the resolver ignores its context (a host callback may block).
func (r *run) lookup(source string, res Resolver, timeout time.Duration) func(context.Context, string) Result {
	return func(ctx context.Context, host string) Result {
		if source == SourceSystem && isSpecialInvalid(host) {
			return Result{Source: source, Reason: ReasonNotFound, Error: "name in the .invalid domain (RFC 6761) never resolves"}
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		answers, err := callResolver(ctx, res, host)
		if err != nil {
			out := failure(ctx, KindDNS, host, err)
			out.Source = source
			return out
		}
		addrs, bad := validAddrs(answers)
		out := Result{Source: source, Addrs: addrs, OK: len(addrs) > 0}
		switch {
		case len(addrs) == 0 && bad > 0:
			out.Reason, out.Error = ReasonProtocol, "resolver answered no valid IP address"
		case len(addrs) == 0:
			out.Reason, out.Error = ReasonNotFound, "resolver answered no address"
		}
		return out
	}
}

// callResolver runs res in its own goroutine so that a resolver that ignores
// ctx cannot hold the check past its deadline; its late answer is dropped.
func callResolver(ctx context.Context, res Resolver, host string) ([]string, error) {
	type answer struct {
		addrs []string
		err   error
	}
	done := make(chan answer, 1)
	go func() {
		addrs, err := res.LookupHost(ctx, host)
		done <- answer{addrs, err}
	}()
	select {
	case a := <-done:
		return a.addrs, a.err
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// validAddrs keeps the answers that are IP addresses, normalised and without
// duplicates, and counts the others (a host resolver may answer anything).
func validAddrs(answers []string) (addrs []string, bad int) {
	for _, a := range answers {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			bad++
			continue
		}
		s := ip.Unmap().String()
		if !slices.Contains(addrs, s) {
			addrs = append(addrs, s)
		}
	}
	return addrs, bad
}

// isSpecialInvalid reports names under the "invalid." special-use domain,
// which resolvers must answer negatively without asking anyone (RFC 6761
// §6.4); the host's own resolver is still asked, since it may map anything.
func isSpecialInvalid(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "invalid" || strings.HasSuffix(h, ".invalid")
}
