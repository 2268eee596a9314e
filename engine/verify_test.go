package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
)

// TestVerifyConnectSkipsACandidateThatDoesNotAnswerItsNoop: with
// VerifyConnect a candidate that connects but leaves its noop unanswered
// cannot win; the next one, which answers, carries the task.
func TestVerifyConnectSkipsACandidateThatDoesNotAnswerItsNoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{VerifyConnect: true})
		second := r.net.Listen("srv:2")
		defer second.Close()
		r.e.SetLonglinkSvrAddr("srv", []int{1, 2}, "")
		tk := r.start(r.task(7))

		mute := r.accept() // connects at once, reads the noop, answers nothing
		mute.WantNoop()
		c, err := second.Accept() // the next candidate, after the stagger
		if err != nil {
			t.Fatal(err)
		}
		good := wiretest.NewPeer(t, c, r.codec)
		good.ReplyNoop(good.WantNoop())
		good.Reply(good.WantPacket(7), []byte("ok"))
		r.wantEnd(tk.TaskID, EctOK, 0)
		mute.WantClosed()
	})
}

// TestVerifyConnectKeepsBytesAfterTheAnswer: a push the server sends right
// behind the noop answer reaches OnPush.
func TestVerifyConnectKeepsBytesAfterTheAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{VerifyConnect: true})
		r.e.MakesureLonglinkConnected()
		p := r.accept()
		answer := wire.NoopResponse(p.WantNoop())
		raw := append(mustAppend(t, r.codec, answer), mustAppend(t, r.codec, wire.Push(10001, []byte("hello")))...)
		p.SendRaw(raw) // the answer and a push in one write
		if got := <-r.rec.pushes; got.CmdID != 10001 || string(got.Body) != "hello" {
			t.Fatalf("push %v %q", got, got.Body)
		}
		if !r.e.LongLinkIsConnected() {
			t.Fatal("not connected")
		}
	})
}

// TestVerifyTimeoutIsMars: max(3 s, min(6·rtt, 10 s − rtt)).
func TestVerifyTimeoutIsMars(t *testing.T) {
	for rtt, want := range map[time.Duration]time.Duration{
		0: 3 * time.Second, 100 * time.Millisecond: 3 * time.Second,
		time.Second: 6 * time.Second, 2 * time.Second: 8 * time.Second, 9 * time.Second: 3 * time.Second,
	} {
		if got := verifyTimeout(rtt); got != want {
			t.Errorf("verifyTimeout(%v) = %v, want %v", rtt, got, want)
		}
	}
}
