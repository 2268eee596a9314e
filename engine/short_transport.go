package engine

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"time"

	"github.com/mars-go/mars/engine/internal/dial"
	"github.com/mars-go/mars/engine/internal/ipsort"
	"github.com/mars-go/mars/engine/internal/netsource"
	"github.com/mars-go/mars/engine/internal/pin"
	"github.com/mars-go/mars/engine/internal/shortlink"
	"github.com/mars-go/mars/engine/internal/tlsfail"
)

// builtinShortLink is the default ShortLinkTransport: the shortlink package
// over this engine's Dialer (MSS clamp, proxy), connect race and address
// settings.
type builtinShortLink struct {
	t *shortlink.Transport
	o *owner // read only for OnNewDns and the race config; never its state
}

// newBuiltinShortLink builds the transport on the owner goroutine.
func newBuiltinShortLink(o *owner) *builtinShortLink {
	cfg := o.e.cfg
	b := &builtinShortLink{o: o}
	var tc *tls.Config
	if t := cfg.ShortLinkTLS; t != nil {
		tc = &tls.Config{MinVersion: tls.VersionTLS13, ServerName: t.ServerName, RootCAs: t.RootCAs,
			VerifyConnection: pin.Verifier(t.PinnedSPKI)}
	}
	b.t = shortlink.New(shortlink.Config{
		Dialer:     cfg.Dialer,
		Race:       o.raceConfig(),
		TLS:        tc,
		Traffic:    o.cb.TrafficData,
		Candidates: func(context.Context, string, int) ([]string, error) { return nil, errNoAddress },
		DialResult: func(targets []string, r dial.Result) {
			if r.Conn == nil && errors.Is(r.Err, context.Canceled) {
				return // the attempt was given up: not the addresses' fault
			}
			outcomes := make(map[string]bool, len(r.Failures)+1)
			var lost []shortLoss
			for _, f := range r.Failures {
				code, proxy := shortConnectFailure(f)
				if proxy != "" {
					lost = append(lost, shortLoss{addr: proxy, code: code}) // the proxy's fault, not the target's
					continue
				}
				lost = append(lost, shortLoss{addr: targets[f.Index], code: code})
				outcomes[targets[f.Index]] = false
			}
			if r.Conn != nil {
				outcomes[targets[r.Winner]] = true
			}
			rtt := r.RTT
			o.e.runOnOwner(func(o *owner) { o.shortDialed(outcomes, rtt, lost) })
		},
	})
	return b
}

// shortDialed scores the short link's connect outcomes as the long link's
// (Mars's ReportShortIP); a winner's connect time also tunes the
// stagger (RFC 8305 §5).
func (o *owner) shortDialed(outcomes map[string]bool, rtt time.Duration, lost []shortLoss) {
	if sn, ok := o.cb.(ShortLinkNetworkErrorer); ok && len(lost) > 0 {
		o.toHost(func() {
			for _, l := range lost {
				ip, port := splitAddr(l.addr)
				sn.OnShortLinkNetworkError(EctSocket, l.code, ip, port)
			}
		})
	}
	if o.network == NetworkNone {
		return
	}
	now := time.Now()
	if rtt > 0 {
		d := o.rtt[o.label]
		d.Observe(rtt)
		o.rtt[o.label] = d
	}
	for addr, ok := range outcomes {
		ip, port := splitAddr(addr)
		o.scores.Update(ipsort.Item{IP: ip, Port: port}, ok, now)
	}
}

// shortLoss is one short-link candidate lost in a race: the address to
// name (the proxy's when the proxy failed) and its code.
type shortLoss struct {
	addr string
	code int
}

// shortConnectFailure is connectFailure for the short link, whose TLS
// failures come from the shortlink package.
func shortConnectFailure(f dial.Outcome) (code int, proxy string) {
	var he *shortlink.HandshakeError
	if !f.Superseded && errors.As(f.Err, &he) {
		return tlsfail.Code(he.Err), ""
	}
	code, p := connectFailure(f)
	if p != nil {
		return code, net.JoinHostPort(p.IP, strconv.Itoa(p.Port))
	}
	return code, ""
}

// RoundTrip implements ShortLinkTransport.
func (b *builtinShortLink) RoundTrip(ctx context.Context, req *ShortLinkRequest) ([]byte, error) {
	r := &shortlink.Request{Host: req.Host, Cgi: req.Cgi, Headers: req.Headers, Body: req.Body,
		Candidates: b.candidates(req), Race: req.race, Dialer: b.dialer}
	if req.Progress != nil {
		r.Progress = req.Progress
	}
	body, err := b.t.RoundTrip(ctx, r)
	var se *shortlink.Error
	if errors.As(err, &se) {
		return nil, TaskError{Type: ErrType(se.Type), Code: se.Code}
	}
	return body, err
}

// dialer is the Dialer of one new connection to host: the host's
// ProxyFor answer, else Config.Proxy.
func (b *builtinShortLink) dialer(ctx context.Context, host string) dial.Dialer {
	return b.o.e.proxies.dialer(ctx, host, false)
}

// candidates lists the attempt's addresses in Mars's order: the
// debug IP, else OnNewDns(host, false) or the system resolver, then backups.
// Banned addresses are dropped and the rest sorted by the IP scores
// as they stood when the attempt started.
func (b *builtinShortLink) candidates(req *ShortLinkRequest) func(context.Context, string, int) ([]string, error) {
	cfg := b.o.e.cfg
	src := netsource.Source{NewDns: b.o.hostNewDns(false), Report: b.o.e.dnsReporter(false),
		NewDnsTimeout: cfg.NewDnsTimeout, Resolver: cfg.Resolver, ResolverTimeout: cfg.ResolverTimeout,
		MaxPrimary: DefaultMaxCandidates, Inactive: req.inactive, Scores: req.scores}
	return func(ctx context.Context, host string, port int) ([]string, error) {
		if req.Port > 0 {
			port = req.Port
		}
		list, err := src.LongLink(ctx, netsource.Settings{Host: host, Ports: []int{port}, DebugIP: req.DebugIP,
			Backup: req.BackupIPs}, time.Now())
		if err != nil {
			return nil, err
		}
		out := make([]string, 0, len(list))
		for _, c := range list {
			if c.Kind == netsource.Name {
				continue // nothing resolved the name: (EctDns, -10606) as Mars does
			}
			out = append(out, net.JoinHostPort(c.IP, strconv.Itoa(c.Port)))
		}
		return out, nil
	}
}

// ShortLinkRequest is one short-link attempt.
type ShortLinkRequest struct {
	TaskID  uint32
	Host    string // the task's first short-link host: Host header and name to resolve
	Cgi     string
	Headers map[string]string
	Body    []byte

	// The host's short-link address settings when the attempt started.
	Port      int      // SetShortlinkSvrAddr's port; 0: the transport's default
	DebugIP   string   // SetDebugIP for Host, else SetShortlinkSvrAddr's debug IP
	BackupIPs []string // SetBackupIPs for Host
	// Progress, when set, takes the attempt's progress; the engine's
	// first-packet and pkg-pkg timeouts run from it. A transport
	// that never reports leaves only the task timeout to end a stalled
	// attempt.
	Progress ShortLinkProgress

	scores   *ipsort.Table // the IP scores for the built-in transport; nil for others
	race     dial.Config   // and the connect stagger in force
	inactive bool          // the process is inactive: Mars's 4 + backup candidates
	progress shortProgress // what Progress points at: one allocation for both
}

// ShortLinkProgress is told how an attempt goes. Its methods may be called
// from any goroutine and return at once.
type ShortLinkProgress interface {
	// Connected: the attempt has a connection to addr ("ip:port"); reused
	// says it was kept alive from an earlier attempt.
	Connected(addr string, reused bool)
	// Sending: the request is about to be written; the first-packet
	// timeout counts from here (connect time is not part of it).
	Sending(at time.Time)
	// Received: n response bytes were read at at.
	Received(n int, at time.Time)
}

// ShortLinkTransport sends one short-link attempt and returns the response
// body, or a TaskError with Mars's short-link codes. It must return
// soon after ctx ends: the engine cancels ctx on StopTask, a timeout,
// RedoTasks, Reset and Close.
type ShortLinkTransport interface {
	RoundTrip(ctx context.Context, req *ShortLinkRequest) ([]byte, error)
}
