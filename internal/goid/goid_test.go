package goid

import "testing"

func TestIDIsStablePerGoroutineAndDiffersAcrossThem(t *testing.T) {
	a, b := ID(), ID()
	if a == 0 || a != b {
		t.Fatalf("ID() = %d then %d on one goroutine, want the same non-zero id", a, b)
	}
	other := make(chan uint64)
	go func() { other <- ID() }()
	if o := <-other; o == a || o == 0 {
		t.Fatalf("another goroutine's id %d, this one's %d", o, a)
	}
}
