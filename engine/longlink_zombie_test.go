package engine

import (
	"testing"
	"testing/synctest"
	"time"
)

// zombieTask is the task of Mars's zombie example: total timeout 60 s, no retry.
func zombieTask(r *rig) Task {
	tk := r.task(7)
	tk.ChannelSelect = ChannelLong
	tk.RetryCount = 0
	tk.TotalTimeout = 60 * time.Second
	return tk
}

func TestZombieIsResentWhenTheLinkReconnectsAndEndsOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.start(zombieTask(r))
		req := p.WantPacket(7)
		p.Close() // the server closes the connection on receiving the request
		synctest.Wait()
		r.wantNoEnd()
		if !r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask false for a parked task")
		}
		p2 := r.accept() // the kept link reconnects; the zombie goes first
		again := p2.WantPacket(7)
		if again.Seq != req.Seq {
			t.Fatalf("re-sent with seq %d, want %d", again.Seq, req.Seq)
		}
		p2.Reply(again, []byte("ok"))
		r.wantEnd(tk.TaskID, EctOK, 0)
		synctest.Wait()
		r.wantNoEnd()
	})
}

func TestZombieEndsWithTaskTimeoutWhenTheNetworkNeverReturns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		start := time.Now()
		tk := r.start(zombieTask(r))
		p.WantPacket(7)
		r.net.Blackhole(srvAddr)
		p.Close()
		got := r.wantEnd(tk.TaskID, EctLocal, EctLocalTaskTimeout)
		if d := got.at.Sub(start); d != 60*time.Second {
			t.Fatalf("ended %v after start, want at the 60 s total timeout", d)
		}
		synctest.Wait()
		r.wantNoEnd()
	})
}

func TestTasksWithoutTotalTimeoutOrSensitiveAreNotParked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		plain := r.task(7)
		plain.ChannelSelect, plain.RetryCount = ChannelLong, 0
		sensitive := zombieTask(r)
		sensitive.NetworkStatusSensitive = true
		r.start(plain)
		r.start(sensitive)
		p.WantPacket(7)
		p.WantPacket(7)
		p.Close()
		r.wantEnd(plain.TaskID, EctSocket, EctSocketShutdown)
		r.wantEnd(sensitive.TaskID, EctSocket, EctSocketShutdown)
	})
}

func TestStopTaskRemovesAParkedTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.start(zombieTask(r))
		p.WantPacket(7)
		r.net.Blackhole(srvAddr)
		p.Close()
		synctest.Wait()
		r.e.StopTask(tk.TaskID)
		if r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask true after StopTask")
		}
		time.Sleep(2 * time.Minute)
		r.wantNoEnd()
	})
}

func TestZombieRestartsByItselfAfterSixtyIdleSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		start := time.Now()
		tk := zombieTask(r)
		tk.TotalTimeout = 5 * time.Minute
		r.start(tk)
		p.WantPacket(7)
		r.net.Blackhole(srvAddr)
		p.Close() // parked now; the link never comes back
		// At 60 s the idle rule runs it again with one attempt's task
		// timeout (20 s); still no link, so it ends at 80 s, not at 5 min.
		got := r.wantEnd(tk.TaskID, EctLocal, EctLocalTaskTimeout)
		if d := got.at.Sub(start); d != 80*time.Second {
			t.Fatalf("ended %v after start, want 80s (restart at 60s + 20s)", d)
		}
	})
}

func TestHostVerdictIsNotParked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.start(zombieTask(r))
		req := p.WantPacket(7)
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) { return RespHandleTaskEnd, 5 }
		p.Reply(req, nil)
		r.wantEnd(tk.TaskID, EctEnDecode, 5)
	})
}
