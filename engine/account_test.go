package engine

import (
	"testing"
	"testing/synctest"
	"time"
)

// secondAttemptAfter asks for a kept link that nothing answers (refused)
// and returns the time from the first connect attempt to the second.
func secondAttemptAfter(r *rig) time.Duration {
	r.lis.Close()
	r.e.MakesureLonglinkConnected()
	<-r.net.Dialed()
	first := time.Now()
	<-r.net.Dialed()
	return time.Since(first)
}

// Mars's behaviour (GetAccountInfo): after 10 minutes in the foreground a
// kept link that failed to connect retries after 2·120 + 300 s when nobody
// is signed in, 120–140 s when someone is; an engine never told counts as
// signed in, except with ExactMarsTiming (Mars's default empty account).
func TestEmptyAccountStretchesTheForegroundReconnectInterval(t *testing.T) {
	for _, tc := range []struct {
		name    string
		exact   bool
		account *string
		atLeast time.Duration
		atMost  time.Duration
	}{
		{"nobody", false, new(""), 540 * time.Second, 540 * time.Second},
		{"alice", false, new("alice"), 120 * time.Second, 140 * time.Second},
		{"never told", false, nil, 120 * time.Second, 140 * time.Second},
		{"never told, exact Mars", true, nil, 540 * time.Second, 540 * time.Second},
	} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, Config{ExactMarsTiming: tc.exact})
			if tc.account != nil {
				r.e.SetAccount(*tc.account)
			}
			time.Sleep(DefaultInactiveAfter) // foreground for 10 minutes
			if d := secondAttemptAfter(r); d < tc.atLeast || d > tc.atMost {
				t.Fatalf("%s: second attempt %v after the first, want %v–%v", tc.name, d, tc.atLeast, tc.atMost)
			}
		})
	}
}

// Mars's rule for an inactive app with nobody signed in: its kept link
// reconnects on its own only 7 days after the previous attempt, where a
// signed-in one follows the back-off (60 s after a first failure).
func TestInactiveWithEmptyAccountReconnectsAfterSevenDays(t *testing.T) {
	for _, tc := range []struct {
		account string
		want    time.Duration
	}{{"", 7 * 24 * time.Hour}, {"alice", time.Minute}} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, Config{})
			r.e.SetAccount(tc.account)
			r.e.OnForeground(false)
			time.Sleep(DefaultInactiveAfter)
			if d := secondAttemptAfter(r); d != tc.want {
				t.Fatalf("account %q: second attempt %v after the first, want %v", tc.account, d, tc.want)
			}
		})
	}
}
