// Package netsource builds the long link's connect candidates in Mars's
// order (NetSource):
//
//  1. the debug IP (per host, else the server address's), with every port
//     in configured order, unsorted and never banned; nothing else;
//  2. otherwise the host's OnNewDns answer (NewDnsTimeout, 2 s; a late
//     answer is dropped), or, without one, the system resolver
//     (ResolverTimeout, 1 s, asked alongside OnNewDns when no backup IPs
//     are set); every IP × port, scored, banned ones dropped,
//     families interleaved IPv6 first, at most MaxPrimary (5), or one
//     fewer when the process is inactive (4);
//  3. then backup IPs (SetBackupIPs, else the system resolver's answer),
//     shuffled, without IPs already present, up to MaxPrimary in all, or
//     one more when the primary source filled every slot of an active
//     process (5 + 1; inactive, 4 + 1);
//  4. with no IP at all, the host name itself, for the Dialer to resolve.
package netsource

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"slices"
	"time"

	"github.com/mars-go/mars/engine/internal/ipsort"
)

// Kind is where a candidate came from.
type Kind int

// Candidate kinds (Mars's IPSourceType).
const (
	Debug  Kind = iota + 1 // SetDebugIP / the server address's debug IP
	NewDns                 // the host's OnNewDns
	DNS                    // the system resolver
	Backup                 // SetBackupIPs, or the resolver standing in for them
	Name                   // the unresolved host name
)

var kindNames = [...]string{"", "debug", "newdns", "dns", "backup", "name"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// Candidate is one address to connect to.
type Candidate struct {
	Host string
	IP   string
	Port int
	Kind Kind
}

// Settings are the host's address calls for one link.
type Settings struct {
	Host    string
	Ports   []int
	DebugIP string   // SetDebugIP for Host, else the server address's
	Backup  []string // SetBackupIPs for Host
}

// Resolver looks a name up; *net.Resolver satisfies it.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Source holds what building a list needs.
type Source struct {
	NewDns func(host string) []string // the host's OnNewDns; nil: none
	// DoH, when set, is asked when NewDns had no answer, within the same
	// NewDnsTimeout wait.
	DoH             Resolver
	NewDnsTimeout   time.Duration
	Resolver        Resolver // nil: no system lookups
	ResolverTimeout time.Duration
	Scores          *ipsort.Table // a snapshot; nil: keep the order
	MaxPrimary      int           // Mars's kNumMakeCount, 5
	// Inactive is Mars's inactive-process sizing: MaxPrimary−1 slots for
	// the primary source, the rest of MaxPrimary for backups ("4 + backup").
	Inactive bool
	// Report, when set, is told of every lookup (Mars's ReportDnsProfile)
	// on the goroutine that made it.
	Report func(Lookup)
}

// primarySlots is how many candidates the primary source may fill.
func (s Source) primarySlots() int {
	if s.Inactive && s.MaxPrimary > 1 {
		return s.MaxPrimary - 1
	}
	return s.MaxPrimary
}

// Via is what answered a lookup.
type Via int

// Lookup sources: Mars's dnstype numbers (1 NewDns, 2 system), then ours.
const (
	ViaNewDns Via = iota + 1 // the host's OnNewDns
	ViaSystem                // the system resolver
	ViaDoH                   // DNS over HTTPS
	ViaDebug                 // a debug IP stood in for a lookup
)

// Lookup is one resolution of a host name.
type Lookup struct {
	Host  string
	IPs   []string // the usable answers
	Via   Via
	Start time.Time
	Took  time.Duration
	Err   error // nil with at least one IP
}

// ErrNoAnswer is a lookup's error when it answered no usable IP.
var ErrNoAnswer = errors.New("netsource: no usable address in the answer")

// report tells Report of a lookup that started at start.
func (s Source) report(host string, via Via, start time.Time, ips []string, err error) {
	if s.Report == nil {
		return
	}
	if err == nil && len(ips) == 0 {
		err = ErrNoAnswer
	}
	s.Report(Lookup{Host: host, IPs: ips, Via: via, Start: start, Took: time.Since(start), Err: err})
}

// ErrNoAddress means there is nothing to connect to.
var ErrNoAddress = errors.New("netsource: no long-link address configured")

// LongLink returns the candidates for st, in the order to try them.
func (s Source) LongLink(ctx context.Context, st Settings, now time.Time) ([]Candidate, error) {
	if len(st.Ports) == 0 {
		return nil, ErrNoAddress
	}
	if st.DebugIP != "" {
		s.report(st.Host, ViaDebug, time.Now(), []string{st.DebugIP}, nil)
		return cross(st, []string{st.DebugIP}, Debug), nil
	}
	if st.Host == "" {
		return nil, ErrNoAddress
	}
	// Without backup IPs the resolver is asked either way (as the primary
	// source or for backups), so it runs alongside OnNewDns instead of
	// after it as in Mars: up to 1 s sooner, same answers.
	looked := make(chan []string, 1)
	if len(st.Backup) == 0 {
		go func() { looked <- s.lookup(ctx, st.Host) }()
	} else {
		looked <- nil
	}
	kind, ips := NewDns, s.newDns(ctx, st.Host)
	if len(ips) == 0 {
		kind, ips = DNS, <-looked
		if len(st.Backup) > 0 {
			ips = s.lookup(ctx, st.Host)
		}
	}
	primary := s.sorted(cross(st, ips, kind), now)
	backups, bkind := st.Backup, Backup
	if len(backups) == 0 && kind == NewDns {
		backups = <-looked // Mars caches this as the backup list
	}
	out := append(primary, s.backups(st, backups, bkind, primary)...)
	if len(out) == 0 {
		out = cross(st, []string{st.Host}, Name)
	}
	return out, nil
}

func (s Source) sorted(c []Candidate, now time.Time) []Candidate {
	if s.Scores == nil {
		return capped(c, s.primarySlots())
	}
	items := make([]ipsort.Item, len(c))
	byKey := map[ipsort.Item]Candidate{}
	for i, x := range c {
		items[i] = ipsort.Item{IP: x.IP, Port: x.Port}
		byKey[items[i]] = x
	}
	items = s.Scores.Sort(items, s.primarySlots(), now)
	out := make([]Candidate, len(items))
	for i, it := range items {
		out[i] = byKey[it]
	}
	return out
}

// backups fills the remaining slots: 5 in all, or 5 + 1 when the primary
// source filled all 5 (inactive: 5 in all, the primary source having had
// at most 4).
func (s Source) backups(st Settings, ips []string, kind Kind, primary []Candidate) []Candidate {
	limit := s.MaxPrimary - len(primary)
	if s.MaxPrimary > 0 && len(primary) >= s.MaxPrimary {
		limit = 1
	}
	if s.MaxPrimary <= 0 {
		limit = len(ips) * len(st.Ports)
	}
	var fresh []string
	for _, ip := range ips {
		if !slices.ContainsFunc(primary, func(c Candidate) bool { return c.IP == ip }) {
			fresh = append(fresh, ip)
		}
	}
	c := cross(st, fresh, kind)
	rand.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
	return capped(c, limit)
}

// newDns runs the host's OnNewDns on its own goroutine and, without an
// answer, DoH; it waits at most NewDnsTimeout for both. A late answer is
// dropped (the goroutine ends when the host returns).
func (s Source) newDns(ctx context.Context, host string) []string {
	if s.NewDns == nil && s.DoH == nil {
		return nil
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, s.NewDnsTimeout)
	defer cancel()
	var ips []string
	if s.NewDns != nil {
		answer := make(chan []string, 1)
		go func() { answer <- s.NewDns(host) }()
		select {
		case a := <-answer:
			ips = validIPs(a)
			s.report(host, ViaNewDns, start, ips, nil)
		case <-ctx.Done():
			s.report(host, ViaNewDns, start, nil, ctx.Err())
			return nil
		}
	}
	if len(ips) > 0 || s.DoH == nil {
		return ips
	}
	dohStart := time.Now()
	a, err := s.DoH.LookupHost(ctx, host)
	ips = validIPs(a)
	s.report(host, ViaDoH, dohStart, ips, err)
	return ips
}

// lookup asks the system resolver, bounded by ResolverTimeout.
func (s Source) lookup(ctx context.Context, host string) []string {
	if s.Resolver == nil {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return []string{host}
	}
	start := time.Now()
	lctx, cancel := context.WithTimeout(ctx, s.ResolverTimeout)
	defer cancel()
	a, err := s.Resolver.LookupHost(lctx, host)
	ips := validIPs(a)
	s.report(host, ViaSystem, start, ips, err)
	return ips
}

// validIPs drops empty, unparsable and unspecified (0.0.0.0) answers, and
// duplicates, keeping order.
func validIPs(ips []string) []string {
	var out []string
	for _, s := range ips {
		ip := net.ParseIP(s)
		if ip == nil || ip.IsUnspecified() || slices.Contains(out, s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// cross returns every ip × port, ips in order, deduplicated.
func cross(st Settings, ips []string, kind Kind) []Candidate {
	var out []Candidate
	for i, ip := range ips {
		if ip == "" || slices.Contains(ips[:i], ip) {
			continue
		}
		for _, p := range st.Ports {
			out = append(out, Candidate{Host: st.Host, IP: ip, Port: p, Kind: kind})
		}
	}
	return out
}

func capped(c []Candidate, n int) []Candidate {
	if n > 0 && len(c) > n {
		return c[:n]
	}
	return c
}

// Resolve returns the host's primary IPs as a connect would find them:
// OnNewDns, else the system resolver; nil when neither answers.
func (s Source) Resolve(ctx context.Context, host string) []string {
	if ips := s.newDns(ctx, host); len(ips) > 0 {
		return ips
	}
	return s.lookup(ctx, host)
}
