package engine

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestKeptLinkUpLongReconnectsHalfASecondAfterServerClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		p.Timeout = time.Hour
		time.Sleep(20 * time.Second)
		p.Close()
		closed := time.Now()
		r.serve()
		if d := time.Since(closed); d != 500*time.Millisecond {
			t.Fatalf("reconnected %v after the close, want 500ms", d)
		}
	})
}

func TestKeptLinkUpBrieflyReconnectsFifteenSecondsAfterPreviousStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		started := time.Now()
		p := r.connect()
		time.Sleep(5 * time.Second)
		p.Close()
		r.serve()
		if d := time.Since(started); d != 15*time.Second {
			t.Fatalf("reconnected %v after the previous connect started, want 15s", d)
		}
	})
}

func TestFailedConnectWithPendingTaskRetriesAfterFiveSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.lis.Close() // refused
		start := time.Now()
		r.start(r.task(7))
		<-r.net.Dialed()
		synctest.Wait()
		if !contains(r.rec.logged(), "status 4") || !contains(r.rec.logged(), "report -1 2") {
			t.Fatalf("connect failure not reported: %q", r.rec.logged())
		}
		<-r.net.Dialed()
		if d := time.Since(start); d != 5*time.Second {
			t.Fatalf("second attempt after %v, want 5s", d)
		}
	})
}

func TestUnkeptLinkStaysDownWithoutTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		tk := r.start(r.task(7))
		p := r.serve()
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		p.Close()
		time.Sleep(time.Hour)
		if n := r.net.Dials(srvAddr); n != 1 {
			t.Fatalf("%d connects; a link nobody keeps or needs must stay down", n)
		}
	})
}

func contains(log []string, s string) bool { return count(log, s) > 0 }
