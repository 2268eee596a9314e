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
func (o *owner) connectNow() {
	if o.status == linkstatus.Connecting || o.status == linkstatus.Connected {
		return
	}
	o.cancelReconnect()
	now := time.Now()
	o.connectStart = now
	o.dialGen++
	ctx, cancel := context.WithCancel(context.Background())
	o.dialCancel = cancel
	s := o.settings
	s.LongLinkPorts = slices.Clone(s.LongLinkPorts)
	s.DebugIPs = maps.Clone(s.DebugIPs)
	s.BackupIPs = maps.Clone(s.BackupIPs)
	c := connector{cfg: o.e.cfg, race: o.raceConfig(), secure: o.e.secure, proxies: o.e.proxies}
	if c.cfg.Addresses == nil {
		c.source = &netsource.Source{NewDns: o.hostNewDns(true), DoH: o.dohResolver(), Report: o.e.dnsReporter(true),
			NewDnsTimeout: c.cfg.NewDnsTimeout, Resolver: c.cfg.Resolver, ResolverTimeout: c.cfg.ResolverTimeout,
			Scores: o.scores.Clone(), MaxPrimary: DefaultMaxCandidates}
	}
	gen, e := o.dialGen, o.e
	o.setStatus(linkstatus.Connecting, "connect")
	e.wg.Go(func() {
		r := c.connect(ctx, s, now)
		r.gen, r.start = gen, now
		e.post(event{kind: evDialDone, dial: r})
	})
}

// raceConfig is the stagger in force: Mars's fixed one, or the one derived
// from the connect times measured on this network.
func (o *owner) raceConfig() dial.Config {
	cfg := o.e.cfg
	rc := dial.Config{Timeout: cfg.ConnectTimeout, Delay: cfg.ConnectInterval, MaxInFlight: cfg.MaxConnecting}
	if !cfg.ExactMarsTiming {
		rc.Delay = o.rtt[o.label].Delay(cfg.MinConnectInterval, cfg.ConnectInterval)
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
func (o *owner) dialDone(r *dialResult) {
	if r.gen != o.dialGen || o.status != linkstatus.Connecting {
		if r.conn != nil {
			_ = r.conn.Close() // a stale attempt: nobody wants this connection
		}
		return
	}
	o.dialCancel()
	o.dialCancel = nil
	for _, f := range r.failures {
		if f.proxy != nil {
			o.netReport(EctSocket, f.code, *f.proxy) // the proxy failed: the target is not blamed
			continue
		}
		o.netReport(EctSocket, f.code, f.addr)
	}
	if r.conn == nil {
		o.logf(LogWarn, "long link: connect failed: %v", r.err)
		o.setStatus(linkstatus.ConnectFailed, r.err.Error())
		if code, ok := secureFailure(r.failures); ok {
			o.endWaiting(EctSocket, code)
		}
		return
	}
	now := time.Now()
	d := o.rtt[o.label]
	d.Observe(r.rtt)
	o.rtt[o.label] = d
	o.linkAddr, o.linkKind, o.connectDone = r.addr, r.addr.Kind, now
	lim := longlink.Limits{MaxPacket: o.e.cfg.MaxPacket, Backlog: o.e.cfg.ReceiveBacklog}
	o.link = longlink.Start(r.conn, o.e.cfg.Codec, lim, linkEvents{o.e}, o.cb.TrafficData, &o.e.wg)
	o.netReport(EctOK, 0, r.addr)
	o.pol.connectLater = len(r.failures) > 0 // a weak-network mark
	o.setStatus(linkstatus.Connected, "connected to "+r.addr.String())
	o.runTasks(now) // waiting tasks are the first write, ahead of any heartbeat
	o.startHeartbeat(now)
	o.onConnectedForRecovery(now)
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
func (o *owner) endWaiting(typ ErrType, code int) {
	for _, tk := range o.sortedTasks() {
		if o.tasks[tk.t.TaskID] == tk && !tk.running && !tk.building {
			o.end(tk, typ, code)
		}
	}
}

// dialResult is what the connect goroutine reports.
type dialResult struct {
	gen      uint64
	conn     net.Conn
	addr     Address
	rtt      time.Duration // the winner's TCP connect time
	start    time.Time
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

// newDnsFunc is the NewDns source of a connect: the host's OnNewDns, then
// the DoH resolver when one is configured and the host had no answer. It
// runs on the lookup's own goroutine, bounded by NewDnsTimeout.
func (o *owner) newDnsFunc() func(host string) []string {
	cb, r, limit := o.cb, o.e.doh, o.e.cfg.NewDnsTimeout
	return func(host string) []string {
		if ips := cb.OnNewDns(host, true); len(ips) > 0 || r == nil {
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
