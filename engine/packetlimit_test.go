package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
)

// bodyOf makes every request body n bytes.
func bodyOf(n int) func(TaskRef) ([]byte, int, bool) {
	return func(TaskRef) ([]byte, int, bool) { return make([]byte, n), 0, true }
}

func TestRequestOverThePacketLimitEndsAtOnceUnsentAndTheLinkStays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		r.rec.onReq2Buf = bodyOf(DefaultMaxPacket - wire.HeaderLen + 1)
		big := r.start(r.task(7))
		got := r.wantEnd(big.TaskID, EctLocal, EctLocalPacketTooLarge)
		if !got.at.Equal(time.Now()) || got.prof.Attempts != 0 {
			t.Fatalf("ended after %d attempts, want at once without one", got.prof.Attempts)
		}
		synctest.Wait()
		p.WantNothing(time.Second) // not a byte of it went out
		r.rec.onReq2Buf = bodyOf(DefaultMaxPacket - wire.HeaderLen)
		fits := r.start(r.task(8))
		req := p.WantPacket(8)
		p.Reply(req, req.Body) // the largest answer the limit allows
		r.wantEnd(fits.TaskID, EctOK, 0)
	})
}

func TestPacketLimitIsConfigurableAndHoldsBothWays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit = 4 << 20
		r := newRig(t, Config{MaxPacket: limit})
		r.codec = wire.Mars{ClientVersion: testVersion, MaxPacket: 2 * limit} // a server beyond it
		r.rec.onReq2Buf = bodyOf(2 << 20)
		p := r.connect()
		tk := r.start(r.task(7))
		req := p.WantPacket(7)
		p.Reply(req, req.Body) // 2 MiB back: over Mars's 1 MiB, within ours
		r.wantEnd(tk.TaskID, EctOK, 0)

		over := r.task(8)
		over.RetryCount = 0
		r.rec.onReq2Buf = bodyOf(8)
		r.start(over)
		p.SendRaw(header(20, testVersion, 8, p.WantPacket(8).Seq, limit-wire.HeaderLen+1))
		r.wantEnd(over.TaskID, EctNetMsgXP, EctNetMsgXPHandleBufferErr)
		p.WantClosed()
	})
}

func TestPacketLimitBelowTheHeaderIsRejected(t *testing.T) {
	for _, n := range []int{-1, wire.HeaderLen - 1} {
		if _, err := New(Config{MaxPacket: n}, nil); err == nil {
			t.Fatalf("MaxPacket %d accepted", n)
		}
	}
}
