package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/netsource"
)

// DnsProfiler is an optional extension of Callbacks, Mars's
// ReportDnsProfile: a Callbacks that also implements it is told of every
// host-name lookup a long-link connect or a short-link attempt makes for
// its candidates (the built-in address source only), one report per
// lookup. It runs on the host goroutine, like every callback, after the
// lookup ended; the profile is the callee's to keep.
type DnsProfiler interface {
	ReportDnsProfile(p DnsProfile)
}

// DnsSource is what answered a lookup.
type DnsSource int

// DNS sources: Mars's dnstype numbers (1 NewDns, 2 system DNS), then the
// ones Mars has no number for.
const (
	DnsSourceNewDns DnsSource = 1 // the host's OnNewDns
	DnsSourceSystem DnsSource = 2 // Config.Resolver (the system resolver)
	DnsSourceDoH    DnsSource = 3 // Config.DoHURL, asked when OnNewDns had nothing (long link)
	DnsSourceDebug  DnsSource = 4 // a debug IP (SetDebugIP, a server address's) stood in for the lookup
)

// DnsProfile is one lookup (Mars's DnsProfile).
type DnsProfile struct {
	Host     string
	LongLink bool     // for the long link, else a short-link attempt
	IPs      []string // the usable addresses it answered (0.0.0.0 and non-IPs dropped)
	Source   DnsSource
	Start    time.Time
	Duration time.Duration
	// Err is nil when IPs is not empty; else why not: the lookup's error,
	// context.DeadlineExceeded when it outlasted its timeout, or
	// ErrNoDnsAnswer. Mars reports any failure as (EctLocal, -1).
	Err error
}

// ErrNoDnsAnswer is DnsProfile.Err for a lookup that answered no usable
// address.
var ErrNoDnsAnswer = netsource.ErrNoAnswer

// dnsReporter returns the netsource Report hook that hands each lookup to
// the host's ReportDnsProfile, or nil when the host has none. It is called
// on lookup goroutines: the report goes through the owner to the host
// goroutine.
func (e *Engine) dnsReporter(longlink bool) func(netsource.Lookup) {
	dp, ok := e.cb.(DnsProfiler)
	if !ok {
		return nil
	}
	return func(l netsource.Lookup) {
		p := DnsProfile{Host: l.Host, LongLink: longlink, IPs: l.IPs, Source: DnsSource(l.Via), Start: l.Start,
			Duration: l.Took, Err: l.Err}
		e.runOnOwner(func(o *owner) { o.toHost(func() { dp.ReportDnsProfile(p) }) })
	}
}
