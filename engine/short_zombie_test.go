package engine

import (
	"testing"
	"testing/synctest"
	"time"
)

// shortZombieTask is zombieTask on the short link: no retry, a total
// timeout of total.
func shortZombieTask(r *rig, total time.Duration) Task {
	tk := r.shortTask()
	tk.RetryCount, tk.TotalTimeout = 0, total
	return tk
}

// shortReset is a network failure of one short attempt.
var shortReset = TaskError{EctSocket, EctSocketReadOnce}

// parkShortZombie starts a short zombie task and fails its attempt, which
// parks it: no OnTaskEnd, no new attempt, HasTask still true.
func parkShortZombie(t *testing.T, r *rig, f *fakeShort, total time.Duration) Task {
	t.Helper()
	tk := r.start(shortZombieTask(r, total))
	f.next(t).reply(nil, shortReset)
	synctest.Wait()
	r.wantNoEnd()
	f.wantNone(t)
	if !r.e.HasTask(tk.TaskID) {
		t.Fatal("HasTask false for a parked short task")
	}
	return tk
}

func TestShortZombieRunsAgainWhenAnotherTaskSucceeds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		zombie := parkShortZombie(t, r, f, time.Minute)
		other := r.start(r.shortTask())
		f.next(t).reply(nil, nil)
		r.wantEnd(other.TaskID, EctOK, 0)
		again := f.next(t)
		if again.req.TaskID != zombie.TaskID {
			t.Fatalf("attempt of task %d, want the parked %d", again.req.TaskID, zombie.TaskID)
		}
		again.reply(nil, nil)
		r.wantEnd(zombie.TaskID, EctOK, 0)
		synctest.Wait()
		r.wantNoEnd()
		f.wantNone(t)
	})
}

func TestShortZombieRestartsAfterSixtyIdleSecondsAndIsNotParkedTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		start := time.Now()
		zombie := parkShortZombie(t, r, f, 5*time.Minute)
		again := f.next(t)
		if d := again.at.Sub(start); d != DefaultZombieIdleRestart {
			t.Fatalf("restarted %v after the park, want %v", d, DefaultZombieIdleRestart)
		}
		again.reply(nil, shortReset)
		r.wantEnd(zombie.TaskID, EctSocket, EctSocketReadOnce)
		synctest.Wait()
		f.wantNone(t)
	})
}

func TestShortZombieEndsAtItsTotalTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		start := time.Now()
		zombie := parkShortZombie(t, r, f, 30*time.Second)
		got := r.wantEnd(zombie.TaskID, EctLocal, EctLocalTaskTimeout)
		if d := got.at.Sub(start); d != 30*time.Second {
			t.Fatalf("ended %v after start, want the 30 s total timeout", d)
		}
		f.wantNone(t)
	})
}

func TestStopTaskAndResetReachParkedShortTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		stopped := parkShortZombie(t, r, f, 5*time.Minute)
		r.e.StopTask(stopped.TaskID)
		if r.e.HasTask(stopped.TaskID) {
			t.Fatal("HasTask true after StopTask")
		}
		reset := parkShortZombie(t, r, f, 5*time.Minute)
		r.e.Reset()
		r.wantEnd(reset.TaskID, EctLocal, EctLocalReset)
		time.Sleep(2 * DefaultZombieIdleRestart)
		synctest.Wait()
		r.wantNoEnd()
		f.wantNone(t)
	})
}

func TestShortHostVerdictIsNotParked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) { return RespHandleTaskEnd, 5 }
		tk := r.start(shortZombieTask(r, time.Minute))
		f.next(t).reply(nil, nil)
		r.wantEnd(tk.TaskID, EctEnDecode, 5)
	})
}
