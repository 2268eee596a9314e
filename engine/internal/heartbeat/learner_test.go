package heartbeat

import (
	"testing"
	"time"
)

// marsParams are Mars's numbers, as the engine passes them.
var marsParams = Params{
	Min:          210 * time.Second,
	Max:          580 * time.Second,
	Step:         60 * time.Second,
	Backoff:      80 * time.Second,
	Refine:       20 * time.Second,
	SuccessCount: 5,
	FailCount:    2,
	WarmUp:       3,
	ReprobeAge:   7 * 24 * time.Hour,
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// natRun drives a learner against a NAT that drops connections idle longer
// than natTimeout: a heartbeat after a longer idleness is lost, and the
// connection with it. It returns the drops and the final record.
func natRun(l *Learner, natTimeout time.Duration, heartbeats int) (drops int, now time.Time) {
	now = t0
	l.Connected()
	for range heartbeats {
		used := l.Interval()
		now = now.Add(used)
		ok := used < natTimeout
		l.Result(used, ok, now)
		if !ok {
			drops++
			l.Connected()
		}
	}
	return drops, now
}

func TestLearnerConvergesJustUnderTheNATTimeoutWithTwoDrops(t *testing.T) {
	for _, tc := range []struct {
		nat, want time.Duration
	}{
		{300 * time.Second, 270 * time.Second},
		{400 * time.Second, 390 * time.Second},
		{240 * time.Second, 210 * time.Second},
		{time.Hour, 580 * time.Second},
	} {
		l := New(marsParams, Record{Label: "wifi"}, t0)
		drops, _ := natRun(l, tc.nat, 200)
		r := l.Record()
		if r.Interval != tc.want || r.Phase != Stable {
			t.Errorf("NAT %v: learned %v phase %d, want %v stable", tc.nat, r.Interval, r.Phase, tc.want)
		}
		wantDrops := 2
		if tc.nat == time.Hour {
			wantDrops = 0
		}
		if drops != wantDrops {
			t.Errorf("NAT %v: %d drops, want %d", tc.nat, drops, wantDrops)
		}
		// Converged: a further thousand heartbeats drop nothing.
		if more, _ := natRun(l, tc.nat, 1000); more != 0 {
			t.Errorf("NAT %v: %d drops after converging", tc.nat, more)
		}
	}
}

func TestLearnerWarmsUpAtMinOnEveryConnection(t *testing.T) {
	l := New(marsParams, Record{Label: "x", Interval: 330 * time.Second, Phase: Stable}, t0)
	l.Connected()
	for i := range 3 {
		if got := l.Interval(); got != 210*time.Second {
			t.Fatalf("heartbeat %d: %v, want 210s warm-up", i, got)
		}
		if l.Result(210*time.Second, true, t0) {
			t.Fatal("a warm-up result changed the record")
		}
	}
	if got := l.Interval(); got != 330*time.Second {
		t.Fatalf("after warm-up %v, want the record's 330s", got)
	}
}

func TestLearnerStepsUpAfterFiveSuccesses(t *testing.T) {
	p := marsParams
	p.WarmUp = 0
	l := New(p, Record{}, t0)
	for i := range 4 {
		if l.Result(210*time.Second, true, t0) {
			t.Fatalf("success %d changed the record", i+1)
		}
	}
	if !l.Result(210*time.Second, true, t0) || l.Interval() != 270*time.Second {
		t.Fatalf("after 5 successes interval %v, want 270s", l.Interval())
	}
	if l.Record().Proven != 210*time.Second {
		t.Fatalf("proven %v, want 210s", l.Record().Proven)
	}
}

func TestLearnerCapsAtMax(t *testing.T) {
	p := marsParams
	p.WarmUp = 0
	l := New(p, Record{Interval: 570 * time.Second}, t0)
	for range 5 {
		l.Result(570*time.Second, true, t0)
	}
	if l.Interval() != 580*time.Second {
		t.Fatalf("interval %v, want capped 580s", l.Interval())
	}
	for range 5 {
		l.Result(580*time.Second, true, t0)
	}
	if r := l.Record(); r.Phase != Stable || r.Interval != 580*time.Second {
		t.Fatalf("record %+v, want stable at 580s", r)
	}
}

func TestLearnerBacksOffEightySecondsWithoutAProvenValue(t *testing.T) {
	p := marsParams
	p.WarmUp = 0
	l := New(p, Record{Interval: 450 * time.Second}, t0)
	if l.Result(450*time.Second, false, t0) {
		t.Fatal("one failure changed the record")
	}
	if !l.Result(450*time.Second, false, t0) {
		t.Fatal("two failures did not change the record")
	}
	if r := l.Record(); r.Interval != 370*time.Second || r.Phase != Stable {
		t.Fatalf("record %+v, want stable at 370s", r)
	}
}

func TestLearnerStableFailuresRestartFromMin(t *testing.T) {
	p := marsParams
	p.WarmUp = 0
	l := New(p, Record{Interval: 330 * time.Second, Proven: 330 * time.Second, Phase: Stable}, t0)
	l.Result(330*time.Second, false, t0)
	l.Result(330*time.Second, false, t0)
	if r := l.Record(); r.Interval != 210*time.Second || r.Phase != Probing || r.Proven != 0 {
		t.Fatalf("record %+v, want probing from 210s", r)
	}
}

func TestLearnerFailuresAtMinChangeNothing(t *testing.T) {
	l := New(marsParams, Record{}, t0)
	for range 10 {
		if l.Result(210*time.Second, false, t0) {
			t.Fatal("failure at the minimum changed the record")
		}
	}
	if l.Interval() != 210*time.Second {
		t.Fatalf("interval %v", l.Interval())
	}
}

func TestLearnerReprobesAWeekOldStableRecord(t *testing.T) {
	p := marsParams
	p.WarmUp = 0
	l := New(p, Record{Interval: 270 * time.Second, Proven: 270 * time.Second, Phase: Stable, Modified: t0}, t0)
	if l.Result(270*time.Second, true, t0.Add(6*24*time.Hour)) {
		t.Fatal("re-probed a six-day-old record")
	}
	week := t0.Add(7 * 24 * time.Hour)
	if !l.Result(270*time.Second, true, week) || l.Interval() != 290*time.Second || l.Record().Phase != Refining {
		t.Fatalf("record %+v, want refining at 290s", l.Record())
	}
	// The refine probe fails twice: back to the proven 270 s, stable.
	l.Result(290*time.Second, false, week)
	l.Result(290*time.Second, false, week)
	if r := l.Record(); r.Interval != 270*time.Second || r.Phase != Stable {
		t.Fatalf("record %+v, want stable at 270s", r)
	}
	// A successful refine settles at once.
	l = New(p, Record{Interval: 270 * time.Second, Phase: Stable, Modified: t0}, t0)
	l.Result(270*time.Second, true, week)
	for range 5 {
		l.Result(290*time.Second, true, week)
	}
	if r := l.Record(); r.Interval != 290*time.Second || r.Phase != Stable || r.Proven != 290*time.Second {
		t.Fatalf("record %+v, want stable and proven at 290s", r)
	}
}

func TestNewResetsOutOfRangeRecord(t *testing.T) {
	for _, iv := range []time.Duration{0, time.Second, time.Hour} {
		l := New(marsParams, Record{Label: "a", Interval: iv, Phase: Stable}, t0)
		if r := l.Record(); r.Interval != 210*time.Second || r.Phase != Probing || r.Label != "a" {
			t.Errorf("interval %v: record %+v, want probing at 210s", iv, r)
		}
	}
}
