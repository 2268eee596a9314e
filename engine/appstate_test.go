package engine

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/engine/internal/reconnect"
)

// The reconnect table by app state, fakenet under
// synctest. Refused connects fail at once, so dial times are the schedule.

// gaps returns the times between n successive dials.
func gaps(r *rig, n int) []time.Duration {
	var out []time.Duration
	<-r.net.Dialed()
	last := time.Now()
	for range n {
		<-r.net.Dialed()
		out = append(out, time.Since(last))
		last = time.Now()
	}
	return out
}

func secs(s ...float64) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, x := range s {
		out[i] = time.Duration(x * float64(time.Second))
	}
	return out
}

func TestForegroundAutoRetriesFifteenThenThirtySecondsApart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.lis.Close()
		r.e.OnForeground(true)
		// Foreground < 1 min: 15 s from the previous start. The alarm for
		// 60 s finds the app a minute in the foreground, so the 30 s column
		// applies from the attempt after 45 s on (Mars re-evaluates at the
		// alarm too).
		if got, want := gaps(r, 6), secs(15, 15, 15, 30, 30, 30); !slices.Equal(got, want) {
			t.Fatalf("gaps %v, want %v", got, want)
		}
	})
}

func TestBackgroundAutoRetryWaitsThreeHundredSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.lis.Close()
		r.e.OnForeground(true)
		r.e.OnForeground(false)
		if got, want := gaps(r, 2), secs(300, 300); !slices.Equal(got, want) {
			t.Fatalf("gaps %v, want %v", got, want)
		}
	})
}

func TestBackgroundPendingTaskRetriesEveryThirtySeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.lis.Close()
		r.e.OnForeground(false)
		tk := NewTask(r.e.GenTaskID(), 7)
		tk.RetryCount = 9 // a 200 s task timeout
		r.start(tk)
		if got, want := gaps(r, 2), secs(30, 30); !slices.Equal(got, want) {
			t.Fatalf("gaps %v, want %v", got, want)
		}
	})
}

func TestInactiveAppBacksOffUpToTenMinutes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: -1}) // the link stays up while we wait
		r.e.OnForeground(true)
		p := r.serveIdle()
		<-r.net.Dialed()
		r.e.OnForeground(false)
		time.Sleep(DefaultInactiveAfter + time.Minute) // inactive now
		r.lis.Close()
		p.Close()
		// The drop: 500 ms later the monitor finds the last start 11 min
		// ago and connects; then each failure climbs the back-off table.
		if got, want := gaps(r, 7), secs(60, 120, 240, 360, 480, 600, 600); !slices.Equal(got, want) {
			t.Fatalf("gaps %v, want %v", got, want)
		}
	})
}

func TestBackToForegroundConnectsAtOnceWhenTheIntervalHasPassed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.lis.Close()
		r.e.OnForeground(true)
		<-r.net.Dialed()
		r.e.OnForeground(false)
		time.Sleep(100 * time.Second) // the background retry would come at 300 s
		before := r.net.Dials(srvAddr)
		r.e.OnForeground(true)
		synctest.Wait()
		if n := r.net.Dials(srvAddr); n != before+1 {
			t.Fatalf("%d dials on returning to the foreground, want one more than %d", n, before)
		}
	})
}

// A link that connected and then dropped is not a failing connect: ours
// reconnects as soon as the task needs the link again (after its 1 s retry
// pause here); Mars's task floor waits 5 s from the previous start.
func TestDroppedLinkWithTaskReconnectsAtOnceUnlessExactMars(t *testing.T) {
	for _, tc := range []struct {
		exact bool
		want  time.Duration // from the close
	}{{false, DefaultRetryInterval}, {true, 3 * time.Second}} {
		synctest.Test(t, func(t *testing.T) {
			r := newRig(t, Config{ExactMarsTiming: tc.exact})
			tk := r.start(r.task(7))
			start := time.Now()
			p := r.serve()
			p.WantPacket(7)
			<-r.net.Dialed()
			time.Sleep(2*time.Second - time.Since(start))
			p.Close()
			closed := time.Now()
			<-r.net.Dialed()
			if d := time.Since(closed); d != tc.want {
				t.Fatalf("exact %v: reconnect %v after the drop, want %v", tc.exact, d, tc.want)
			}
			q := r.serve()
			q.Reply(q.WantPacket(7), nil)
			r.wantEnd(tk.TaskID, EctOK, 0)
		})
	}
}

// Any OnForeground call marks the app active again; OnForeground(false)
// restarts the 10-minute alarm.
func TestOnForegroundFalseWhileInactiveMakesTheAppActive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		appState := func() (s reconnect.State) {
			r.onOwner(func(o *owner) { s = o.appState(time.Now()) })
			return s
		}
		r.e.OnForeground(false)
		time.Sleep(DefaultInactiveAfter + time.Second)
		synctest.Wait()
		if s := appState(); s != reconnect.Inactive {
			t.Fatalf("state %v after 10 min in the background", s)
		}
		r.e.OnForeground(false)
		synctest.Wait()
		if s := appState(); s != reconnect.BackgroundActive {
			t.Fatalf("state %v after OnForeground(false)", s)
		}
		time.Sleep(DefaultInactiveAfter + time.Second)
		synctest.Wait()
		if s := appState(); s != reconnect.Inactive {
			t.Fatalf("state %v: the alarm did not restart", s)
		}
	})
}
