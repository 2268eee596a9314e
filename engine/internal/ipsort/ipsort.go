// Package ipsort scores ip:port candidates by their recent connect results,
// bans the failing ones and orders the rest: Mars's SimpleIPPortSort.
//
// Each ip:port keeps an 8-bit register of its recent results (bit 0 the
// newest, 1 a failure) and the times of its last failure and success;
// results closer than 10 s to the previous one of the same kind are
// ignored. An ip:port is banned while its register holds ≥ 3 failures and
// its last failure is younger than the ban time: 6 min, plus 6 min for each
// trailing consecutive failure beyond 3, at most 30 min.
//
// A 64-bit history per network label (the host's name for the network) is
// kept beside it, persisted by Save/Load and dropped after 24 h. Reset, on
// a network change or RedoTasks, rebuilds the registers from the current
// label's history with no failure times, so nothing is banned right after
// it: history only orders.
//
// A Table belongs to one goroutine; Clone gives another a snapshot.
package ipsort

import (
	"math/bits"
	"math/rand/v2"
	"net"
	"net/netip"
	"strconv"
	"time"
)

// Mars's numbers (simple_ipport_sort.cc).
const (
	BanFailCount   = 3                // failures among the last 8 that can ban
	BanTime        = 6 * time.Minute  // first ban, and the step per further failure
	MaxBanTime     = 30 * time.Minute // longest ban
	UpdateInterval = 10 * time.Second // least time between two results of one kind
	RecordTimeout  = 24 * time.Hour   // persisted history older than this is dropped
)

// Item is one candidate.
type Item struct {
	IP   string
	Port int
}

func (it Item) key() string { return net.JoinHostPort(it.IP, strconv.Itoa(it.Port)) }

// parseKey is key's inverse.
func parseKey(k string) (Item, bool) {
	h, p, err := net.SplitHostPort(k)
	if err != nil {
		return Item{}, false
	}
	n, err := strconv.Atoi(p)
	return Item{IP: h, Port: n}, err == nil
}

// v6 reports whether the IP is IPv6 (Mars: no '.' in the string).
func (it Item) v6() bool {
	a, err := netip.ParseAddr(it.IP)
	return err == nil && a.Is6() && !a.Is4In6()
}

type record struct {
	bits        uint8 // bit 0 newest; 1 = failure
	lastFail    time.Time
	lastSuccess time.Time
}

type history struct {
	Bits    uint64    `json:"bits"` // bit 0 newest; 1 = failure
	Updated time.Time `json:"updated"`
}

// Table is the score table of the current network.
type Table struct {
	label   string
	records map[Item]*record
	hist    map[string]map[string]history // label → ip:port → history
	rnd     *rand.Rand
}

// New returns an empty table for network label. seed fixes the shuffles
// (tests); 0 draws one.
func New(label string, seed uint64) *Table {
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &Table{label: label, records: map[Item]*record{}, hist: map[string]map[string]history{},
		rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Clone returns an independent copy (a snapshot for another goroutine).
func (t *Table) Clone() *Table {
	c := New(t.label, t.rnd.Uint64())
	for k, r := range t.records {
		cp := *r
		c.records[k] = &cp
	}
	for l, h := range t.hist {
		m := make(map[string]history, len(h))
		for k, v := range h {
			m[k] = v
		}
		c.hist[l] = m
	}
	return c
}

// Update records one result for it, unless one of the same kind was
// recorded less than UpdateInterval ago.
func (t *Table) Update(it Item, ok bool, now time.Time) {
	r := t.records[it]
	if r == nil {
		r = &record{}
		t.records[it] = r
	}
	last := &r.lastFail
	if ok {
		last = &r.lastSuccess
	}
	if !last.IsZero() && now.Sub(*last) < UpdateInterval {
		return
	}
	*last = now
	r.bits <<= 1
	if !ok {
		r.bits |= 1
	}
	h := t.labelHistory(t.label)
	k := it.key()
	e := h[k]
	e.Bits <<= 1
	if !ok {
		e.Bits |= 1
	}
	e.Updated = now
	h[k] = e
}

func (t *Table) labelHistory(label string) map[string]history {
	h := t.hist[label]
	if h == nil {
		h = map[string]history{}
		t.hist[label] = h
	}
	return h
}

// Banned reports whether it is banned at now.
func (t *Table) Banned(it Item, now time.Time) bool {
	r := t.records[it]
	if r == nil || r.lastFail.IsZero() || bits.OnesCount8(r.bits) < BanFailCount {
		return false
	}
	ban := BanTime
	if trailing := bits.TrailingZeros8(^r.bits); trailing > BanFailCount {
		ban += time.Duration(trailing-BanFailCount) * BanTime
	}
	return now.Sub(r.lastFail) < min(ban, MaxBanTime)
}

// Reset switches to network label and rebuilds the registers from its
// history, folding each 8 history bits into one (a failure if any was), with
// no failure times: nothing is banned afterwards.
func (t *Table) Reset(label string, now time.Time) {
	t.label = label
	t.records = map[Item]*record{}
	for k, h := range t.hist[label] {
		it, ok := parseKey(k)
		if !ok || now.Sub(h.Updated) > RecordTimeout {
			delete(t.hist[label], k)
			continue
		}
		var folded uint8
		for i := range 8 {
			if h.Bits>>(8*i)&0xff != 0 {
				folded |= 1 << i
			}
		}
		t.records[it] = &record{bits: folded}
	}
}

// Unban forgets its recent failures (a recovery probe reached it).
func (t *Table) Unban(it Item) {
	if r := t.records[it]; r != nil {
		r.bits, r.lastFail = 0, time.Time{}
	}
}

// Failures is the number of failures among its last 8 results.
func (t *Table) Failures(it Item) int {
	if r := t.records[it]; r != nil {
		return bits.OnesCount8(r.bits)
	}
	return 0
}
