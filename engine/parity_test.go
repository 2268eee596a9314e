package engine

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
)

// Tests that pin what the engine does where Mars's code is ambiguous or
// buggy (docs/differences.md names each choice).

// Req2Buf runs once per attempt actually sent: a task that waited for the
// link to connect is built once, after the connect (Mars may build it
// twice, and count it twice in the frequency limit), and a retry builds it
// again with the same client sequence id.
func TestReq2BufRunsOncePerAttemptSentAfterWaitingForTheLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		var seqs []uint32
		r.rec.onReq2Buf = func(ref TaskRef) ([]byte, int, bool) {
			seqs = append(seqs, ref.ClientSequenceID) // on the host goroutine, one at a time
			if ref.CmdID == 8 {
				return []byte("another body"), 0, true
			}
			return []byte("same body"), 0, true
		}
		r.net.Hold(srvAddr)
		// 105 identical requests pass Mars's frequency limit; counted
		// twice each, the 53rd would be rejected.
		var ids []uint32
		for range 105 {
			tk := r.task(7)
			tk.NeedAuthed = true // asked while the link is down, as Mars's loop does
			ids = append(ids, r.start(tk).TaskID)
		}
		time.Sleep(5 * time.Second) // the link is still connecting
		r.rec.mu.Lock()
		early := len(r.rec.req2buf)
		r.rec.mu.Unlock()
		if early != 0 {
			t.Fatalf("Req2Buf ran %d times before the link connected", early)
		}
		r.net.Resume(srvAddr)
		p := r.accept()
		p.Timeout = time.Hour
		for range ids {
			p.Reply(p.WantPacket(7), nil)
		}
		for range ids {
			if e := <-r.rec.ends; e.typ != EctOK {
				t.Fatalf("task %d ended (%d, %d)", e.id, e.typ, e.code)
			}
		}
		r.rec.mu.Lock()
		built := slices.Clone(r.rec.req2buf)
		r.rec.mu.Unlock()
		if len(built) != len(ids) {
			t.Fatalf("Req2Buf ran %d times for %d tasks sent once each", len(built), len(ids))
		}

		// A retry is a second attempt: built again, same sequence id.
		seqs = nil
		tk := r.start(r.task(8))
		started := time.Now()
		for pkt := p.Next(); pkt.CmdID != 8; pkt = p.Next() {
			if pkt.CmdID != wire.NoopCmdID || time.Since(started) > time.Minute {
				t.Fatalf("packet %v, want task 8's", pkt)
			}
			p.ReplyNoop(pkt) // the connect noop may follow the burst
		}
		p.Close() // the first attempt fails with the link
		p2 := r.accept()
		p2.Reply(p2.WantPacket(8), nil)
		r.wantEnd(tk.TaskID, EctOK, 0)
		if len(seqs) != 2 || seqs[0] != seqs[1] {
			t.Fatalf("client sequence ids of the two attempts %v, want two equal ones", seqs)
		}
	})
}

// The signalling keeper's UDP target follows the link's peer when only
// the port or only the IP changed (Mars moves it only when both differ).
func TestSignallingFollowsThePeerWhenOnlyThePortOrOnlyTheIPChanges(t *testing.T) {
	for _, c := range []struct {
		name    string
		ports   []int
		debugIP string
		addr    string
	}{
		{"port", []int{2}, "", "srv:2"},
		{"ip", []int{1}, "10.0.0.2", "10.0.0.2:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				u := &udpRecorder{sent: make(chan datagram, 100)}
				r := newRig(t, Config{SignallingDialer: u})
				lis := r.net.Listen(c.addr)
				defer lis.Close()
				p := r.connect()
				r.e.SetSignallingStrategy(time.Second, time.Hour)
				r.e.KeepSignalling()
				if d := <-u.sent; d.addr != srvAddr {
					t.Fatalf("first datagram to %s, want %s", d.addr, srvAddr)
				}
				r.e.SetLonglinkSvrAddr("srv", c.ports, c.debugIP)
				p.Close() // the kept link reconnects, to the new address
				conn, err := lis.Accept()
				if err != nil {
					t.Fatal(err)
				}
				p2 := wiretest.NewPeer(t, conn, r.codec)
				p2.ReplyNoop(p2.WantNoop())
				reconnected := time.Now()
				time.Sleep(5 * time.Second)
				var after []string
				for len(u.sent) > 0 {
					if d := <-u.sent; !d.at.Before(reconnected) {
						after = append(after, d.addr)
					}
				}
				if len(after) == 0 || slices.ContainsFunc(after, func(a string) bool { return a != c.addr }) {
					t.Fatalf("datagrams after the reconnect went to %v, want all to %s", after, c.addr)
				}
			})
		})
	}
}

// A task id already in use (queued, running, or a short task) ends the
// new task at once with (EctLocal, EctLocalTaskParam), with the new task's
// own context; the task that holds the id goes on. Once a task has ended
// its id is free again, even inside its own OnTaskEnd.
func TestDuplicateTaskIDEndsTheNewTaskOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, f := newShortRig(t, Config{})
		p := r.connect()
		first := r.task(7)
		first.UserContext = "first"
		r.start(first)
		req := p.WantPacket(7)

		dup := NewTask(first.TaskID, 9)
		dup.UserContext = "duplicate"
		r.start(dup)
		if e := r.wantEnd(first.TaskID, EctLocal, EctLocalTaskParam); e.ctx != "duplicate" {
			t.Fatalf("the end is the context %v's, want the duplicate's", e.ctx)
		}
		short := r.shortTask()
		short.TaskID = first.TaskID
		r.start(short)
		r.wantEnd(first.TaskID, EctLocal, EctLocalTaskParam)
		f.wantNone(t)

		again := r.task(7)
		again.TaskID = first.TaskID
		r.rec.onEnd = func(e ended) {
			if e.ctx == "first" {
				r.e.StartTask(again) // the id is free once its task ended
			}
		}
		p.Reply(req, nil)
		if e := r.wantEnd(first.TaskID, EctOK, 0); e.ctx != "first" {
			t.Fatalf("the end is the context %v's, want the first task's", e.ctx)
		}
		p.Reply(p.WantPacket(7), nil)
		r.wantEnd(first.TaskID, EctOK, 0)
	})
}

// SetLonglinkSvrAddr with an empty host keeps the host but replaces the
// port list and the debug IP, as Mars does.
func TestSetLonglinkSvrAddrWithAnEmptyHostKeepsTheHostOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		r.e.SetLonglinkSvrAddr("srv", []int{1}, "10.0.0.9")
		r.e.SetLonglinkSvrAddr("", []int{2}, "")
		r.e.MakesureLonglinkConnected()
		if got := <-r.net.Dialed(); got != "srv:2" {
			t.Fatalf("first dial to %s, want srv:2 (the host kept, the port and debug IP replaced)", got)
		}
		if !slices.Contains(r.rec.logged(), "newdns srv true") {
			t.Fatalf("OnNewDns not asked for the kept host: %v", r.rec.logged())
		}
	})
}
