package ipsort

import (
	"strconv"
	"testing"
)

// BenchmarkSort orders a typical candidate list: 5 IPs × 2 ports, half of
// them with a history.
func BenchmarkSort(b *testing.B) {
	tb := New("wifi", 1)
	var items []Item
	for i := range 5 {
		for _, p := range []int{80, 443} {
			it := Item{IP: "10.0.0." + strconv.Itoa(i), Port: p}
			items = append(items, it)
			if i%2 == 0 {
				tb.Update(it, i == 0, t0)
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		tb.Sort(items, 5, t0)
	}
}
