package engine

import (
	"testing"
	"testing/synctest"

	"github.com/mars-go/mars/wire/wiretest"
)

// answerFor makes Buf2Resp answer handle for task id and succeed for the
// others.
func (r *rig) answerFor(id uint32, handle int) {
	r.rec.onBuf2Resp = func(ref TaskRef, _ []byte) (int, int) {
		if ref.TaskID == id {
			return handle, 0
		}
		return RespHandleNormal, 0
	}
}

func TestLongRetryAllRetriesTheRunningShortTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		p := r.connect()
		st := r.start(r.shortTask()) // another user: the short side ignores user ids
		first := f.next(t)
		lt := r.task(7)
		lt.UserID = "u"
		r.answerFor(lt.TaskID, RespHandleRetryAllTasks)
		r.start(lt)
		p.Reply(p.WantPacket(7), nil)
		wantCancelled(t, first)
		again := f.next(t)
		if again.req.TaskID != st.TaskID || !again.at.Equal(first.at) {
			t.Fatalf("attempt of task %d after %v, want task %d again at once", again.req.TaskID, again.at.Sub(first.at), st.TaskID)
		}
		again.reply(nil, nil)
		if got := r.wantEnd(st.TaskID, EctOK, 0); got.prof.Attempts != 2 {
			t.Fatalf("short task: %d attempts, want 2 (the retry spent one)", got.prof.Attempts)
		}
		p.WantClosed() // and the long link itself is reset as before
	})
}

func TestShortSessionTimeoutRetriesLongTasksOfTheSameUserOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		lisB := r.net.Listen("srvb:1")
		t.Cleanup(func() { lisB.Close() })
		if err := r.e.CreateLongLink(LongLinkConfig{Name: "b", Host: "srvb", Ports: []int{1}}); err != nil {
			t.Fatal(err)
		}
		same, other := r.task(7), r.task(8)
		same.UserID, other.UserID, other.ChannelName = "u", "v", "b"
		st := r.shortTask()
		st.UserID, st.NeedAuthed = "u", true
		r.answerFor(st.TaskID, RespHandleSessionTimeout)
		r.start(same)
		p := r.accept()
		sent := p.WantPacket(7)
		r.start(other)
		c, err := lisB.Accept()
		if err != nil {
			t.Fatal(err)
		}
		pb := wiretest.NewPeer(t, c, r.codec)
		otherReq := pb.WantPacket(8)
		r.start(st)
		f.next(t).reply([]byte("x"), nil)
		p.WantClosed() // the link of user u's task is reset ...
		synctest.Wait()
		r.onOwner(func(o *owner) {
			if tk := o.tasks[same.TaskID]; tk == nil || tk.remain != 0 {
				t.Errorf("task of user u: %+v, want it retried (no retry left)", tk)
			}
			if tk := o.tasks[other.TaskID]; tk == nil || !tk.running || tk.remain != 1 {
				t.Errorf("task of user v: %+v, want it still running untouched", tk)
			}
		})
		// ... and its task goes again on a new connection; link b carries on.
		p2 := r.accept()
		if again := p2.WantPacket(7); again.Seq != sent.Seq {
			t.Fatalf("re-sent seq %d, want %d", again.Seq, sent.Seq)
		}
		pb.Reply(otherReq, nil)
		if got := r.wantEnd(other.TaskID, EctOK, 0); got.prof.Attempts != 1 {
			t.Fatalf("task of user v: %d attempts, want 1", got.prof.Attempts)
		}
	})
}

func TestChannelIDBindsATaskToOneConnection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		if id := r.e.LongLinkConnectionID(""); id != 0 {
			t.Fatalf("connection id %d before any connection, want 0", id)
		}
		p := r.connect()
		id := r.e.LongLinkConnectionID("")
		if id == 0 || r.e.LongLinkConnectionID(DefaultChannelName) != id || r.e.LongLinkConnectionID("nope") != 0 {
			t.Fatalf("ids: main %d, by name %d, unknown %d", id, r.e.LongLinkConnectionID(DefaultChannelName), r.e.LongLinkConnectionID("nope"))
		}
		bound := r.task(7)
		bound.ChannelID = id
		r.start(bound)
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(bound.TaskID, EctOK, 0)

		stale := r.task(7)
		stale.ChannelID = id + 1
		r.start(stale)
		r.wantEnd(stale.TaskID, EctLocal, EctLocalChannelID)

		p.Close()
		synctest.Wait()
		if got := r.e.LongLinkConnectionID(""); got != 0 {
			t.Fatalf("connection id %d with the link down, want 0", got)
		}
		down := r.task(7)
		down.ChannelID, down.ChannelSelect = id, ChannelLong
		r.start(down)
		r.wantEnd(down.TaskID, EctLocal, EctLocalChannelID)
	})
}

func TestChannelIDOfANewConnectionDiffers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.connect()
		first := r.e.LongLinkConnectionID("")
		r.e.RedoTasks() // reconnects at once
		p := r.accept()
		p.ReplyNoop(p.WantNoop())
		synctest.Wait()
		if second := r.e.LongLinkConnectionID(""); second == 0 || second == first {
			t.Fatalf("ids %d then %d, want a new non-zero id", first, second)
		}
		tk := r.task(7)
		tk.ChannelID = first
		r.start(tk)
		r.wantEnd(tk.TaskID, EctLocal, EctLocalChannelID)
		p.WantNothing(0)
	})
}

func TestChannelIDAuthIsAskedBeforeTheCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		tk := r.task(7)
		tk.ChannelID, tk.ChannelSelect, tk.NeedAuthed = 12345, ChannelLong, true
		r.start(tk)
		r.wantEnd(tk.TaskID, EctLocal, EctLocalChannelID)
		r.rec.mu.Lock()
		defer r.rec.mu.Unlock()
		if r.rec.authAsks == 0 {
			t.Fatal("ended before MakesureAuthed was asked")
		}
	})
}
