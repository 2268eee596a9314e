package ipsort

import (
	"cmp"
	"math/bits"
	"slices"
	"time"
)

// Sort is Mars's SortandFilter: it drops banned items, shuffles the
// rest (so users do not herd onto one server) and spreads ports of one IP
// apart, puts items with a history in order of fewer failures, older last
// failure, newer last success, then merges families in alternating turns,
// IPv6 first (also RFC 8305 §4 interleaving); within a turn the history
// head or the new head is picked at random in proportion to the two list
// sizes. At most need items are returned (need ≤ 0: all).
func (t *Table) Sort(items []Item, need int, now time.Time) []Item {
	var ok []Item
	for _, it := range items {
		if !t.Banned(it, now) {
			ok = append(ok, it)
		}
	}
	t.rnd.Shuffle(len(ok), func(i, j int) { ok[i], ok[j] = ok[j], ok[i] })
	spreadIPs(ok)
	var known, fresh []Item
	for _, it := range ok {
		if t.records[it] != nil {
			known = append(known, it)
		} else {
			fresh = append(fresh, it)
		}
	}
	slices.SortStableFunc(known, t.compare)
	out := t.merge(known, fresh)
	if need > 0 && len(out) > need {
		out = out[:need]
	}
	return out
}

// compare orders items with a history: fewer failures, older last failure,
// newer last success.
func (t *Table) compare(a, b Item) int {
	ra, rb := t.records[a], t.records[b]
	if c := cmp.Compare(bits.OnesCount8(ra.bits), bits.OnesCount8(rb.bits)); c != 0 {
		return c
	}
	if c := ra.lastFail.Compare(rb.lastFail); c != 0 {
		return c
	}
	return rb.lastSuccess.Compare(ra.lastSuccess)
}

// spreadIPs swaps items so that neighbours have different IPs where it can.
func spreadIPs(items []Item) {
	for i := 1; i < len(items); i++ {
		if items[i].IP != items[i-1].IP {
			continue
		}
		for j := i + 1; j < len(items); j++ {
			if items[j].IP != items[i-1].IP {
				items[i], items[j] = items[j], items[i]
				break
			}
		}
	}
}

// merge interleaves the families, IPv6 first, picking between the known
// and fresh heads of the family in turn.
func (t *Table) merge(known, fresh []Item) []Item {
	var lists [2][2][]Item // [family][known, fresh]; family 0 = IPv6
	for _, it := range known {
		f := family(it)
		lists[f][0] = append(lists[f][0], it)
	}
	for _, it := range fresh {
		f := family(it)
		lists[f][1] = append(lists[f][1], it)
	}
	out := make([]Item, 0, len(known)+len(fresh))
	for turn := 0; len(out) < cap(out); turn ^= 1 {
		f := turn
		if len(lists[f][0])+len(lists[f][1]) == 0 {
			f ^= 1
		}
		k, n := len(lists[f][0]), len(lists[f][1])
		pick := 1
		if k > 0 && (n == 0 || t.rnd.IntN(k+n) < k) {
			pick = 0
		}
		out = append(out, lists[f][pick][0])
		lists[f][pick] = lists[f][pick][1:]
	}
	return out
}

func family(it Item) int {
	if it.v6() {
		return 0
	}
	return 1
}
