package sdt

import (
	"context"
	"fmt"
	"net"
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
	// Servers are long-link servers as "host:port". A name is looked up
	// (one dns result per resolver); every address found then gets a tcp,
	// a longlink and a ping check.
	Servers []string
	// HTTP are URLs to GET (Mars's short-link net-check CGI).
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
// Results are in request order: netstate, then per server its dns results
// and per address tcp, longlink and ping, then http, then ping targets.
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
	for _, s := range req.Servers {
		jobs = append(jobs, func() []Result { return r.server(s) })
	}
	for _, u := range req.HTTP {
		if r.enabled(CheckHTTP) {
			jobs = append(jobs, func() []Result { return []Result{r.probe(KindHTTP, u, r.httpGet)} })
		}
	}
	for _, h := range req.Ping {
		if r.enabled(CheckPing) {
			jobs = append(jobs, func() []Result { return r.pingHost(h) })
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

// server checks one long-link server: names first, then every address.
func (r *run) server(hostport string) []Result {
	host, port, err := net.SplitHostPort(hostport)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		return []Result{{Kind: KindTCP, Target: hostport, Reason: ReasonError,
			Error: fmt.Sprintf("bad server address %q: want host:port", hostport)}}
	}
	results, addrs := r.resolve(host)
	var jobs []func() []Result
	for _, a := range addrs {
		jobs = append(jobs, func() []Result { return r.address(net.JoinHostPort(a, port)) })
	}
	return append(results, runAll(jobs)...)
}

// address runs the tcp, longlink and ping checks on one resolved address.
func (r *run) address(addr string) []Result {
	var jobs []func() []Result
	if r.enabled(CheckTCP) {
		jobs = append(jobs, func() []Result { return []Result{r.probe(KindTCP, addr, r.tcpConnect)} })
	}
	if r.enabled(CheckLongLink) {
		jobs = append(jobs, func() []Result { return []Result{r.probe(KindLongLink, addr, r.longLinkProbe)} })
	}
	if r.enabled(CheckPing) {
		host, _, _ := net.SplitHostPort(addr)
		jobs = append(jobs, func() []Result { return []Result{r.probe(KindPing, host, r.ping)} })
	}
	return runAll(jobs)
}

// pingHost pings a Request.Ping entry, looking it up first if it is a name.
func (r *run) pingHost(host string) []Result {
	results, addrs := r.resolve(host)
	var jobs []func() []Result
	for _, a := range addrs {
		jobs = append(jobs, func() []Result { return []Result{r.probe(KindPing, a, r.ping)} })
	}
	return append(results, runAll(jobs)...)
}
