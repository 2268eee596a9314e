package engine

import (
	"bytes"
	"testing"
	"testing/synctest"
)

// A task carrying its Body is sent with it as it was at StartTask, and
// Req2Buf is never asked.

func TestTaskBodyIsSentAsStartedWithoutReq2Buf(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.task(7)
		tk.Body = []byte("given")
		r.start(tk)
		copy(tk.Body, "XXXXX") // too late: StartTask copied it
		empty := r.task(8)
		empty.Body = []byte{}
		r.start(empty)
		if req := p.WantPacket(7); string(req.Body) != "given" {
			t.Fatalf("body %q, want the task's own", req.Body)
		}
		if req := p.WantPacket(8); len(req.Body) != 0 {
			t.Fatalf("body %q, want the empty one the task carries", req.Body)
		}
		synctest.Wait()
		r.rec.mu.Lock()
		defer r.rec.mu.Unlock()
		if len(r.rec.req2buf) != 0 {
			t.Fatalf("Req2Buf asked for %v", r.rec.req2buf)
		}
	})
}

func TestTaskBodyAndAuthOnTheShortLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.Body, tk.NeedAuthed = []byte("given"), true
		r.start(tk)
		c := f.next(t)
		if string(c.req.Body) != "given" {
			t.Fatalf("body %q, want the task's own", c.req.Body)
		}
		c.reply([]byte("resp"), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		r.rec.mu.Lock()
		defer r.rec.mu.Unlock()
		if len(r.rec.req2buf) != 0 || r.rec.authAsks != 1 {
			t.Fatalf("Req2Buf asked for %v, MakesureAuthed %d times; want none and once", r.rec.req2buf, r.rec.authAsks)
		}
	})
}

// responder is a recorder that also implements TaskEndResponder.
type responder struct {
	*recorder
	resps chan []byte
}

func (r *responder) OnTaskEndResp(ref TaskRef, typ ErrType, code int, p *TaskProfile, resp []byte) int {
	r.resps <- resp
	return r.recorder.OnTaskEnd(ref, typ, code, p)
}

func (r *responder) OnTaskEnd(TaskRef, ErrType, int, *TaskProfile) int {
	panic("OnTaskEnd called although OnTaskEndResp is implemented")
}

func newResponderRig(t *testing.T, cfg Config) (*rig, chan []byte) {
	resps := make(chan []byte, 100)
	r := newRigWith(t, cfg, func(rec *recorder) Callbacks { return &responder{rec, resps} })
	return r, resps
}

func TestTaskEndRespCarriesTheDecodedResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, resps := newResponderRig(t, Config{})
		p := r.connect()
		tk := r.start(r.task(7))
		p.Reply(p.WantPacket(7), []byte("answer"))
		r.wantEnd(tk.TaskID, EctOK, 0)
		if got := <-resps; string(got) != "answer" {
			t.Fatalf("resp %q, want the response", got)
		}
		empty := r.start(r.task(8))
		p.Reply(p.WantPacket(8), nil)
		r.wantEnd(empty.TaskID, EctOK, 0)
		if got := <-resps; got == nil || len(got) != 0 {
			t.Fatalf("resp %q (nil %v), want an empty non-nil response", got, got == nil)
		}
	})
}

func TestTaskEndRespIsNilWhenTheLatestAttemptGotNoResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeShort()
		r, resps := newResponderRig(t, Config{ShortLink: f})
		r.e.SetShortlinkSvrAddr(8080, "10.0.0.9")
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) { return RespHandleDefault, 0 } // retry
		tk := r.start(r.shortTask())
		f.next(t).reply([]byte("rejected"), nil)
		f.next(t).reply(nil, TaskError{EctHttp, 500})
		r.wantEnd(tk.TaskID, EctHttp, 500)
		if got := <-resps; got != nil {
			t.Fatalf("resp %q, want nil: the retry got no response", got)
		}
	})
}

func TestTaskEndRespIsNilAfterATimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, resps := newResponderRig(t, Config{})
		p := r.connect()
		tk := r.task(7)
		tk.RetryCount = 0
		r.start(tk)
		p.WantPacket(7) // never answered
		got := <-r.rec.ends
		if got.id != tk.TaskID || got.typ == EctOK {
			t.Fatalf("OnTaskEnd(%d, %d, %d), want task %d failing", got.id, got.typ, got.code, tk.TaskID)
		}
		if resp := <-resps; resp != nil {
			t.Fatalf("resp %q, want nil", resp)
		}
	})
}

func TestShortTaskEndRespCarriesTheResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeShort()
		r, resps := newResponderRig(t, Config{ShortLink: f})
		r.e.SetShortlinkSvrAddr(8080, "10.0.0.9")
		tk := r.start(r.shortTask())
		f.next(t).reply([]byte("resp"), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		if got := <-resps; !bytes.Equal(got, []byte("resp")) {
			t.Fatalf("resp %q, want the response", got)
		}
	})
}
