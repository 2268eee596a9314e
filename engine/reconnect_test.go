package engine

import (
	"syscall"
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
		r.serveIdle()
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
		r.serveIdle()
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

func TestMakesureWhileConnectingOrConnectedDoesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.net.Hold(srvAddr)
		r.e.MakesureLonglinkConnected()
		<-r.net.Dialed()
		r.e.MakesureLonglinkConnected()
		synctest.Wait()
		r.net.Resume(srvAddr)
		p := r.serveIdle()
		r.e.MakesureLonglinkConnected()
		synctest.Wait()
		if n := r.net.Dials(srvAddr); n != 1 {
			t.Fatalf("%d dials, want 1", n)
		}
		p.WantNothing(time.Second)
	})
}

func TestHeldDialThatFailsReportsConnectFailed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.net.Hold(srvAddr)
		r.e.MakesureLonglinkConnected()
		<-r.net.Dialed()
		r.net.Fail(srvAddr, syscall.ENETUNREACH)
		synctest.Wait()
		log := r.rec.logged()
		if !contains(log, "neterr 4 101 srv:1") || !contains(log, "status 4") {
			t.Fatalf("callbacks %q", log)
		}
		if r.e.LongLinkIsConnected() {
			t.Fatal("connected after a failed dial")
		}
		r.serveIdle() // the kept link tries again
	})
}

func TestForegroundConnectsAndNothingElseDoes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.e.OnForeground(false)
		time.Sleep(time.Hour)
		if n := r.net.Dials(srvAddr); n != 0 {
			t.Fatalf("%d connects with no task, no foreground and no explicit call", n)
		}
		r.e.OnForeground(true)
		r.serveIdle()
	})
}
