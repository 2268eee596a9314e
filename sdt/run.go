package sdt

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Checks selects the kinds of check an active check runs; it is a bit set so
// that the C ABI can pass it as one integer, as Mars's SDT mode is.
type Checks uint32

// The check bits. The zero Checks means AllChecks.
const (
	CheckDNS Checks = 1 << iota
	CheckTCP
	CheckLongLink
	CheckHTTP
	CheckPing
	CheckNetState

	AllChecks = CheckDNS | CheckTCP | CheckLongLink | CheckHTTP | CheckPing | CheckNetState
)

// Request names what an active check looks at.
type Request struct {
	// Servers are long-link servers as "host:port". Each distinct name is
	// looked up once (one dns result per resolver); every address found
	// then gets a tcp and a longlink check, and every distinct address one
	// ping check.
	Servers []string
	// HTTP are URLs to GET (Mars's short-link net-check CGI): http or
	// https, the host in ASCII (an internationalised name in its xn-- form).
	HTTP []string
	// Ping are further hosts or addresses to ping.
	Ping []string
	// Checks selects the kinds to run. Zero: AllChecks. DNS is always run
	// for server names, because the other server checks need its answers.
	Checks Checks
	// Timeout bounds the whole active check. Zero: DefaultTimeout;
	// negative: no bound besides the context.
	Timeout time.Duration
}

// Checker runs active checks. It holds no state between runs, so one
// Checker may run several checks at the same time.
type Checker struct {
	cfg      Config
	openPing func(v6 bool) (*pingSocket, error) // openPingSocket; tests replace it
}

// New returns a Checker for cfg; zero fields of cfg take their defaults.
func New(cfg Config) *Checker { return &Checker{cfg: cfg.withDefaults(), openPing: openPingSocket} }

// Config returns the configuration in use, defaults filled in.
func (c *Checker) Config() Config { return c.cfg }

// run is one active check: the request, its context and the probe limit.
type run struct {
	*Checker
	ctx    context.Context
	checks Checks
	slots  chan struct{}
}

// Run performs the checks req asks for and returns when all of them have
// ended, the overall timeout has passed or ctx is cancelled — in the last two
// cases with every unfinished check reported as timed out or cancelled.
// Results come in a fixed order: netstate; dns per distinct name (servers,
// then ping targets); tcp and longlink per server and address; ping per
// distinct address; http per URL.
func (c *Checker) Run(ctx context.Context, req Request) *Report {
	rep := &Report{Started: time.Now(), Reason: ReasonOK}
	timeout := req.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	r := &run{Checker: c, ctx: ctx, checks: req.Checks, slots: make(chan struct{}, c.cfg.MaxConcurrent)}
	if r.checks == 0 {
		r.checks = AllChecks
	}
	var jobs []func() []Result
	if r.enabled(CheckNetState) {
		jobs = append(jobs, func() []Result { return []Result{r.probe(KindNetState, "local", r.netState)} })
	}
	jobs = append(jobs, func() []Result { return r.addressChecks(req.Servers, req.Ping) })
	for _, u := range req.HTTP {
		if r.enabled(CheckHTTP) {
			jobs = append(jobs, func() []Result { return []Result{r.probe(KindHTTP, u, r.httpGet)} })
		}
	}
	rep.Results = runAll(jobs)
	if ctx.Err() != nil {
		rep.Reason = contextReason(ctx)
	}
	rep.Duration = time.Since(rep.Started)
	return rep
}

func (r *run) enabled(c Checks) bool { return r.checks&c != 0 }

// runAll runs jobs concurrently and concatenates their results in job order.
func runAll(jobs []func() []Result) []Result {
	out := make([][]Result, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { out[i] = job() })
	}
	wg.Wait()
	var all []Result
	for _, rs := range out {
		all = append(all, rs...)
	}
	return all
}

// probe runs one check in a probe slot, times it and fills in the fields
// every result has. A check that cannot get a slot before the context ends
// is reported as cut short.
func (r *run) probe(k Kind, target string, check func(ctx context.Context, target string) Result) Result {
	start := time.Now()
	select {
	case r.slots <- struct{}{}:
	case <-r.ctx.Done():
		res := failure(r.ctx, k, target, context.Cause(r.ctx))
		res.Duration = time.Since(start)
		return res
	}
	defer func() { <-r.slots }()
	res := check(r.ctx, target)
	res.Kind, res.Target = k, target
	switch {
	case res.OK:
		res.Reason = ReasonOK
	case res.Reason == "":
		res.Reason = ReasonError
	}
	res.Duration = time.Since(start)
	return res
}

// hostPort is a parsed Request.Servers entry.
type hostPort struct{ host, port string }

// addressChecks checks the servers and ping targets: every distinct name is
// looked up once, then every server address gets tcp and longlink checks
// and every distinct address one ping. Results: dns per name, then per
// server and address tcp and longlink, then ping per address.
func (r *run) addressChecks(servers, pings []string) []Result {
	var bad []Result
	var parsed []hostPort
	var names []string
	for _, s := range servers {
		hp, err := parseServer(s)
		if err != nil {
			bad = append(bad, Result{Kind: KindTCP, Target: s, Reason: ReasonError, Error: err.Error()})
			continue
		}
		parsed = append(parsed, hp)
		names = appendNew(names, hp.host)
	}
	if r.enabled(CheckPing) {
		for _, h := range pings {
			names = appendNew(names, h)
		}
	}
	dns, addrs := r.resolveAll(names)
	var jobs []func() []Result
	var pingIPs []string
	for _, hp := range parsed {
		for _, a := range addrs[hp.host] {
			jobs = append(jobs, r.serverAddress(net.JoinHostPort(a, hp.port))...)
			pingIPs = appendNew(pingIPs, a)
		}
	}
	for _, h := range pings {
		for _, a := range addrs[h] {
			pingIPs = appendNew(pingIPs, a)
		}
	}
	if r.enabled(CheckPing) {
		for _, ip := range pingIPs {
			jobs = append(jobs, func() []Result { return []Result{r.probe(KindPing, ip, r.ping)} })
		}
	}
	return append(append(bad, dns...), runAll(jobs)...)
}

// parseServer splits "host:port" and checks the port.
func parseServer(s string) (hostPort, error) {
	host, port, err := net.SplitHostPort(s)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil || host == "" {
		return hostPort{}, fmt.Errorf("bad server address %q: want host:port", s)
	}
	return hostPort{host, port}, nil
}

// resolveAll looks every name up at the same time and returns the dns
// results in name order and the addresses found per name.
func (r *run) resolveAll(names []string) ([]Result, map[string][]string) {
	addrs := make(map[string][]string, len(names))
	found := make([][]string, len(names))
	jobs := make([]func() []Result, len(names))
	for i, n := range names {
		jobs[i] = func() []Result {
			res, a := r.resolve(n)
			found[i] = a
			return res
		}
	}
	results := runAll(jobs)
	for i, n := range names {
		addrs[n] = found[i]
	}
	return results, addrs
}

// serverAddress returns the tcp and longlink checks of one server address.
func (r *run) serverAddress(addr string) []func() []Result {
	var jobs []func() []Result
	if r.enabled(CheckTCP) {
		jobs = append(jobs, func() []Result { return []Result{r.probe(KindTCP, addr, r.tcpConnect)} })
	}
	if r.enabled(CheckLongLink) {
		jobs = append(jobs, func() []Result { return []Result{r.probe(KindLongLink, addr, r.longLinkProbe)} })
	}
	return jobs
}

// appendNew appends s unless list already holds it.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
