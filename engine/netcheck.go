package engine

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/mars-go/mars/engine/internal/shortlink"
	"github.com/mars-go/mars/sdt"
	"github.com/mars-go/mars/sdt/netcheck"
)

// The automatic network check (Mars's net-check logic): every long-link network report and every short-link
// attempt's network outcome goes into a netcheck.Trigger; when the results
// look like a network that just broke, the engine asks the host for HTTP
// hosts to probe (NetCheckHostProvider), runs sdt's check of the long-link
// servers and those hosts on its own goroutine and, unlike Mars,
// hands the report to the host (NetCheckObserver). Config.NoNetCheck turns it
// off; Reset, Close and a network change cancel a running check.

// NetCheckHostProvider is an optional extension of Callbacks: when the
// automatic check fires and Config.NetCheckCGI is set, the engine asks it
// for the short-link hosts to GET (Mars's RequestNetCheckShortLinkHosts).
// It runs on the host goroutine, as the other callbacks. Without it no HTTP
// check runs.
type NetCheckHostProvider interface {
	RequestNetCheckShortLinkHosts() []string
}

// NetCheckObserver is an optional extension of Callbacks: it receives the
// report of every automatic check that ran to its end (or its timeout), on
// the host goroutine. A cancelled check reports nothing.
type NetCheckObserver interface {
	OnNetCheckResult(r *sdt.Report)
}

// netCheckChecks are the checks of an automatic run: Mars's BASIC|LONG|SHORT
// mode without ping, which Mars runs on Android and iOS only and which needs
// an ICMP socket that many devices refuse.
const netCheckChecks = sdt.AllChecks &^ sdt.CheckPing

// netCheckState is the owner's part of the automatic check.
type netCheckState struct {
	trigger *netcheck.Trigger  // nil until the first result
	cancel  context.CancelFunc // of the running check, nil when none runs
	gen     uint64             // of the running check; a stale report is dropped
}

var errNoNewDnsAnswer = errors.New("engine: OnNewDns has no answer")

// netCheckLong records a long-link network report (netReport).
func (o *owner) netCheckLong(typ ErrType, code int) { o.netCheckResult(netcheck.LongLink, typ, code) }

// netCheckShort records the network outcome of a short-link attempt.
func (o *owner) netCheckShort(typ ErrType, code int) { o.netCheckResult(netcheck.ShortLink, typ, code) }

// netCheckResult feeds one outcome to the trigger and starts a check when
// it fires. Outcomes that say nothing about the network (decode, local,
// server errors, cancels, network changes) and results while there is no
// network are left out.
func (o *owner) netCheckResult(link netcheck.Link, typ ErrType, code int) {
	if o.e.cfg.NoNetCheck || o.network == NetworkNone {
		return
	}
	ok, counts := netCheckOutcome(typ, code)
	if !counts {
		return
	}
	if o.nc.trigger == nil {
		o.nc.trigger = netcheck.New(o.e.cfg.NetCheckTrigger)
	}
	if !o.nc.trigger.Report(link, ok, time.Now()) {
		return
	}
	if o.nc.cancel != nil {
		o.logf(LogInfo, "net check: due, but one is still running")
		return
	}
	o.startNetCheck()
}

// netCheckOutcome says whether (typ, code) counts for the trigger, and as
// what.
func netCheckOutcome(typ ErrType, code int) (ok, counts bool) {
	switch typ {
	case EctOK:
		return true, true
	case EctDial, EctDns, EctSocket, EctHttp, EctNetMsgXP:
		return false, code != EctSocketNetworkChange && code != EctSocketUserBreak
	}
	return false, false
}

// startNetCheck asks the host for short-link hosts (on the host goroutine)
// and then runs the check on its own goroutine; the report comes back as
// an owner event.
func (o *owner) startNetCheck() {
	o.nc.gen++
	gen, e := o.nc.gen, o.e
	o.nc.cancel = func() {} // running from now on: Reset or a network change cancels it
	p, ok := o.cb.(NetCheckHostProvider)
	if !ok || e.cfg.NetCheckCGI == "" {
		o.runNetCheck(gen, nil)
		return
	}
	e.host.post(hostCall{droppable: true, fn: func() {
		hosts := slices.Clone(p.RequestNetCheckShortLinkHosts())
		e.runOnOwner(func(o *owner) { o.runNetCheck(gen, hosts) })
	}})
}

// runNetCheck runs check gen over the long-link servers and shortHosts.
func (o *owner) runNetCheck(gen uint64, shortHosts []string) {
	if gen != o.nc.gen || o.nc.cancel == nil {
		return // cancelled while the host was asked
	}
	req := o.netCheckRequest(shortHosts)
	checker := sdt.New(o.netCheckConfig())
	ctx, cancel := context.WithCancel(context.Background())
	e := o.e
	o.nc.cancel = cancel
	o.logf(LogInfo, "net check: starting (%d servers, %d URLs)", len(req.Servers), len(req.HTTP))
	e.wg.Go(func() {
		rep := checker.Run(ctx, req)
		e.runOnOwner(func(o *owner) { o.netCheckDone(gen, rep) })
	})
}

// netCheckRequest is Mars's __StartNetCheck request: every long-link host
// (the debug IP when one is set) on every long-link port, and a GET of
// NetCheckCGI on the hosts the host names, at the short-link port.
func (o *owner) netCheckRequest(shortHosts []string) sdt.Request {
	s := o.settings
	longHosts := []string{s.LongLinkHost}
	if s.LongLinkDebugIP != "" {
		longHosts = []string{s.LongLinkDebugIP}
	} else if s.LongLinkHost == "" {
		longHosts = nil
	}
	var longPorts []uint16
	for _, p := range s.LongLinkPorts {
		if p > 0 && p <= 0xFFFF {
			longPorts = append(longPorts, uint16(p))
		}
	}
	shortPort := s.ShortLinkPort
	if shortPort <= 0 || shortPort > 0xFFFF {
		shortPort = shortlink.DefaultPort
	}
	req := sdt.NetCheckRequest(longHosts, longPorts, shortHosts, uint16(shortPort), o.e.cfg.NetCheckCGI)
	req.Checks = netCheckChecks
	return req
}

// netCheckConfig gives the check the engine's own resolver, host resolver
// (OnNewDns, then DoH), dialer and codec, so that it sees the network the
// way the links do.
func (o *owner) netCheckConfig() sdt.Config {
	cfg, newDns := o.e.cfg, o.main.newDnsFunc()
	host := sdt.ResolverFunc(func(_ context.Context, h string) ([]string, error) {
		if ips := newDns(h); len(ips) > 0 {
			return ips, nil
		}
		return nil, errNoNewDnsAnswer
	})
	return sdt.Config{SystemResolver: cfg.Resolver, HostResolver: host, Dialer: cfg.Dialer,
		Codec: cfg.Codec, ClientVersion: o.e.version.Load(), HostResolverTimeout: cfg.NewDnsTimeout}
}

// netCheckDone delivers the report of check gen, unless it was cancelled.
func (o *owner) netCheckDone(gen uint64, rep *sdt.Report) {
	if gen != o.nc.gen || o.nc.cancel == nil {
		return
	}
	o.nc.cancel()
	o.nc.cancel = nil
	o.logf(LogInfo, "net check: done in %v, %d of %d checks failed", rep.Duration, len(rep.Failed()), len(rep.Results))
	if obs, ok := o.cb.(NetCheckObserver); ok {
		o.toHost(func() { obs.OnNetCheckResult(rep) })
	}
}

// stopNetCheck cancels a running check; its report is dropped.
func (o *owner) stopNetCheck() {
	if o.nc.cancel != nil {
		o.nc.cancel()
		o.nc.cancel = nil
		o.logf(LogInfo, "net check: cancelled")
	}
}

// netCheckNetworkChanged forgets the results of the old network and
// cancels a check of it; the rate limit stays (netcheck.Trigger.Reset).
func (o *owner) netCheckNetworkChanged() {
	o.stopNetCheck()
	if o.nc.trigger != nil {
		o.nc.trigger.Reset()
	}
}
