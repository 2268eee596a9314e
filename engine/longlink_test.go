package engine

import (
	"bytes"
	"encoding/binary"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
)

func header(head, version, cmd, seq, bodyLen uint32) []byte {
	b := make([]byte, 20)
	for i, v := range []uint32{head, version, cmd, seq, bodyLen} {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	return b
}

func TestLongTaskWritesTwentyByteHeaderThenBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = func(TaskRef) ([]byte, int, bool) { return []byte("abc"), 0, true }
		tk := r.start(r.task(7))
		c := r.acceptRaw()
		got := make([]byte, 23)
		if _, err := io.ReadFull(c, got); err != nil {
			t.Fatal(err)
		}
		want := append(header(20, testVersion, 7, tk.TaskID, 3), "abc"...)
		if !bytes.Equal(got, want) {
			t.Fatalf("first bytes % x, want the task packet % x", got, want)
		}
	})
}

func TestResponseWithTaskSeqCompletesTaskWhateverItsCmdID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onBuf2Resp = func(_ TaskRef, body []byte) (int, int) {
			if string(body) != "answer" {
				t.Errorf("Buf2Resp body %q", body)
			}
			return RespHandleNormal, 17
		}
		p := r.connect()
		tk := r.start(r.task(7))
		req := p.WantPacket(7)
		p.Send(wire.Packet{CmdID: 99, Seq: req.Seq, Body: []byte("answer")})
		r.wantEnd(tk.TaskID, EctOK, 17)
		prof := <-r.rec.profiles
		if prof.TaskID != tk.TaskID || prof.Attempts != 1 || prof.RecvBytes != 6 {
			t.Fatalf("profile %+v", prof)
		}
	})
}

func TestPipelinedTasksAreBothSentBeforeAnyResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		a := r.start(r.task(7))
		b := r.start(r.task(8))
		ra, rb := p.WantPacket(7), p.WantPacket(8)
		p.Reply(rb, []byte("b"))
		p.Reply(ra, []byte("a"))
		r.wantEnd(b.TaskID, EctOK, 0)
		r.wantEnd(a.TaskID, EctOK, 0)
	})
}

func TestPushIsDeliveredAndLeavesTasksAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.start(r.task(7))
		req := p.WantPacket(7)
		p.Push(10001, []byte("hello"))
		push := <-r.rec.pushes
		if push.CmdID != 10001 || push.Seq != 0 || string(push.Body) != "hello" {
			t.Fatalf("push %v %q", push, push.Body)
		}
		if !slices.Contains(r.rec.logged(), "push default-longlink 10001") {
			t.Fatal("push not reported on the default channel")
		}
		r.wantNoEnd()
		p.Reply(req, nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
	})
}

func TestUnknownSeqIsDroppedAndLinkStays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		synctest.Wait()
		before := len(r.rec.logged())
		p.Send(wire.Packet{CmdID: 7, Seq: 4242, Body: []byte("x")})
		synctest.Wait()
		if got := r.rec.logged()[before:]; len(got) != 0 {
			t.Fatalf("callbacks after unknown seq: %v", got)
		}
		tk := r.start(r.task(7))
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
	})
}

func TestCmdID6IsSwallowedEvenWithATaskSeq(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.start(r.task(7))
		req := p.WantPacket(7)
		p.Send(wire.Packet{CmdID: 6, Seq: req.Seq, Body: []byte("noop?")})
		p.Send(wire.Packet{CmdID: 6, Seq: 0, Body: []byte("push?")})
		synctest.Wait()
		r.wantNoEnd()
		if len(r.rec.pushes) != 0 {
			t.Fatal("cmdid 6 with seq 0 was taken as a push")
		}
		p.Reply(req, nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
	})
}

func TestResponseByteByByteAndTwoPacketsInOneWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		a, b, c := r.start(r.task(7)), r.start(r.task(7)), r.start(r.task(7))
		ra, rb, rc := p.WantPacket(7), p.WantPacket(7), p.WantPacket(7)
		raw, _ := r.codec.Append(nil, wire.Packet{CmdID: 7, Seq: ra.Seq, Body: []byte("slow")})
		for _, x := range raw {
			p.SendRaw([]byte{x})
			time.Sleep(300 * time.Millisecond) // the peer's pace; all inside the first-packet limit
		}
		r.wantEnd(a.TaskID, EctOK, 0)
		two, _ := r.codec.Append(nil, wire.Packet{CmdID: 7, Seq: rb.Seq})
		two, _ = r.codec.Append(two, wire.Packet{CmdID: 7, Seq: rc.Seq})
		p.SendRaw(two)
		r.wantEnd(b.TaskID, EctOK, 0)
		r.wantEnd(c.TaskID, EctOK, 0)
	})
}

func TestWrongClientVersionClosesLinkAndFailsTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.task(7)
		tk.RetryCount = 0
		r.start(tk)
		req := p.WantPacket(7)
		p.SendRaw(header(20, testVersion+1, 7, req.Seq, 0))
		r.wantEnd(tk.TaskID, EctNetMsgXP, EctNetMsgXPHandleBufferErr)
		p.WantClosed()
		if !slices.Contains(r.rec.logged(), "status 3") {
			t.Fatal("no disconnected status")
		}
	})
}

func TestOversizeHeaderClosesLinkOnHeaderAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.task(7)
		tk.RetryCount = 0
		r.start(tk)
		req := p.WantPacket(7)
		p.SendRaw(header(20, testVersion, 7, req.Seq, 1<<20))
		r.wantEnd(tk.TaskID, EctNetMsgXP, EctNetMsgXPHandleBufferErr)
	})
}

func TestLongerHeaderDeliversOnlyTheBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		var body []byte
		r.rec.onBuf2Resp = func(_ TaskRef, b []byte) (int, int) { body = append([]byte(nil), b...); return 0, 0 }
		p := r.connect()
		tk := r.start(r.task(7))
		req := p.WantPacket(7)
		raw := append(header(28, testVersion, 7, req.Seq, 2), bytes.Repeat([]byte{0xEE}, 8)...)
		p.SendRaw(append(raw, "ok"...))
		r.wantEnd(tk.TaskID, EctOK, 0)
		if string(body) != "ok" {
			t.Fatalf("body %q, want ok", body)
		}
	})
}

func TestConnectAndCloseReportStatusInMarsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		synctest.Wait()
		// OnNewDns runs on the connect's own goroutine, so only the host
		// goroutine's callbacks have an order to check.
		want := []string{"report 3 3", "status 1", "neterr 0 0 srv:1", "report 4 4", "status 2", "identify?"}
		got := slices.DeleteFunc(r.rec.logged(), func(s string) bool { return strings.HasPrefix(s, "newdns") })
		if !slices.Equal(got, want) {
			t.Fatalf("callbacks %q\nwant      %q", got, want)
		}
		if !r.e.LongLinkIsConnected() {
			t.Fatal("LongLinkIsConnected false while connected")
		}
		p.Close()
		synctest.Wait()
		got = r.rec.logged()[len(want)+1:]
		if !slices.Equal(got, []string{"status 3", "neterr 4 -10090 srv:1"}) {
			t.Fatalf("after server close: %q", got)
		}
		if r.e.LongLinkIsConnected() {
			t.Fatal("LongLinkIsConnected true after close")
		}
	})
}
