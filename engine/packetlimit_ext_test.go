package engine_test

import (
	"testing"

	"github.com/mars-go/mars/engine"
)

// The packet limit holds both ways against marsd (whose own limit is
// 16 MiB): a request over the engine's limit never leaves, and raising the
// limit lets a reply over Mars's 1 MiB through.
func TestLoopbackPacketLimitHoldsBothWays(t *testing.T) {
	for _, c := range []struct {
		name    string
		limit   int
		body    int
		typ     engine.ErrType
		code    int
		request bool // marsd sees the request
	}{
		{"16 MiB request under the 1 MiB default", 0, 16 << 20, engine.EctLocal, engine.EctLocalPacketTooLarge, false},
		{"2 MiB echo under a 4 MiB limit", 4 << 20, 2 << 20, engine.EctOK, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := startMarsd(t)
			cb := newLoopCallbacks()
			cb.body = func(engine.TaskRef) []byte { return make([]byte, c.body) }
			e := startEngine(t, srv, engine.Config{MaxPacket: c.limit}, cb)
			e.MakesureLonglinkConnected()
			tk := longTask(e, 7)
			tk.RetryCount = 0
			if err := e.StartTask(tk); err != nil {
				t.Fatal(err)
			}
			wantOutcome(t, cb, outcome{tk.TaskID, c.typ, c.code})
			if got := srv.Stats().Requests == 1; got != c.request {
				t.Fatalf("marsd saw the request: %v, want %v", got, c.request)
			}
		})
	}
}
