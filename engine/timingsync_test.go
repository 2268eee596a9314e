package engine

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// syncGaps returns the gaps between the RequestSync calls made in d.
func syncGaps(rec *policyRecorder, t0 time.Time, d time.Duration) []time.Duration {
	time.Sleep(d)
	synctest.Wait()
	var out []time.Duration
	last := t0
	for len(rec.syncs) > 0 {
		at := <-rec.syncs
		out = append(out, at.Sub(last))
		last = at
	}
	return out
}

func allEqual(ds []time.Duration, want time.Duration, n int) bool {
	if len(ds) != n {
		return false
	}
	for _, d := range ds {
		if d != want {
			return false
		}
	}
	return true
}

func TestTimingSyncEveryNinetySecondsWhileDownAndLoggedIn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// No periodic heartbeat: the test's peer does not answer one.
		r, rec := newPolicyRig(t, Config{TimingSync: true, HeartbeatInterval: -1}, true)
		t0 := time.Now()
		if gaps := syncGaps(rec, t0, 10*time.Minute); !allEqual(gaps, 90*time.Second, 6) {
			t.Fatalf("RequestSync gaps %v, want six of 90s", gaps)
		}
		// Connected: no calls.
		p := r.connect()
		p.Timeout = time.Hour
		if gaps := syncGaps(rec, time.Now(), 10*time.Minute); len(gaps) != 0 {
			t.Fatalf("RequestSync while connected: %v", gaps)
		}
		// Disconnected: the alarm starts again.
		r.net.Blackhole(srvAddr)
		p.Close()
		synctest.Wait()
		down := time.Now()
		if gaps := syncGaps(rec, down, 3*time.Minute+time.Second); !allEqual(gaps, 90*time.Second, 2) {
			t.Fatalf("after the drop: gaps %v, want two of 90s", gaps)
		}
	})
}

func TestTimingSyncPeriodsByAccountActivityAndNetwork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, rec := newPolicyRig(t, Config{TimingSync: true}, false)
		if gaps := syncGaps(rec, time.Now(), 20*time.Minute); !allEqual(gaps, 4*time.Minute, 5) {
			t.Fatalf("not logged in: gaps %v, want five of 4 min", gaps)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		_, rec := newPolicyRig(t, Config{TimingSync: true, Network: NetworkNone}, true)
		time.Sleep(time.Hour)
		if len(rec.syncs) != 0 {
			t.Fatal("RequestSync without a network")
		}
	})
	synctest.Test(t, func(t *testing.T) {
		r, rec := newPolicyRig(t, Config{TimingSync: true}, true)
		t0 := time.Now()
		r.e.OnForeground(false) // inactive after 10 min
		gaps := syncGaps(rec, t0, 32*time.Minute)
		// 90 s while active (six up to 9 min); going inactive at 10 min
		// restarts the alarm with 10 min: 20 and 30 min.
		want := []time.Duration{90 * time.Second, 90 * time.Second, 90 * time.Second, 90 * time.Second,
			90 * time.Second, 90 * time.Second, 11 * time.Minute, 10 * time.Minute}
		if !slices.Equal(gaps, want) {
			t.Fatalf("gaps %v, want %v", gaps, want)
		}
	})
}

func TestTimingSyncIsOffByDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, rec := newPolicyRig(t, Config{}, true)
		time.Sleep(time.Hour)
		if len(rec.syncs) != 0 {
			t.Fatal("RequestSync with TimingSync off")
		}
	})
}
