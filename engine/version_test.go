package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
)

// TestSetClientVersionOnLiveLinkAppliesToNextPackets: Mars's
// SetClientVersion on a connected engine. The connection stays; the next
// task, its answer and the next heartbeat use the new version.
func TestSetClientVersionOnLiveLinkAppliesToNextPackets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, srv := versionRig(t)
		p := r.connect()
		a := r.start(r.task(7))
		p.Reply(p.WantPacket(7), []byte("a"))
		r.wantEnd(a.TaskID, EctOK, 0)

		r.e.SetClientVersion(testVersion + 1)
		srv.SetClientVersion(testVersion + 1) // the peer now refuses version 200
		if got := r.e.Config().ClientVersion; got != testVersion+1 {
			t.Fatalf("Config().ClientVersion = %d", got)
		}
		b := r.start(r.task(8))
		p.Reply(p.WantPacket(8), []byte("b")) // same connection
		r.wantEnd(b.TaskID, EctOK, 0)
		time.Sleep(DefaultHeartbeatInterval)
		p.ReplyNoop(p.WantNoop())
		synctest.Wait()
		if !r.e.LongLinkIsConnected() {
			t.Fatal("link dropped")
		}
	})
}

// TestOldVersionAnswerAfterSetClientVersionDropsLink: as in Mars, an answer
// still carrying the old version is a corrupt stream; the task is retried
// on a new connection with the new version.
func TestOldVersionAnswerAfterSetClientVersionDropsLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, srv := versionRig(t)
		p := r.connect()
		synctest.Wait() // the connect noop's answer is read at version 200
		r.e.SetClientVersion(testVersion + 1)
		srv.SetClientVersion(testVersion + 1)
		tk := r.start(r.task(7))
		req := p.WantPacket(7)
		p.SendRaw(mustAppend(t, wire.NewMars(testVersion), wire.Packet{CmdID: 7, Seq: req.Seq}))
		p.WantClosed()
		p2 := r.accept()
		p2.ReplyNoop(p2.WantNoop())
		p2.Reply(p2.WantPacket(7), []byte("again"))
		r.wantEnd(tk.TaskID, EctOK, 0)
	})
}

// TestResetAndInitEncoderVersion: tasks end as with Reset and the next
// connection speaks the new version.
func TestResetAndInitEncoderVersion(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, srv := versionRig(t)
		p := r.connect()
		tk := r.start(r.task(7))
		p.WantPacket(7)
		r.e.ResetAndInitEncoderVersion(testVersion + 5)
		r.wantEnd(tk.TaskID, EctLocal, EctLocalReset)
		p.WantClosed()
		srv.SetClientVersion(testVersion + 5)
		next := r.start(r.task(8))
		p2 := r.accept()
		p2.Reply(p2.WantPacket(8), []byte("v205"))
		r.wantEnd(next.TaskID, EctOK, 0)
	})
}

// TestGenSequenceIDIsSixteenBits: Mars's GenSequenceId draws 0..65535.
func TestGenSequenceIDIsSixteenBits(t *testing.T) {
	seen := map[uint32]bool{}
	for range 1000 {
		v := GenSequenceID()
		if v > 0xFFFF {
			t.Fatalf("GenSequenceID() = %d, above 16 bits", v)
		}
		seen[v] = true
	}
	if len(seen) < 900 { // 1000 draws from 65536 values repeat about 8 times
		t.Fatalf("%d distinct values in 1000 draws: not random", len(seen))
	}
}

// versionRig is a rig whose server follows version changes (srv).
func versionRig(t *testing.T) (*rig, *wire.LiveMars) {
	r := newRig(t, Config{})
	srv := wire.NewLiveMars(testVersion, 0)
	r.codec = srv
	return r, srv
}

func mustAppend(t *testing.T, c wire.Codec, p wire.Packet) []byte {
	t.Helper()
	b, err := c.Append(nil, p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
