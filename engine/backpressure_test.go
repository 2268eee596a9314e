package engine

import (
	"bytes"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/wire"
)

// A server that pushes faster than OnPush returns meets back-pressure: the
// engine reads no more than its receive backlog (plus one read) ahead of
// the host, and delivers every push, in order, once the host catches up.
func TestPushFloodIsBoundedByTheReceiveBacklog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const backlog, pushes, size = 32 << 10, 2000, 1 << 10
		r := newRig(t, Config{ReceiveBacklog: backlog})
		p := r.connect()
		before := r.rec.recvBytes.Load()
		gate := make(chan struct{})
		r.rec.onPush = func(wire.Packet) { <-gate }
		body := bytes.Repeat([]byte{'p'}, size)
		for i := range pushes {
			body[0] = byte(i)
			p.Push(10001, body)
		}
		synctest.Wait()
		const readAhead = backlog + 64<<10 + wire.HeaderLen + size // the backlog, one read, one packet
		if got := r.rec.recvBytes.Load() - before; got > readAhead {
			t.Fatalf("engine read %d bytes ahead of a stuck OnPush, want at most %d", got, readAhead)
		}
		close(gate)
		for i := range pushes {
			got := <-r.rec.pushes
			if got.Body[0] != byte(i) || len(got.Body) != size {
				t.Fatalf("push %d: got body[0]=%d len %d", i, got.Body[0], len(got.Body))
			}
		}
	})
}

// Close returns at once however many pushes wait for a slow OnPush: they
// are dropped (and counted), and every started task still ends once.
func TestCloseDropsQueuedPushesAndEndsEveryTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Config{})
		p := r.connect()
		var ids []uint32
		for range 3 {
			ids = append(ids, r.start(r.task(7)).TaskID)
			p.WantPacket(7) // never answered
		}
		r.rec.onPush = func(wire.Packet) { time.Sleep(10 * time.Millisecond) }
		go func() {
			for range r.rec.pushes {
			}
		}()
		for range 1000 {
			p.Push(10001, []byte("flood"))
		}
		synctest.Wait()
		start := time.Now()
		if err := r.e.Close(); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 10*time.Millisecond {
			t.Fatalf("Close took %v with pushes queued, want at most one OnPush (10ms)", d)
		}
		if r.e.DroppedPushes() == 0 {
			t.Fatal("DroppedPushes is 0 after closing on a queue of pushes")
		}
		close(r.rec.pushes)
		got := map[uint32]int{}
		for len(r.rec.ends) > 0 {
			e := <-r.rec.ends
			if e.typ != EctLocal || e.code != EctLocalReset {
				t.Fatalf("task %d ended (%d, %d), want the reset", e.id, e.typ, e.code)
			}
			got[e.id]++
		}
		for _, id := range ids {
			if got[id] != 1 {
				t.Fatalf("task %d ended %d times, want once (ends %v)", id, got[id], got)
			}
		}
	})
}
