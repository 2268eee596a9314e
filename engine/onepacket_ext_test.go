package engine_test

import (
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/marsd"
)

// A server that takes a read for a packet (Mars's own Java sample does)
// answers the first packet of each read and drops the rest: marsd's
// one_per_read mode, on loopback.

func onePerReadMarsd(t *testing.T) *marsd.Server {
	t.Helper()
	return startMarsdWith(t, marsd.Config{Behavior: marsd.Behavior{OnePerRead: true}})
}

// The task that opens the connection is its first write, with no connect
// noop beside it, so such a server answers it.
func TestLoopbackTaskThatOpensTheLinkIsAnsweredByAOnePacketPerReadServer(t *testing.T) {
	srv := onePerReadMarsd(t)
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{}, cb)
	tk := longTask(e, 7)
	tk.RetryCount = 0
	if err := e.StartTask(tk); err != nil {
		t.Fatal(err)
	}
	wantOutcome(t, cb, outcome{tk.TaskID, engine.EctOK, 0})
	if st := srv.Stats(); st.DroppedBytes != 0 || st.Noops != 0 {
		t.Fatalf("server stats %+v: the task's write carried more than the task", st)
	}
}

// MaxInFlight 1 sends one request at a time, so every task of a burst is
// answered by a server that cannot pipeline.
func TestLoopbackMaxInFlightOneGetsEveryTaskThroughAOnePacketPerReadServer(t *testing.T) {
	srv := onePerReadMarsd(t)
	cb := newLoopCallbacks()
	e := startEngine(t, srv, engine.Config{MaxInFlight: 1}, cb)
	const n = 20
	want := map[uint32]bool{}
	for range n {
		tk := longTask(e, 7)
		tk.RetryCount = 0
		if err := e.StartTask(tk); err != nil {
			t.Fatal(err)
		}
		want[tk.TaskID] = true
	}
	for range n {
		select {
		case got := <-cb.ends:
			if !want[got.id] || got.typ != engine.EctOK {
				t.Fatalf("OnTaskEnd %+v, want one of the burst ending OK", got)
			}
			delete(want, got.id)
		case <-time.After(loopTimeout):
			t.Fatalf("%d tasks of the burst never ended", len(want))
		}
	}
	if st := srv.Stats(); st.DroppedBytes != 0 || st.Requests != n {
		t.Fatalf("server stats %+v, want %d requests each read alone", st, n)
	}
}
