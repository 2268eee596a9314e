package engine

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// Short-link timeouts, on the fake transport of short_test.go.

func TestShortFirstPacketTimeoutExcludesConnectTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.RetryCount = 0
		r.start(tk)
		c := f.next(t)
		time.Sleep(3 * time.Second) // connecting
		c.sent()
		sentAt := time.Now()
		got := r.wantEnd(tk.TaskID, EctHttp, EctHttpFirstPkgTimeout)
		if d := got.at.Sub(sentAt); d != got.prof.FirstPkgTimeout || d < 12*time.Second || d > 13*time.Second {
			t.Fatalf("first-packet timeout after %v from send (limit %v), want 12-13 s", d, got.prof.FirstPkgTimeout)
		}
		wantCancelled(t, c)
	})
}

func TestShortPkgPkgTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.RetryCount = 0
		r.start(tk)
		c := f.next(t)
		c.sent()
		time.Sleep(time.Second)
		c.req.Progress.Received(10, time.Now())
		last := time.Now()
		got := r.wantEnd(tk.TaskID, EctHttp, EctHttpPkgPkgTimeout)
		if d := got.at.Sub(last); d != DefaultPackageInterval {
			t.Fatalf("pkg-pkg timeout %v after the last bytes, want %v", d, DefaultPackageInterval)
		}
	})
}

func TestShortReadWriteTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.RetryCount = 0
		r.start(tk)
		c := f.next(t)
		c.sent()
		sentAt := time.Now()
		for range 4 { // a trickle that never completes, 5 s apart
			time.Sleep(5 * time.Second)
			c.req.Progress.Received(1, time.Now())
		}
		got := r.wantEnd(tk.TaskID, EctHttp, EctHttpReadWriteTimeout)
		if d := got.at.Sub(sentAt); d != got.prof.FirstPkgTimeout+5333*time.Millisecond {
			t.Fatalf("read/write timeout %v after send, want first-packet limit + 5333 ms", d)
		}
	})
}

func TestShortLongPollingTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.RetryCount, tk.LongPolling, tk.LongPollingTimeout = 0, true, 30*time.Second
		r.start(tk)
		c := f.next(t)
		c.sent()
		sentAt := time.Now()
		got := r.wantEnd(tk.TaskID, EctHttp, EctHttpLongPollingTimeout)
		if d := got.at.Sub(sentAt); d != 30*time.Second || got.prof.TaskTimeout != 35*time.Second {
			t.Fatalf("long-poll timeout after %v (task timeout %v), want 30 s (35 s)", d, got.prof.TaskTimeout)
		}
	})
}

func TestShortTaskTimeoutWithoutProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.TotalTimeout = 5 * time.Second
		start := time.Now()
		r.start(tk)
		c := f.next(t) // never reports a send: only the task timeout ends it
		got := r.wantEnd(tk.TaskID, EctLocal, EctLocalTaskTimeout)
		if d := got.at.Sub(start); d != 5*time.Second {
			t.Fatalf("task timeout after %v, want 5 s", d)
		}
		wantCancelled(t, c)
	})
}

func TestShortFirstPacketLimitCountsRunningShortTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		var limits []time.Duration
		for range 3 {
			tk := r.shortTask()
			tk.RetryCount = 0
			r.start(tk)
		}
		for range 3 {
			f.next(t).sent()
		}
		for range 3 {
			got := <-r.rec.ends
			limits = append(limits, got.prof.FirstPkgTimeout)
		}
		slices.Sort(limits)
		if limits[1]-limits[0] != DefaultTaskDelay || limits[2]-limits[1] != DefaultTaskDelay {
			t.Fatalf("first-packet limits %v, want steps of %v per running task", limits, DefaultTaskDelay)
		}
	})
}

// A response in the host's hands has no deadline: while Buf2Resp takes
// longer than the task's whole timeout, the owner neither ends the task
// nor spins on the passed deadline, and the verdict applies when it comes.
func TestShortTaskDecodingPastItsTimeoutWaitsQuietlyForTheVerdict(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		gate := make(chan struct{})
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) { <-gate; return RespHandleNormal, 0 }
		tk := r.shortTask()
		tk.TotalTimeout = time.Second
		r.start(tk)
		c := f.next(t)
		c.sent()
		c.reply([]byte("resp"), nil)
		synctest.Wait() // Buf2Resp is blocked
		before := r.e.wakeups.Load()
		time.Sleep(10 * time.Second) // far past the task's whole timeout
		if n := r.e.wakeups.Load() - before; n > 2 {
			t.Fatalf("owner woke %d times while the host decoded, want at most 2", n)
		}
		close(gate)
		r.wantEnd(tk.TaskID, EctOK, 0)
	})
}
