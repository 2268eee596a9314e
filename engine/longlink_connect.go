package engine

import (
	"context"
	"maps"
	"net"
	"slices"
	"time"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/engine/internal/netsource"
)

// connectNow starts a connect attempt unless connected or connecting: the
// candidates and the race between them run on a goroutine of
// their own, which reports one dialResult.
func (ll *longLink) connectNow() {
	if ll.status == linkstatus.Connecting || ll.status == linkstatus.Connected || ll.o.longOff {
		return
	}
	ll.cancelReconnect()
	now := time.Now()
	ll.connectStart = now
	ll.dialGen++
	ctx, cancel := context.WithCancel(context.Background())
	ll.dialCancel = cancel
	s := ll.addressSettings()
	s.LongLinkPorts = slices.Clone(s.LongLinkPorts)
	s.DebugIPs = maps.Clone(s.DebugIPs)
	s.BackupIPs = maps.Clone(s.BackupIPs)
	c := connector{cfg: ll.cfg, race: ll.o.raceConfig(), secure: ll.secure, proxies: ll.proxies}
	if c.cfg.Addresses == nil {
		c.source = &netsource.Source{NewDns: ll.askNewDns(), DoH: ll.o.dohResolver(), Report: ll.o.e.dnsReporter(true),
			NewDnsTimeout: c.cfg.NewDnsTimeout, Resolver: c.cfg.Resolver, ResolverTimeout: c.cfg.ResolverTimeout,
			Scores: ll.scores.Clone(), MaxPrimary: DefaultMaxCandidates, Inactive: !ll.o.active}
	}
	gen, e := ll.dialGen, ll.o.e
	ll.setStatus(linkstatus.Connecting, "connect")
	e.wg.Go(func() {
		r := c.connect(ctx, s, now)
		r.gen = gen
		e.post(dialWork{ll, r})
	})
}

// raceConfig is the stagger in force: Mars's fixed one, or the one derived
// from the connect times measured on this network (a guess by network type
// before the first).
func (o *owner) raceConfig() dial.Config {
	cfg := o.e.cfg
	rc := dial.Config{Timeout: cfg.ConnectTimeout, Delay: cfg.ConnectInterval, MaxInFlight: cfg.MaxConnecting}
	if !cfg.ExactMarsTiming {
		first := DefaultFirstConnectInterval
		if o.network == NetworkMobile {
			first = DefaultMobileFirstConnectInterval
		}
		rc.Delay = o.rtt[o.label].Delay(cfg.MinConnectInterval, first, cfg.ConnectInterval)
		rc.FailFast = true
	}
	return rc
}

// connector is what one connect attempt needs, copied off the owner.
type connector struct {
	cfg     Config
	source  *netsource.Source // nil with a custom AddressSource
	race    dial.Config
	secure  func(ctx context.Context, c net.Conn, a Address) (net.Conn, error) // TLS, nil without
	proxies proxyChooser
}

// connect lists the candidates and races them; it runs on its own goroutine.
func (c connector) connect(ctx context.Context, s AddressSettings, now time.Time) *dialResult {
	r := &dialResult{}
	addrs, err := c.candidates(ctx, s, now)
	if err != nil {
		r.err = err
		return r
	}
	targets := make([]string, len(addrs))
	for i, a := range addrs {
		targets[i] = a.String()
	}
	d := c.proxies.dialer(ctx, s.LongLinkHost, true)
	if c.secure != nil {
		d = &tlsDialer{d: d, secure: c.secure, addrs: addrs, targets: targets}
	}
	if c.cfg.VerifyConnect {
		d = &verifyDialer{d: d, codec: c.cfg.Codec}
	}
	res := dial.Race(ctx, d, "tcp", targets, c.race)
	for _, f := range res.Failures {
		code, proxy := connectFailure(f)
		r.failures = append(r.failures, dialFailure{addr: addrs[f.Index], code: code, proxy: proxy})
	}
	if res.Conn == nil {
		r.err = res.Err
		return r
	}
	r.conn, r.addr, r.rtt = res.Conn, addrs[res.Winner], res.RTT
	return r
}

func (c connector) candidates(ctx context.Context, s AddressSettings, now time.Time) ([]Address, error) {
	if c.source == nil {
		return c.cfg.Addresses.LongLinkCandidates(ctx, s)
	}
	debug := s.DebugIPs[s.LongLinkHost]
	if debug == "" {
		debug = s.LongLinkDebugIP
	}
	list, err := c.source.LongLink(ctx, netsource.Settings{Host: s.LongLinkHost, Ports: s.LongLinkPorts,
		DebugIP: debug, Backup: s.BackupIPs[s.LongLinkHost]}, now)
	if err != nil {
		return nil, errNoAddress
	}
	out := make([]Address, len(list))
	for i, x := range list {
		out[i] = Address{Host: x.Host, IP: x.IP, Port: x.Port, Kind: AddressKind(x.Kind)}
	}
	return out, nil
}

// dialDone takes the connect goroutine's result: each lost candidate and the
// winner are reported to the host and the IP scores (Mars's connect observer).
func (ll *longLink) dialDone(r *dialResult) {
	if r.gen != ll.dialGen || ll.status != linkstatus.Connecting {
		if r.conn != nil {
			_ = r.conn.Close() // a stale attempt: nobody wants this connection
		}
		return
	}
	ll.dialCancel()
	ll.dialCancel = nil
	ll.countConnect(r.conn != nil)
	for _, f := range r.failures {
		if f.proxy != nil {
			ll.netReport(EctSocket, f.code, *f.proxy) // the proxy failed: the target is not blamed
			continue
		}
		ll.netReport(EctSocket, f.code, f.addr)
	}
	if r.conn == nil {
		ll.o.logf(LogWarn, "long link: connect failed: %v", r.err)
		ll.setStatus(linkstatus.ConnectFailed, r.err.Error())
		if code, ok := secureFailure(r.failures); ok {
			ll.endWaiting(EctSocket, code)
		}
		return
	}
	now := time.Now()
	d := ll.o.rtt[ll.o.label]
	d.Observe(r.rtt)
	ll.o.rtt[ll.o.label] = d
	ll.linkAddr, ll.linkKind, ll.connectDone = r.addr, r.addr.Kind, now
	lim := longlink.Limits{MaxPacket: ll.cfg.MaxPacket, Backlog: ll.cfg.ReceiveBacklog}
	ll.link = longlink.Start(r.conn, ll.cfg.Codec, lim, linkEvents{ll.o.e, ll}, ll.o.cb.TrafficData, &ll.o.e.wg)
	ll.connID = nextConnectionID()
	ll.netReport(EctOK, 0, r.addr)
	ll.o.pol.connectLater = len(r.failures) > 0 // a weak-network mark
	ll.setStatus(linkstatus.Connected, "connected to "+r.addr.String())
	ll.runTasks(now) // waiting tasks are the first write, ahead of any heartbeat
	ll.startHeartbeat(now)
	ll.onConnectedForRecovery(now)
}

// secureFailure reports the code a failed attempt ends its waiting tasks
// with when every candidate failed TLS or the proxy: another round
// cannot fix a pin or a proxy, so waiting only turns the error into a
// timeout. A TLS failure wins over a proxy one, as on the short link.
func secureFailure(failures []dialFailure) (code int, ok bool) {
	for _, f := range failures {
		switch {
		case isHandshakeCode(f.code):
			if code == 0 || isProxyCode(code) {
				code = f.code
			}
		case isProxyCode(f.code):
			if code == 0 {
				code = f.code
			}
		default:
			return 0, false // a network failure: the next round may connect
		}
	}
	return code, code != 0
}

// endWaiting ends every long-link task waiting for the link with
// (typ, code).
func (ll *longLink) endWaiting(typ ErrType, code int) {
	for _, tk := range ll.o.sortedTasks() {
		if tk.ll == ll && ll.o.tasks[tk.t.TaskID] == tk && !tk.running && !tk.building {
			ll.o.end(tk, typ, code)
		}
	}
}

// dialResult is what the connect goroutine reports.
type dialResult struct {
	gen      uint64
	conn     net.Conn
	addr     Address
	rtt      time.Duration // the winner's TCP connect time
	failures []dialFailure
	err      error
}

type dialFailure struct {
	addr  Address
	code  int      // errno, or a proxy or TLS code
	proxy *Address // the proxy, when it is what failed
}

// hostNewDns is the host's OnNewDns for one kind of link.
func (o *owner) hostNewDns(longlink bool) func(host string) []string {
	cb := o.cb
	return func(host string) []string { return cb.OnNewDns(host, longlink) }
}

// dohResolver is Config.DoHURL's resolver, or nil (never a typed nil).
func (o *owner) dohResolver() netsource.Resolver {
	if o.e.doh == nil {
		return nil
	}
	return o.e.doh
}

// askNewDns is the host's resolver for the link's connects: OnNewDns(host,
// true), or OnLongLinkNewDns with the link's name from a host that
// implements LongLinkResolver.
func (ll *longLink) askNewDns() func(host string) []string {
	cb, name := ll.o.cb, ll.name
	if lr, ok := cb.(LongLinkResolver); ok {
		return func(host string) []string { return lr.OnLongLinkNewDns(name, host) }
	}
	return ll.o.hostNewDns(true)
}

// newDnsFunc is the host's resolver (askNewDns), then the DoH resolver when
// one is configured and the host had no answer, in one function for the
// network check (which takes a resolver, not a netsource.Source). It runs
// on the lookup's own goroutine, bounded by NewDnsTimeout.
func (ll *longLink) newDnsFunc() func(host string) []string {
	ask, r, limit := ll.askNewDns(), ll.o.e.doh, ll.cfg.NewDnsTimeout
	return func(host string) []string {
		if ips := ask(host); len(ips) > 0 || r == nil {
			return ips
		}
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		defer cancel()
		ips, err := r.LookupHost(ctx, host)
		if err != nil {
			return nil
		}
		return ips
	}
}
