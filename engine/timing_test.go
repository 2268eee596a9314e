package engine

import (
	"bytes"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire/wiretest"
)

// body100 makes every request body 100 bytes, the reference's example size.
func body100(TaskRef) ([]byte, int, bool) { return bytes.Repeat([]byte{'x'}, 100), 0, true }

// serve accepts the next connection, one a waiting task opens: the task
// is its first packet, with no connect noop before it.
func (r *rig) serve() *wiretest.Peer {
	r.t.Helper()
	p := r.accept()
	p.Timeout = time.Hour
	return p
}

// serveIdle accepts the next connection of a link no task waits for and
// answers its connect noop.
func (r *rig) serveIdle() *wiretest.Peer {
	r.t.Helper()
	p := r.serve()
	p.ReplyNoop(p.WantNoop())
	return p
}

const fp100 = 12008 * time.Millisecond // first-packet limit of a 100-byte body, WiFi

func TestDefaultTaskOnSilentServerRetriesOnceThenFailsFirstPacket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = body100
		start := time.Now()
		tk := r.start(r.task(7))
		p := r.serve()
		p.WantPacket(7)
		sent1 := time.Now()
		p.WantClosed()
		failed := time.Now()
		if d := failed.Sub(sent1); d != fp100 {
			t.Fatalf("attempt 1 failed %v after send, want %v", d, fp100)
		}
		p2 := r.serve()
		p2.WantPacket(7)
		sent2 := time.Now()
		if d := sent2.Sub(failed); d < time.Second {
			t.Fatalf("attempt 2 sent %v after the failure, want ≥ 1s", d)
		}
		got := r.wantEnd(tk.TaskID, EctNetMsgXP, EctLongFirstPkgTimeout)
		if d := got.at.Sub(sent2); d != fp100 {
			t.Fatalf("attempt 2 failed %v after send, want %v", d, fp100)
		}
		if total := got.at.Sub(start); total >= 40*time.Second {
			t.Fatalf("task ended after %v, past its 40 s limit", total)
		}
		if got.prof.Attempts != 2 {
			t.Fatalf("profile attempts %d, want 2", got.prof.Attempts)
		}
	})
}

func TestNoRetryTaskSendsExactlyOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = body100
		tk := r.task(7)
		tk.RetryCount = 0
		r.start(tk)
		p := r.serve()
		p.WantPacket(7)
		sent := time.Now()
		got := r.wantEnd(tk.TaskID, EctNetMsgXP, EctLongFirstPkgTimeout)
		if d := got.at.Sub(sent); d != fp100 {
			t.Fatalf("failed %v after send, want %v", d, fp100)
		}
		p.WantClosed()
		synctest.Wait()
		if n := r.net.Dials(srvAddr); n != 1 {
			t.Fatalf("%d connects, want 1 (nothing left to send)", n)
		}
	})
}

func TestFirstPacketTimeoutFailsCoVictimsWithCodeZero(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = body100
		var ids []uint32
		for range 3 {
			tk := r.task(7)
			tk.RetryCount = 0
			ids = append(ids, r.start(tk).TaskID)
		}
		p := r.serve()
		for range 3 {
			p.WantPacket(7)
		}
		sent := time.Now()
		first := r.wantEnd(ids[0], EctNetMsgXP, EctLongFirstPkgTimeout)
		if d := first.at.Sub(sent); d != fp100 {
			t.Fatalf("first failed after %v", d)
		}
		for _, id := range ids[1:] {
			if got := r.wantEnd(id, EctNetMsgXP, 0); !got.at.Equal(first.at) {
				t.Fatalf("co-victim %d ended at %v, not with the batch", id, got.at.Sub(sent))
			}
		}
	})
}

func TestTotalTimeoutEndsTaskAndResetsLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		tk := r.task(7)
		tk.TotalTimeout = 5 * time.Second
		start := time.Now()
		r.start(tk)
		p := r.serve()
		p.WantPacket(7)
		got := r.wantEnd(tk.TaskID, EctLocal, EctLocalTaskTimeout)
		if d := got.at.Sub(start); d != 5*time.Second {
			t.Fatalf("ended after %v, want 5s", d)
		}
		p.WantClosed()
	})
}

func TestServerProcessCostLiftsFirstPacketCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = body100
		tk := r.task(7)
		tk.RetryCount = 0
		tk.ServerProcessCost = 30 * time.Second
		r.start(tk)
		p := r.serve()
		p.WantPacket(7)
		sent := time.Now()
		got := r.wantEnd(tk.TaskID, EctNetMsgXP, EctLongFirstPkgTimeout)
		if d := got.at.Sub(sent); d != 30008*time.Millisecond {
			t.Fatalf("failed %v after send, want 30.008s", d)
		}
	})
}

func TestLargeRequestWidensFirstPacketLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = func(TaskRef) ([]byte, int, bool) { return make([]byte, 100<<10), 0, true }
		tk := r.task(7)
		tk.RetryCount = 0
		start := time.Now()
		r.start(tk)
		p := r.serve()
		p.WantPacket(7)
		// min(12000 + 8333, 22000) = 20 333 ms, which is past the 20 s task
		// limit of a no-retry task: the task limit ends it first.
		got := r.wantEnd(tk.TaskID, EctLocal, EctLocalTaskTimeout)
		if got.prof.FirstPkgTimeout != 20333*time.Millisecond {
			t.Fatalf("first-packet limit %v, want 20.333s", got.prof.FirstPkgTimeout)
		}
		if d := got.at.Sub(start); d != 20*time.Second {
			t.Fatalf("ended after %v, want the 20 s task limit", d)
		}
	})
}

func TestStalledPartialResponseHitsPackageInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		tk := r.task(7)
		tk.RetryCount = 0
		r.start(tk)
		p := r.serve()
		req := p.WantPacket(7)
		time.Sleep(time.Second)
		p.SendRaw(append(header(20, testVersion, 7, req.Seq, 100), make([]byte, 10)...))
		partial := time.Now()
		got := r.wantEnd(tk.TaskID, EctNetMsgXP, EctLongPkgPkgTimeout)
		if d := got.at.Sub(partial); d != 8*time.Second {
			t.Fatalf("failed %v after the partial data, want 8s", d)
		}
	})
}

func TestTricklingResponseHitsReadWriteLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = body100
		tk := r.task(7)
		tk.RetryCount = 0
		r.start(tk)
		p := r.serve()
		req := p.WantPacket(7)
		sent := time.Now()
		p.SendRaw(header(20, testVersion, 7, req.Seq, 1000))
		done := make(chan struct{})
		go func() { // one body byte every 5 s, never finishing
			for {
				select {
				case <-done:
					return
				case <-time.After(5 * time.Second):
					p.Conn().Write([]byte{1})
				}
			}
		}()
		got := r.wantEnd(tk.TaskID, EctNetMsgXP, EctLongReadWriteTimeout)
		close(done)
		if d := got.at.Sub(sent); d != fp100+5333*time.Millisecond {
			t.Fatalf("failed %v after send, want 17.341s", d)
		}
	})
}

func TestServerCloseRetriesAfterPauseOrFailsWithShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		tk := r.start(r.task(7)) // one retry
		p := r.serve()
		first := p.WantPacket(7)
		p.Close()
		closed := time.Now()
		p2 := r.serve()
		again := p2.WantPacket(7)
		if again.Seq != first.Seq {
			t.Fatalf("retry seq %d, want %d", again.Seq, first.Seq)
		}
		if d := time.Since(closed); d < time.Second {
			t.Fatalf("re-sent %v after the failure, want ≥ 1s", d)
		}
		p2.Close()
		r.wantEnd(tk.TaskID, EctSocket, EctSocketShutdown)
	})
}

func TestPriorityZeroIsWrittenBeforePriorityFive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		low := r.task(5)
		low.Priority = TaskPriority5
		high := r.task(9)
		high.Priority = TaskPriority0
		r.net.Hold(srvAddr) // keep the link down until both are queued
		r.start(low)
		r.start(high)
		synctest.Wait()
		r.net.Resume(srvAddr)
		p := r.serve()
		if got := p.Next(); got.CmdID != 9 {
			t.Fatalf("first task packet cmd %d, want the priority-0 task's 9", got.CmdID)
		}
		p.WantPacket(5)
	})
}

func TestFirstPacketTimeoutRetriesCoVictimsOnTheNewLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = body100
		a := r.task(7)
		a.RetryCount = 0
		b := r.task(8) // one retry
		b.ServerProcessCost = 40 * time.Second
		r.start(a)
		r.start(b)
		p := r.serve()
		p.WantPacket(7)
		p.WantPacket(8)
		r.wantEnd(a.TaskID, EctNetMsgXP, EctLongFirstPkgTimeout)
		p.WantClosed()
		p2 := r.serve()
		p2.Reply(p2.WantPacket(8), nil)
		got := r.wantEnd(b.TaskID, EctOK, 0)
		if got.prof.Attempts != 2 {
			t.Fatalf("co-victim attempts %d, want 2", got.prof.Attempts)
		}
	})
}

func TestMobileNetworkUsesMobileFirstPacketColumn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = body100
		r.e.OnNetworkChange(NetworkMobile)
		tk := r.task(7)
		tk.RetryCount = 0
		r.start(tk)
		p := r.serve()
		p.WantPacket(7)
		sent := time.Now()
		got := r.wantEnd(tk.TaskID, EctNetMsgXP, EctLongFirstPkgTimeout)
		if d := got.at.Sub(sent); d != 15024*time.Millisecond {
			t.Fatalf("failed %v after send, want 15.024s (15 s + 100 B at 4 KiB/s)", d)
		}
	})
}
