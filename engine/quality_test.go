package engine

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestNetworkQualityFollowsHeartbeatRTTAndWeakMarks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, rec := newPolicyRig(t, Config{}, false)
		if q := r.e.NetworkQuality(); q.Level != QualityUnknown || q.DynamicTimeout != DynamicEvaluating {
			t.Fatalf("before any sample: %+v", q)
		}
		r.e.MakesureLonglinkConnected()
		p := r.accept()
		p.Timeout = time.Hour
		noop := p.WantNoop()
		time.Sleep(500 * time.Millisecond)
		p.ReplyNoop(noop)
		synctest.Wait()
		q := r.e.NetworkQuality()
		if q.Level != QualityOK || q.RTT != 500*time.Millisecond {
			t.Fatalf("after a 500 ms heartbeat: %+v, want ok at 500ms", q)
		}
		if got := <-rec.quality; got.Level != QualityOK {
			t.Fatalf("observer heard %+v, want ok", got)
		}
		// A task taking 6 s marks the network weak for 60 s.
		tk := r.task(7)
		tk.ChannelSelect = ChannelLong
		r.start(tk)
		req := p.WantPacket(7)
		time.Sleep(6 * time.Second)
		p.Reply(req, nil)
		if got := r.wantEnd(tk.TaskID, EctOK, 0); !got.prof.WeakNetwork {
			t.Fatal("TaskProfile.WeakNetwork false for the task that took 6 s")
		}
		marked := time.Now()
		if got := <-rec.quality; got.Level != QualityWeak || !got.WeakMarked {
			t.Fatalf("observer heard %+v, want weak", got)
		}
		got := <-rec.quality
		if got.Level != QualityOK || time.Since(marked) != DefaultWeakHold {
			t.Fatalf("observer heard %+v %v after the mark, want ok after %v", got, time.Since(marked), DefaultWeakHold)
		}
		// An unanswered heartbeat marks it again; a connect failure 8 s or
		// more after the mark clears it.
		p.WantNoop()
		if got := <-rec.quality; got.Level != QualityWeak {
			t.Fatalf("observer heard %+v, want weak after the heartbeat timeout", got)
		}
		marked = time.Now()
		r.net.Blackhole(srvAddr)
		if got := <-rec.quality; got.Level != QualityOK || time.Since(marked) < 8*time.Second {
			t.Fatalf("observer heard %+v %v after the mark", got, time.Since(marked))
		}
	})
}

func TestExcellentNetworkShortensTheFirstPacketTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = func(ref TaskRef) ([]byte, int, bool) { return make([]byte, 4<<10), 0, true }
		p := r.connect()
		run := func() ended { return fastLongTask(r, p, 100*time.Millisecond) }
		for i := range 10 {
			if got := run(); got.prof.FirstPkgTimeout != 12333*time.Millisecond {
				t.Fatalf("task %d: first-packet timeout %v, want the normal 12.333s", i, got.prof.FirstPkgTimeout)
			}
		}
		if q := r.e.NetworkQuality(); q.DynamicTimeout != DynamicExcellent {
			t.Fatalf("after ten fast 4 KiB tasks: %+v, want excellent", q)
		}
		if got := run(); got.prof.FirstPkgTimeout != DefaultExcellentFirstPacketTimeout {
			t.Fatalf("excellent network: first-packet timeout %v, want %v", got.prof.FirstPkgTimeout,
				DefaultExcellentFirstPacketTimeout)
		}
		// An unknown server cost (Mars's C++ default) never takes the branch.
		tk := r.task(7)
		tk.ChannelSelect = ChannelLong
		r.start(tk)
		p.Reply(p.WantPacket(7), nil)
		if got := r.wantEnd(tk.TaskID, EctOK, 0); got.prof.FirstPkgTimeout == DefaultExcellentFirstPacketTimeout {
			t.Fatal("excellent branch with server_process_cost -1")
		}
	})
}

func TestConnectNeedingALaterCandidateMarksTheNetworkWeak(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.net.Fail("srv:2", errors.New("refused"))
		r.e.SetLonglinkSvrAddr("srv", []int{2, 1}, "")
		r.e.MakesureLonglinkConnected()
		p := r.accept()
		p.ReplyNoop(p.WantNoop())
		synctest.Wait()
		if q := r.e.NetworkQuality(); !q.WeakMarked || q.Level != QualityWeak {
			t.Fatalf("after a connect that needed the second candidate: %+v, want weak", q)
		}
	})
}
