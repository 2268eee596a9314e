package engine

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// shortCall is one attempt the fake transport received.
type shortCall struct {
	req    *ShortLinkRequest
	ctx    context.Context
	at     time.Time
	answer chan shortAnswer
}

type shortAnswer struct {
	body []byte
	err  error
}

// reply answers the attempt (the transport returns it).
func (c *shortCall) reply(body []byte, err error) { c.answer <- shortAnswer{body, err} }

// sent reports the request as written now.
func (c *shortCall) sent() { c.req.Progress.Sending(time.Now()) }

// fakeShort is a ShortLinkTransport a test steers call by call.
type fakeShort struct{ calls chan *shortCall }

func newFakeShort() *fakeShort { return &fakeShort{calls: make(chan *shortCall, 100)} }

func (f *fakeShort) RoundTrip(ctx context.Context, req *ShortLinkRequest) ([]byte, error) {
	c := &shortCall{req: req, ctx: ctx, at: time.Now(), answer: make(chan shortAnswer, 1)}
	f.calls <- c
	select {
	case a := <-c.answer:
		return a.body, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// next waits for the next attempt.
func (f *fakeShort) next(t *testing.T) *shortCall {
	t.Helper()
	return <-f.calls
}

// wantNone fails if an attempt is pending once everything settled.
func (f *fakeShort) wantNone(t *testing.T) {
	t.Helper()
	synctest.Wait()
	select {
	case c := <-f.calls:
		t.Fatalf("unexpected attempt of task %d", c.req.TaskID)
	default:
	}
}

// wantCancelled fails unless c's context ended.
func wantCancelled(t *testing.T, c *shortCall) {
	t.Helper()
	synctest.Wait()
	if c.ctx.Err() == nil {
		t.Fatalf("attempt of task %d still running", c.req.TaskID)
	}
}

func newShortRig(t *testing.T, cfg Config) (*rig, *fakeShort) {
	t.Helper()
	f := newFakeShort()
	cfg.ShortLink = f
	r := newRig(t, cfg)
	r.e.SetShortlinkSvrAddr(8080, "10.0.0.9")
	return r, f
}

// shortTask is a short-only task with Mars's defaults.
func (r *rig) shortTask() Task {
	tk := NewTask(r.e.GenTaskID(), 0)
	tk.ChannelSelect, tk.Cgi, tk.ShortLinkHostList = ChannelShort, "/mars/hello", []string{"short.example.com", "b"}
	return tk
}

func TestShortTaskSendsOneAttemptAndEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.start(r.shortTask())
		c := f.next(t)
		want := ShortLinkRequest{TaskID: tk.TaskID, Host: "short.example.com", Cgi: "/mars/hello", Port: 8080, DebugIP: "10.0.0.9"}
		if c.req.TaskID != want.TaskID || c.req.Host != want.Host || c.req.Cgi != want.Cgi ||
			c.req.Port != want.Port || c.req.DebugIP != want.DebugIP || string(c.req.Body) != "req-1" {
			t.Fatalf("request %+v, want %+v with body req-1", c.req, want)
		}
		c.req.Progress.Connected("10.0.0.9:8080", false)
		c.sent()
		c.reply([]byte("resp"), nil)
		got := r.wantEnd(tk.TaskID, EctOK, 0)
		if got.prof.Channel != ChannelShort || got.prof.ConnectIP != "10.0.0.9" || got.prof.ConnectPort != 8080 ||
			got.prof.RecvBytes != 4 || got.prof.Attempts != 1 {
			t.Fatalf("profile %+v", got.prof)
		}
		if r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask true after OnTaskEnd")
		}
		f.wantNone(t)
	})
}

func TestShortStatus500RetriesAfterOneSecond(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.start(r.shortTask())
		first := f.next(t)
		first.sent()
		first.reply(nil, TaskError{EctHttp, 500})
		second := f.next(t)
		if gap := second.at.Sub(first.at); gap != time.Second {
			t.Fatalf("retry %v after the failure, want the 1 s pause", gap)
		}
		second.sent()
		second.reply(nil, TaskError{EctHttp, 500})
		got := r.wantEnd(tk.TaskID, EctHttp, 500)
		if got.prof.Attempts != 2 {
			t.Fatalf("%d attempts, want 2", got.prof.Attempts)
		}
		f.wantNone(t)
	})
}

func TestShortStopTaskAbortsTheAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.start(r.shortTask())
		c := f.next(t)
		c.sent()
		r.e.StopTask(tk.TaskID)
		if r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask true after StopTask")
		}
		wantCancelled(t, c)
		time.Sleep(time.Minute)
		r.wantNoEnd()
		f.wantNone(t)
	})
}

func TestShortBuf2RespErrorsTouchOnlyThatTask(t *testing.T) {
	for _, handle := range []int{RespHandleDefault, RespSilentTaskEnd} {
		synctest.Test(t, func(t *testing.T) {
			r, f := newShortRig(t, Config{})
			a, b := r.shortTask(), r.shortTask()
			a.RetryCount = 0
			r.start(a)
			r.start(b)
			ca, cb := f.next(t), f.next(t)
			if ca.req.TaskID != a.TaskID {
				ca, cb = cb, ca
			}
			r.rec.onBuf2Resp = func(ref TaskRef, _ []byte) (int, int) {
				if ref.TaskID == a.TaskID {
					return handle, 42
				}
				return RespHandleNormal, 0
			}
			ca.reply([]byte("x"), nil)
			r.wantEnd(a.TaskID, EctEnDecode, 42)
			synctest.Wait()
			if cb.ctx.Err() != nil {
				t.Fatal("another task's attempt was cancelled")
			}
			cb.reply([]byte("y"), nil)
			r.wantEnd(b.TaskID, EctOK, 0)
		})
	}
}

func TestShortBuf2RespTaskEndDoesNotRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.start(r.shortTask())
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) { return RespHandleTaskEnd, 5 }
		f.next(t).reply([]byte("x"), nil)
		r.wantEnd(tk.TaskID, EctEnDecode, 5)
		f.wantNone(t)
	})
}

func TestShortReq2BufFailureEndsWithoutAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		r.rec.onReq2Buf = func(TaskRef) ([]byte, int, bool) { return nil, 42, false }
		tk := r.start(r.shortTask())
		r.wantEnd(tk.TaskID, EctEnDecode, 42)
		f.wantNone(t)
	})
}

func TestShortTasksRunConcurrently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		var calls []*shortCall
		for range 3 {
			r.start(r.shortTask())
		}
		for range 3 {
			calls = append(calls, f.next(t)) // all three before any answer
		}
		for _, c := range calls {
			c.reply(nil, nil)
		}
		for range 3 {
			if got := <-r.rec.ends; got.typ != EctOK {
				t.Fatalf("task %d ended (%d, %d)", got.id, got.typ, got.code)
			}
		}
	})
}

func TestShortRedoTasksRerunsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		withRetry := r.start(r.shortTask())
		last := r.shortTask()
		last.RetryCount = 0
		r.start(last)
		c1, c2 := f.next(t), f.next(t)
		if c1.req.TaskID != withRetry.TaskID {
			c1, c2 = c2, c1
		}
		r.e.RedoTasks()
		r.wantEnd(last.TaskID, EctLocal, EctLocalCancel)
		again := f.next(t)
		if again.req.TaskID != withRetry.TaskID || !again.at.Equal(c1.at) {
			t.Fatalf("redo re-sent task %d after %v, want task %d at once", again.req.TaskID, again.at.Sub(c1.at), withRetry.TaskID)
		}
		wantCancelled(t, c1)
		wantCancelled(t, c2)
		again.reply(nil, nil)
		r.wantEnd(withRetry.TaskID, EctOK, 0)
	})
}

func TestShortClearTasksIsSilent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.start(r.shortTask())
		c := f.next(t)
		r.e.ClearTasks()
		wantCancelled(t, c)
		if r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask true after ClearTasks")
		}
		r.wantNoEnd()
	})
}

func TestShortResetAndCloseEndTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		a := r.start(r.shortTask())
		ca := f.next(t)
		r.e.Reset()
		r.wantEnd(a.TaskID, EctLocal, EctLocalReset)
		wantCancelled(t, ca)
		b := r.start(r.shortTask())
		f.next(t)
		if err := r.e.Close(); err != nil {
			t.Fatal(err)
		}
		r.wantEnd(b.TaskID, EctLocal, EctLocalReset)
	})
}

func TestShortTransportErrorsAfterRetries(t *testing.T) {
	for _, te := range []TaskError{{EctDns, EctDnsMakeSocketPrepared}, {EctSocket, EctSocketMakeSocketPrepared}, {EctSocket, EctSocketShutdown}} {
		synctest.Test(t, func(t *testing.T) {
			r, f := newShortRig(t, Config{})
			tk := r.start(r.shortTask())
			f.next(t).reply(nil, te)
			f.next(t).reply(nil, te)
			r.wantEnd(tk.TaskID, te.Type, te.Code)
		})
	}
}

func TestShortUnknownTransportErrorIsASocketError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.RetryCount = 0
		r.start(tk)
		f.next(t).reply(nil, errors.New("custom transport broke"))
		r.wantEnd(tk.TaskID, EctSocket, EctSocketReadOnce)
	})
}

func TestShortSendOnlyCannotStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.SendOnly = true
		r.start(tk)
		r.wantEnd(tk.TaskID, EctLocal, EctLocalStartTaskFail)
		f.wantNone(t)
	})
}

func TestChannelSelection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		both := func(sel ChannelSelect, strategy ChannelStrategy) Task {
			tk := r.task(7)
			tk.ChannelSelect, tk.ChannelStrategy = sel, strategy
			tk.Cgi, tk.ShortLinkHostList = "/cgi", []string{"h"}
			return r.start(tk)
		}
		// Long link down (its connect, which the Both task asks for, hangs):
		// Both and All go short; Normal always does.
		r.net.Hold(srvAddr)
		for _, sel := range []ChannelSelect{ChannelBoth, ChannelAll, ChannelNormal} {
			tk := both(sel, ChannelNormalStrategy)
			c := f.next(t)
			if c.req.TaskID != tk.TaskID {
				t.Fatalf("channel %d: attempt of task %d", sel, c.req.TaskID)
			}
			c.reply(nil, nil)
			if got := r.wantEnd(tk.TaskID, EctOK, 0); got.prof.Channel != ChannelShort {
				t.Fatalf("channel %d: profile channel %d, want short", sel, got.prof.Channel)
			}
		}
		// Connected: Both goes long; with the fast strategy only while the
		// long link has no task of its own.
		r.net.Resume(srvAddr)
		p := r.accept()
		p.ReplyNoop(p.WantNoop())
		r.start(r.task(8))
		p.WantPacket(8)
		fast := both(ChannelBoth, ChannelFastStrategy)
		c := f.next(t)
		if c.req.TaskID != fast.TaskID {
			t.Fatalf("fast strategy with a busy long link: attempt of task %d", c.req.TaskID)
		}
		c.reply(nil, nil)
		r.wantEnd(fast.TaskID, EctOK, 0)
		normal := both(ChannelBoth, ChannelNormalStrategy)
		p.Reply(p.WantPacket(7), nil)
		if got := r.wantEnd(normal.TaskID, EctOK, 0); got.prof.Channel != ChannelLong {
			t.Fatalf("normal strategy: profile channel %d, want long", got.prof.Channel)
		}
		f.wantNone(t)
	})
}

func TestBothTaskGoingShortStillWakesTheLongLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.task(7)
		tk.Cgi, tk.ShortLinkHostList = "/cgi", []string{"h"}
		r.start(tk)
		f.next(t).reply(nil, nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		p := r.accept() // StartTask step 5: the long link is asked for as well
		p.ReplyNoop(p.WantNoop())
	})
}

func TestShortOnlyTaskLeavesTheLongLinkAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.start(r.shortTask())
		f.next(t).reply(nil, nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		synctest.Wait()
		if r.e.LongLinkIsConnected() {
			t.Fatal("a short-only task connected the long link")
		}
		if got := r.rec.logged(); len(got) != 0 {
			t.Fatalf("long-link callbacks for a short-only task: %v", got)
		}
	})
}

func TestShortSessionTimeoutGetsOneFreeRetryAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.shortTask()
		tk.RetryCount, tk.NeedAuthed = 0, true
		r.start(tk)
		answers := []int{RespHandleSessionTimeout, RespHandleNormal}
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) {
			h := answers[0]
			answers = answers[1:]
			return h, 0
		}
		first := f.next(t)
		first.reply([]byte("x"), nil)
		second := f.next(t)
		if !second.at.Equal(first.at) {
			t.Fatalf("session-timeout retry after %v, want at once", second.at.Sub(first.at))
		}
		second.reply([]byte("y"), nil)
		if got := r.wantEnd(tk.TaskID, EctOK, 0); got.prof.Attempts != 2 {
			t.Fatalf("%d attempts, want 2", got.prof.Attempts)
		}
	})
}

func TestShortLocalErrorIsNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		tk := r.start(r.shortTask())
		f.next(t).reply(nil, TaskError{EctLocal, EctLocalTaskParam})
		r.wantEnd(tk.TaskID, EctLocal, EctLocalTaskParam)
		f.wantNone(t)
	})
}
