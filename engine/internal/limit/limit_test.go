package limit

import (
	"testing"
	"time"
)

// Mars's numbers, as the engine passes them.
var (
	marsFrequency = FrequencyParams{
		Records: 30, Intercept: 105, ClearInterval: 60 * time.Minute,
		KeepRecent: 10 * time.Minute, KeepCount: 75, KeepCap: 99,
	}
	marsFlow = FlowParams{Capacity: 80 << 20, ActiveRate: 80 << 20, InactiveRate: 20 << 20, InactiveLevel: 60 << 20}
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestFrequencyRejectsThe106thIdenticalRequest(t *testing.T) {
	f := NewFrequency(marsFrequency, t0)
	now := t0
	for i := 1; i <= 105; i++ {
		now = now.Add(time.Second)
		if ok, _ := f.Check([]byte("same"), now); !ok {
			t.Fatalf("request %d rejected", i)
		}
	}
	now = now.Add(1500 * time.Millisecond)
	ok, since := f.Check([]byte("same"), now)
	if ok || since != 1500*time.Millisecond {
		t.Fatalf("106th: ok=%v since=%v, want rejected 1.5s after the previous", ok, since)
	}
	if ok, _ := f.Check([]byte("other"), now); !ok {
		t.Fatal("a different request was rejected")
	}
}

func TestFrequencyEvictsTheLeastRecentlyUpdated(t *testing.T) {
	p := marsFrequency
	p.Records, p.Intercept = 2, 2
	f := NewFrequency(p, t0)
	f.Check([]byte("a"), t0)
	f.Check([]byte("a"), t0.Add(time.Second)) // a: count 2
	f.Check([]byte("b"), t0.Add(2*time.Second))
	f.Check([]byte("c"), t0.Add(3*time.Second)) // evicts a
	if ok, since := f.Check([]byte("a"), t0.Add(4*time.Second)); !ok || since != 0 {
		t.Fatalf("a after eviction: ok=%v since=%v, want a fresh record", ok, since)
	}
}

func TestFrequencyHourlyPurgeKeepsHotRecordsNearTheLimit(t *testing.T) {
	f := NewFrequency(marsFrequency, t0)
	now := t0
	for range 100 {
		now = now.Add(30 * time.Second) // ends at 50 min
		f.Check([]byte("hot"), now)
	}
	f.Check([]byte("cold"), t0.Add(time.Minute))
	// At 60 min: hot (count 100, updated 10 min ago) is kept at 99; cold goes.
	purge := t0.Add(60 * time.Minute)
	for i := 100; i <= 105; i++ {
		ok, _ := f.Check([]byte("hot"), purge)
		if want := i <= 105; ok != want {
			t.Fatalf("hot check with count %d: ok=%v", i, ok)
		}
	}
	if ok, _ := f.Check([]byte("hot"), purge); ok {
		t.Fatal("hot passed beyond 105 after the purge")
	}
	if _, since := f.Check([]byte("cold"), purge); since != 0 {
		t.Fatal("cold survived the purge")
	}
}

func TestFlowRejectsThe81stMebibyte(t *testing.T) {
	f := NewFlow(marsFlow, t0)
	for i := 1; i <= 80; i++ {
		if !f.Check(1<<20, t0) {
			t.Fatalf("MiB %d rejected", i)
		}
	}
	if f.Check(1<<20, t0) {
		t.Fatal("81st MiB accepted")
	}
}

func TestFlowDrainsExactlyWithoutLosingFractions(t *testing.T) {
	f := NewFlow(marsFlow, t0)
	f.Check(80<<20, t0)
	// 10 000 checks 1.5 s apart: Mars would drain 1 s each time (losing
	// a third); exact draining takes 80 MiB × 15 000 s / 3600 s.
	now := t0
	for range 10000 {
		now = now.Add(1500 * time.Millisecond)
		f.Level(now)
	}
	want := int64(80<<20) - int64(80<<20)*15000/3600
	if got := f.Level(now); got != max(want, 0) {
		t.Fatalf("level %d, want %d", got, max(want, 0))
	}
	f2 := NewFlow(marsFlow, t0)
	f2.Check(80<<20, t0)
	if got, want := f2.Level(t0.Add(30*time.Minute)), int64(40<<20); got != want {
		t.Fatalf("half an hour active: level %d, want %d", got, want)
	}
}

func TestFlowInactiveDrainsSlowerAndCapsAtSixty(t *testing.T) {
	f := NewFlow(marsFlow, t0)
	f.Check(80<<20, t0)
	f.SetActive(false, t0)
	if got := f.Level(t0); got != 60<<20 {
		t.Fatalf("level on going inactive %d, want 60 MiB", got)
	}
	if got := f.Level(t0.Add(time.Hour)); got != 40<<20 {
		t.Fatalf("an inactive hour later %d, want 40 MiB", got)
	}
	if got := f.Level(t0.Add(100000 * time.Hour)); got != 0 {
		t.Fatalf("level %d after a long time, want 0", got)
	}
}

func BenchmarkFrequencyCheck(b *testing.B) {
	f := NewFrequency(marsFrequency, t0)
	buf := make([]byte, 1024)
	now := t0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf[0] = byte(i % 30)
		now = now.Add(time.Millisecond)
		f.Check(buf, now)
	}
}
