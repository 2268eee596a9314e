package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/wire/wiretest"
)

// linkOnBackup connects the link to the backup IP 10.0.0.9 of host srv,
// whose primary 10.0.0.1 is down, and returns the server's end after the
// connect noop; peerTimeout bounds its waits.
func linkOnBackup(r *rig, peerTimeout time.Duration) *wiretest.Peer {
	r.t.Helper()
	backup := r.net.Listen("10.0.0.9:1")
	r.t.Cleanup(func() { backup.Close() })
	r.rec.newDns = func(string) []string { return []string{"10.0.0.1"} }
	r.e.SetBackupIPs("srv", []string{"10.0.0.9"})
	r.e.MakesureLonglinkConnected()
	p := acceptOn(r, backup)
	p.Timeout = peerTimeout
	p.ReplyNoop(p.WantNoop())
	return p
}

// acceptOn waits for the engine's next connection to l.
func acceptOn(r *rig, l *fakenet.Listener) *wiretest.Peer {
	r.t.Helper()
	c, err := l.Accept()
	if err != nil {
		r.t.Fatal(err)
	}
	return wiretest.NewPeer(r.t, c, r.codec)
}

// Disaster recovery: on a backup IP the primary addresses are
// probed every 150 s; when one answers the noop, the link moves back.
func TestLinkOnBackupMovesBackWhenThePrimaryAnswersAProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		onBackup := linkOnBackup(r, time.Hour)
		connected := time.Now()

		primary := r.net.Listen("10.0.0.1:1") // the primary recovers
		defer primary.Close()
		probe := acceptOn(r, primary)
		if d := time.Since(connected); d != DefaultRecoveryPeriod {
			t.Fatalf("probe after %v, want %v", d, DefaultRecoveryPeriod)
		}
		probe.ReplyNoop(probe.WantNoop())
		probe.WantClosed()
		onBackup.WantClosed() // the link leaves the backup IP
		p := acceptOn(r, primary)
		p.ReplyNoop(p.WantNoop())
		synctest.Wait()
		if !r.e.LongLinkIsConnected() {
			t.Fatal("not connected to the primary")
		}
	})
}

func TestRecoveryProbesEvery150SecondsWhileOnBackup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: -1})
		r.net.Blackhole("10.0.0.1:1") // probes hang until their 10 s timeout
		linkOnBackup(r, 3*time.Hour)
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		if n := r.net.Dials("10.0.0.1:1") - 1; n != 48 {
			t.Fatalf("%d probes in two hours, want 48", n)
		}
		if !r.e.LongLinkIsConnected() {
			t.Fatal("failed probes disturbed the link")
		}
	})
}

func TestRecoveryProbeLimitAdmitsThirtyAnHour(t *testing.T) {
	o := longLink{cfg: Config{}.withDefaults()}
	now := time.Now()
	n := 0
	for range 40 {
		if o.admitProbe(now) {
			n++
		}
	}
	if n != DefaultRecoveryProbesPerHr {
		t.Fatalf("%d admitted, want %d", n, DefaultRecoveryProbesPerHr)
	}
	if !o.admitProbe(now.Add(time.Hour)) {
		t.Fatal("the window does not slide")
	}
}

func TestRecoveryMoveWaitsForRunningTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: -1})
		onBackup := linkOnBackup(r, time.Hour)
		time.Sleep(DefaultRecoveryPeriod - 5*time.Second)
		tk := r.task(7)
		tk.ServerProcessCost = 60 * time.Second
		r.start(tk)
		req := onBackup.WantPacket(7)
		primary := r.net.Listen("10.0.0.1:1")
		defer primary.Close()
		probe := acceptOn(r, primary)
		probe.ReplyNoop(probe.WantNoop())
		probe.WantClosed()
		onBackup.WantNothing(20 * time.Second) // the task still runs: the link stays
		onBackup.Reply(req, []byte("ok"))
		r.wantEnd(tk.TaskID, EctOK, 0)
		onBackup.WantClosed()
		acceptOn(r, primary) // the link moves back
	})
}

func TestCloseDoesNotWaitForARecoveryProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{HeartbeatInterval: -1})
		r.net.Blackhole("10.0.0.1:1") // the probe hangs until its 10 s timeout
		linkOnBackup(r, time.Hour)
		time.Sleep(DefaultRecoveryPeriod + time.Second)
		synctest.Wait()
		if r.net.Dials("10.0.0.1:1") != 2 {
			t.Fatalf("%d dials of the primary, want the connect and one probe", r.net.Dials("10.0.0.1:1"))
		}
		closing := time.Now()
		r.e.Close()
		if d := time.Since(closing); d != 0 {
			t.Fatalf("Close took %v: it waited for the probe", d)
		}
	})
}
