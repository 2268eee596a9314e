package engine

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/internal/goid"
	"github.com/mars-go/mars/wire"
)

func TestSendOnlyEndsWhenQueuedWithoutBuf2Resp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.task(7)
		tk.SendOnly = true
		r.start(tk)
		r.wantEnd(tk.TaskID, EctOK, 0)
		p.Reply(p.WantPacket(7), []byte("late"))
		synctest.Wait()
		if len(r.rec.buf2resp) != 0 {
			t.Fatal("Buf2Resp called for a send-only task")
		}
	})
}

func TestNeedAuthedPollsEverySecondUntilTouched(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		var authed atomic.Bool
		r.rec.authed = authed.Load
		p := r.connect()
		tk := r.task(7)
		tk.NeedAuthed = true
		r.start(tk)
		time.Sleep(3500 * time.Millisecond)
		r.rec.mu.Lock()
		asks := r.rec.authAsks
		r.rec.mu.Unlock()
		if asks != 4 { // at 0, 1, 2 and 3 s
			t.Fatalf("MakesureAuthed asked %d times in 3.5 s, want 4", asks)
		}
		p.WantNothing(time.Millisecond)
		authed.Store(true)
		r.e.TouchTasks()
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
	})
}

func TestReq2BufFailureEndsWithItsCodeAndSendsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onReq2Buf = func(TaskRef) ([]byte, int, bool) { return nil, 42, false }
		p := r.connect()
		tk := r.start(r.task(7))
		r.wantEnd(tk.TaskID, EctEnDecode, 42)
		p.WantNothing(time.Second)
	})
}

func TestBuf2RespTaskEndFailsWithoutRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) { return RespHandleTaskEnd, 5 }
		p := r.connect()
		tk := r.start(r.task(7))
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctEnDecode, 5)
		p.WantNothing(5 * time.Second)
	})
}

func TestBuf2RespDefaultResetsLinkAndFailsCoVictims(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		a, b := r.task(7), r.task(8)
		a.RetryCount, b.RetryCount = 0, 0
		r.start(a)
		r.start(b)
		r.rec.onBuf2Resp = func(ref TaskRef, _ []byte) (int, int) { return RespHandleDefault, 3 }
		ra := p.WantPacket(7)
		p.WantPacket(8)
		p.Reply(ra, nil)
		r.wantEnd(a.TaskID, EctEnDecode, 3)
		r.wantEnd(b.TaskID, EctEnDecode, 0)
		p.WantClosed()
	})
}

func TestBuf2RespDefaultRetriesWhenRetriesRemain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		var failed atomic.Bool
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) {
			if !failed.Swap(true) {
				return RespHandleDefault, 3
			}
			return RespHandleNormal, 0
		}
		tk := r.start(r.task(7))
		p.Reply(p.WantPacket(7), nil)
		p.WantClosed()
		p2 := r.serveIdle() // the kept link is back before the retry pause ends
		p2.Reply(p2.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
	})
}

func TestBuf2RespSilentEndHasNoOnTaskEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.rec.onBuf2Resp = func(TaskRef, []byte) (int, int) { return RespSilentTaskEnd, 0 }
		p := r.connect()
		tk := r.start(r.task(7))
		p.Reply(p.WantPacket(7), nil)
		synctest.Wait()
		r.wantNoEnd()
		if r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask true after a silent end")
		}
	})
}

func TestStopTaskIsSilentAndIgnoresTheLateResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.start(r.task(7))
		req := p.WantPacket(7)
		r.e.StopTask(tk.TaskID)
		if r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask true after StopTask")
		}
		p.Reply(req, nil)
		time.Sleep(time.Minute)
		r.wantNoEnd()
		if len(r.rec.buf2resp) != 0 {
			t.Fatal("Buf2Resp called for a stopped task")
		}
	})
}

func TestClearTasksIsSilentAndClosesLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		a := r.start(r.task(7))
		b := r.start(r.task(7))
		p.WantPacket(7)
		p.WantPacket(7)
		r.e.ClearTasks()
		p.WantClosed()
		time.Sleep(time.Minute)
		r.wantNoEnd()
		if r.e.HasTask(a.TaskID) || r.e.HasTask(b.TaskID) {
			t.Fatal("tasks survived ClearTasks")
		}
	})
}

func TestResetAndCloseEndPendingTasksWithLocalReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		a := r.start(r.task(7))
		p.WantPacket(7)
		r.e.Reset()
		r.wantEnd(a.TaskID, EctLocal, EctLocalReset)
		p.WantClosed()
		// Addresses survive Reset: a new task connects to the same server.
		b := r.start(r.task(7))
		p2 := r.serve()
		p2.WantPacket(7)
		c := r.start(r.task(8)) // queued behind b on the live link
		p2.WantPacket(8)
		r.e.Close()
		r.wantEnd(b.TaskID, EctLocal, EctLocalReset)
		r.wantEnd(c.TaskID, EctLocal, EctLocalReset)
		if err := r.e.StartTask(r.task(7)); err != ErrClosed {
			t.Fatalf("StartTask after Close = %v, want ErrClosed", err)
		}
		r.e.Close() // idempotent
	})
}

// A task posted after Close but before the owner stopped taking work still
// gets its one OnTaskEnd: the owner drops it with (EctLocal, EctLocalReset).
func TestStartTaskQueuedBehindCloseStillEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		release := make(chan struct{})
		r.e.runOnOwner(func(*owner) { <-release }) // holds the owner so the inbox keeps its order
		closed := make(chan struct{})
		go func() { r.e.Close(); close(closed) }()
		synctest.Wait() // Close has posted its work and waits for the owner
		late := r.task(8)
		if err := r.e.StartTask(late); err != nil {
			t.Fatalf("StartTask behind Close = %v, want nil (the owner still takes work)", err)
		}
		close(release)
		r.wantEnd(late.TaskID, EctLocal, EctLocalReset)
		<-closed
	})
}

func TestHasTaskIsTrueRightAfterStartUntilOnTaskEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		tk := r.task(7)
		r.start(tk)
		if !r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask false right after StartTask")
		}
		r.rec.onEnd = func(e ended) {
			if r.e.HasTask(tk.TaskID) {
				t.Error("HasTask true inside OnTaskEnd, after the task ended")
			}
		}
		p := r.serve()
		req := p.WantPacket(7)
		if !r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask false while running")
		}
		p.Reply(req, nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		if r.e.HasTask(tk.TaskID) {
			t.Fatal("HasTask true after OnTaskEnd")
		}
	})
}

// NewTask's channel differs from Mars's C++ Task (0) on purpose
// (docs/differences.md, "Task defaults").
func TestNewTaskMayUseEitherLink(t *testing.T) {
	if got := NewTask(1, 7).ChannelSelect; got != ChannelBoth {
		t.Fatalf("NewTask channel %d, want ChannelBoth (%d)", got, ChannelBoth)
	}
}

func TestInvalidTasksEndWithMarsCodes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		cases := []struct {
			name string
			mod  func(*Task)
			code int
		}{
			{"31 retries", func(t *Task) { t.RetryCount = 31 }, EctLocalTaskParam},
			{"total timeout 600001 ms", func(t *Task) { t.TotalTimeout = 600001 * time.Millisecond }, EctLocalTaskParam},
			{"server cost 120001 ms", func(t *Task) { t.ServerProcessCost = 120001 * time.Millisecond }, EctLocalTaskParam},
			{"no channel (Mars's C++ default)", func(t *Task) { t.ChannelSelect = 0 }, EctLocalChannelSelect},
			{"long with cmdid 0", func(t *Task) { t.CmdID, t.ChannelSelect = 0, ChannelLong }, EctLocalChannelSelect},
			{"short with empty cgi", func(t *Task) { t.ChannelSelect = ChannelShort }, EctLocalChannelSelect},
			{"short with no host", func(t *Task) { t.ChannelSelect, t.Cgi = ChannelShort, "/x" }, EctLocalTaskParam},
			{"short send-only", func(t *Task) {
				t.ChannelSelect, t.Cgi, t.SendOnly, t.ShortLinkHostList = ChannelShort, "/x", true, []string{"h"}
			}, EctLocalStartTaskFail},
			{"reserved id", func(t *Task) { t.TaskID = NoopTaskID }, EctLocalTaskParam},
			{"minor long only", func(t *Task) { t.ChannelSelect = ChannelMinorLong }, EctLocalStartTaskFail},
			{"long polling without a timeout", func(t *Task) {
				t.ChannelSelect, t.Cgi, t.ShortLinkHostList, t.LongPolling = ChannelShort, "/x", []string{"h"}, true
			}, EctLocalTaskParam},
		}
		for _, c := range cases {
			tk := r.task(7)
			c.mod(&tk)
			r.start(tk)
			got := <-r.rec.ends
			if got.typ != EctLocal || got.code != c.code {
				t.Errorf("%s: OnTaskEnd(%d, %d), want (9, %d)", c.name, got.typ, got.code, c.code)
			}
		}
		synctest.Wait()
		if n := r.net.Dials(srvAddr); n != 0 {
			t.Fatalf("invalid tasks caused %d connects", n)
		}
	})
}

func TestNetworkChangeDropsLinkAndRetriesOnNewOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.start(r.task(7))
		p.WantPacket(7)
		r.e.OnNetworkChange(NetworkWiFi)
		p.WantClosed()
		p2 := r.serve()
		p2.Reply(p2.WantPacket(7), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)

		last := r.task(7)
		last.RetryCount = 0
		r.start(last)
		p2.WantPacket(7)
		r.e.OnNetworkChange(NetworkWiFi)
		r.wantEnd(last.TaskID, EctSocket, EctSocketNetworkChange)
	})
}

func TestNetworkSensitiveTaskFailsFastWithoutNetwork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.e.OnNetworkChange(NetworkNone)
		tk := r.task(7)
		tk.NetworkStatusSensitive = true
		r.start(tk)
		r.wantEnd(tk.TaskID, EctLocal, EctLocalNoNet)
	})
}

func TestRedoTasksReconnectsAndResendsSpendingARetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.start(r.task(7))
		p.WantPacket(7)
		r.e.RedoTasks()
		p.WantClosed()
		p2 := r.serve()
		p2.WantPacket(7)
		r.e.RedoTasks()
		r.wantEnd(tk.TaskID, EctLocal, EctLocalCancel)
	})
}

func TestCallbacksMayCallTheEngine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		var follow Task
		first := r.task(7)
		r.rec.onEnd = func(e ended) {
			if e.id == first.TaskID {
				follow = r.task(8)
				r.e.StartTask(follow) // StartTask from OnTaskEnd
				if !r.e.HasTask(follow.TaskID) {
					t.Error("HasTask inside OnTaskEnd misses the task it just started")
				}
			}
		}
		r.start(first)
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(first.TaskID, EctOK, 0)
		req := p.WantPacket(8)

		// StopTask from Buf2Resp: the task ends silently.
		r.rec.onBuf2Resp = func(ref TaskRef, _ []byte) (int, int) {
			r.e.StopTask(ref.TaskID)
			return RespHandleNormal, 0
		}
		// Buf2Resp runs on the host goroutine; the stop reaches the owner
		// before its verdict, so the task ends silently.
		p.Reply(req, nil)
		r.wantNoEnd()
		if r.e.HasTask(follow.TaskID) {
			t.Fatal("task stopped from its Buf2Resp is still there")
		}

		// Reset from OnPush ends the in-flight task with -9.
		third := r.start(r.task(9))
		p.WantPacket(9)
		r.rec.onPush = func(wire.Packet) { r.e.Reset() }
		p.Push(10001, nil)
		r.wantEnd(third.TaskID, EctLocal, EctLocalReset)
	})
}

func TestGenTaskIDWrapsBeforeReservedIDs(t *testing.T) {
	e := &Engine{}
	e.nextID.Store(ReservedTaskIDStart - 2)
	if id := e.GenTaskID(); id != ReservedTaskIDStart-1 {
		t.Fatalf("id %#x", id)
	}
	if id := e.GenTaskID(); id != 1 {
		t.Fatalf("after the last id got %#x, want 1", id)
	}
}

func TestBothTaskUsesTheConnectedLongLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		tk := r.task(7)
		tk.Cgi, tk.ShortLinkHostList = "/cgi", []string{"h"}
		r.start(tk)
		p.Reply(p.WantPacket(7), nil)
		got := r.wantEnd(tk.TaskID, EctOK, 0)
		if got.prof.Channel != ChannelLong {
			t.Fatalf("profile channel %d, want long", got.prof.Channel)
		}
	})
}

func TestOwnerAssertionCatchesForeignGoroutine(t *testing.T) {
	e := &Engine{checkOwner: true}
	e.o.e = e
	e.ownerGID.Store(goid.ID())
	e.o.assertOwner() // on the "owner": fine
	e.ownerGID.Store(goid.ID() + 1)
	defer func() {
		if recover() == nil {
			t.Fatal("owner-only code ran off the owner without a panic")
		}
	}()
	e.o.assertOwner()
}

func TestCloseFromInsideACallbackDoesNotDeadlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		a, b := r.task(7), r.task(8)
		r.rec.onEnd = func(e ended) {
			if e.id == a.TaskID {
				r.e.Close() // on the owner: starts the shutdown and returns
			}
		}
		r.start(a)
		r.start(b)
		ra := p.WantPacket(7)
		p.WantPacket(8)
		p.Reply(ra, nil)
		r.wantEnd(a.TaskID, EctOK, 0)
		r.wantEnd(b.TaskID, EctLocal, EctLocalReset)
		r.e.Close() // from the test goroutine: waits for every goroutine
		p.WantClosed()
	})
}

func TestClearTasksReconnectsAKeptLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		time.Sleep(time.Minute)
		r.e.ClearTasks()
		p.WantClosed()
		r.serveIdle()
	})
}
