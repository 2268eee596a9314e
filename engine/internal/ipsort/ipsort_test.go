package ipsort

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func fails(tb *Table, it Item, n int, at time.Time) time.Time {
	for range n {
		tb.Update(it, false, at)
		at = at.Add(UpdateInterval)
	}
	return at.Add(-UpdateInterval)
}

func TestThreeFailuresBanForSixMinutes(t *testing.T) {
	tb := New("wifi", 1)
	a := Item{"10.0.0.1", 80}
	last := fails(tb, a, 2, t0)
	if tb.Banned(a, last) {
		t.Fatal("banned after two failures")
	}
	last = fails(tb, a, 1, last.Add(UpdateInterval))
	if !tb.Banned(a, last.Add(BanTime-time.Second)) {
		t.Fatal("not banned after three failures")
	}
	if tb.Banned(a, last.Add(BanTime)) {
		t.Fatal("still banned after 6 min")
	}
}

func TestFailuresCloserThanTenSecondsCountOnce(t *testing.T) {
	tb := New("wifi", 1)
	a := Item{"10.0.0.1", 80}
	for i := range 5 {
		tb.Update(a, false, t0.Add(time.Duration(i)*time.Second))
	}
	if tb.Banned(a, t0.Add(5*time.Second)) {
		t.Fatal("five failures within 5 s banned the address")
	}
	tb.Update(a, true, t0)
	tb.Update(a, true, t0.Add(time.Second))
	if got := tb.records[a].bits; got != 0b10 {
		t.Fatalf("register %08b, want one failure then one success", got)
	}
}

func TestBanGrowsSixMinutesPerFurtherFailureUpToThirty(t *testing.T) {
	for _, tc := range []struct {
		failures int
		ban      time.Duration
	}{{3, 6 * time.Minute}, {4, 12 * time.Minute}, {5, 18 * time.Minute}, {8, 30 * time.Minute}} {
		tb := New("wifi", 1)
		a := Item{"10.0.0.1", 80}
		last := fails(tb, a, tc.failures, t0)
		if !tb.Banned(a, last.Add(tc.ban-time.Second)) || tb.Banned(a, last.Add(tc.ban)) {
			t.Fatalf("%d failures: ban is not %v", tc.failures, tc.ban)
		}
	}
}

func TestSuccessBetweenFailuresKeepsThreeInEightBanning(t *testing.T) {
	tb := New("wifi", 1)
	a := Item{"10.0.0.1", 80}
	at := fails(tb, a, 2, t0)
	tb.Update(a, true, at)
	at = fails(tb, a, 1, at.Add(UpdateInterval))
	if !tb.Banned(a, at) {
		t.Fatal("3 failures among the last 8 must ban")
	}
	for range 8 {
		at = at.Add(UpdateInterval)
		tb.Update(a, true, at)
	}
	if tb.Banned(a, at) {
		t.Fatal("failures shifted out of the last 8 still ban")
	}
}

func TestResetUnbansButKeepsOrderFromHistory(t *testing.T) {
	tb := New("wifi", 1)
	bad, good := Item{"10.0.0.1", 80}, Item{"10.0.0.2", 80}
	at := fails(tb, bad, 3, t0)
	tb.Update(good, true, at)
	if got := tb.Sort([]Item{bad, good}, 0, at); !slices.Equal(got, []Item{good}) {
		t.Fatalf("before reset %v", got)
	}
	tb.Reset("wifi", at)
	for range 20 {
		if got := tb.Sort([]Item{bad, good}, 0, at); !slices.Equal(got, []Item{good, bad}) {
			t.Fatalf("after reset %v: the failing address must come back, last", got)
		}
	}
	tb.Reset("mobile", at)
	if len(tb.records) != 0 {
		t.Fatal("another label's history leaked into this network")
	}
}

func TestSortInterleavesFamiliesIPv6First(t *testing.T) {
	tb := New("wifi", 7)
	in := []Item{{"10.0.0.1", 1}, {"10.0.0.2", 1}, {"10.0.0.3", 1}, {"::1", 1}, {"::2", 1}}
	got := tb.Sort(in, 0, t0)
	fam := ""
	for _, it := range got {
		if it.v6() {
			fam += "6"
		} else {
			fam += "4"
		}
	}
	if fam != "64644" {
		t.Fatalf("families %s (%v), want 64644", fam, got)
	}
	if got := tb.Sort(in, 2, t0); len(got) != 2 {
		t.Fatalf("need 2 gave %d", len(got))
	}
}

func TestSortSpreadsPortsOfOneIP(t *testing.T) {
	tb := New("wifi", 3)
	in := []Item{{"10.0.0.1", 1}, {"10.0.0.1", 2}, {"10.0.0.1", 3}, {"10.0.0.2", 1}, {"10.0.0.2", 2}, {"10.0.0.2", 3}}
	for range 20 {
		got := tb.Sort(in, 0, t0)
		for i := 1; i < len(got); i++ {
			if got[i].IP == got[i-1].IP {
				t.Fatalf("neighbours share an IP: %v", got)
			}
		}
	}
}

func TestSortShufflesEquals(t *testing.T) {
	tb := New("wifi", 0)
	in := []Item{{"10.0.0.1", 1}, {"10.0.0.2", 1}, {"10.0.0.3", 1}, {"10.0.0.4", 1}}
	firsts := map[string]bool{}
	for range 200 {
		firsts[tb.Sort(in, 0, t0)[0].IP] = true
	}
	if len(firsts) != len(in) {
		t.Fatalf("only %d different first picks among equals", len(firsts))
	}
}

func TestSaveLoadKeepsHistoryPerLabelForADay(t *testing.T) {
	dir := t.TempDir()
	tb := New("wifi", 1)
	a, b := Item{"10.0.0.1", 80}, Item{"10.0.0.2", 80}
	fails(tb, a, 3, t0)
	tb.Update(b, true, t0.Add(-23*time.Hour-30*time.Minute))
	tb.Reset("mobile", t0)
	tb.Update(b, false, t0)
	data, err := tb.Encode(t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(FileName)), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), data, 0o600); err != nil {
		t.Fatal(err)
	}
	back := New("wifi", 1)
	if err := back.Load(dir, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if back.records[a] == nil || back.records[a].bits != 1 {
		t.Fatalf("wifi history of a not reloaded: %+v", back.records)
	}
	if back.records[b] != nil {
		t.Fatal("b's wifi record was older than 24 h and must be gone")
	}
	if back.Banned(a, t0.Add(time.Hour)) {
		t.Fatal("reloaded history must not ban")
	}
	back.Reset("mobile", t0.Add(time.Hour))
	if back.records[b] == nil {
		t.Fatal("mobile history lost")
	}
	if err := New("x", 1).Load(t.TempDir(), t0); err != nil {
		t.Fatalf("missing file: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	tb := New("wifi", 1)
	fails(tb, Item{"10.0.0.1", 80}, 3, t0)
	saved, err := tb.Encode(t0)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(saved)
	f.Add([]byte(`{"version":1,"labels":{"wifi":{"10.0.0.1:80":{"bits":7,"updated":"2026-01-01T12:00:00Z"}}}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb := New("wifi", 1)
		if err := tb.Decode(b); err != nil {
			return
		}
		tb.Reset("wifi", t0)
		tb.Sort([]Item{{"10.0.0.1", 80}, {"::1", 80}}, 0, t0)
		if _, err := tb.Encode(t0); err != nil {
			t.Fatal(err)
		}
	})
}
