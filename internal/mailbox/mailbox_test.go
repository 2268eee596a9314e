package mailbox

import (
	"sync"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDrainReturnsItemsInPostOrder(t *testing.T) {
	q := New[int]()
	for i := range 5 {
		q.Post(i)
	}
	<-q.Wake()
	got := q.Drain(nil)
	if len(got) != 5 {
		t.Fatalf("drained %d items, want 5", len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("item %d = %d, want %d", i, v, i)
		}
	}
	if again := q.Drain(got); len(again) != 0 {
		t.Fatalf("second drain got %d items, want 0", len(again))
	}
}

func TestPostFromManyGoroutinesLosesNothing(t *testing.T) {
	q := New[int]()
	var wg sync.WaitGroup
	const posters, each = 8, 1000
	for p := range posters {
		wg.Go(func() {
			for i := range each {
				q.Post(p*each + i)
			}
		})
	}
	seen := make(map[int]bool)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var buf []int
	for finished := false; !finished; {
		select {
		case <-q.Wake():
		case <-done:
			finished = true
		}
		buf = q.Drain(buf)
		for _, v := range buf {
			seen[v] = true
		}
	}
	if len(seen) != posters*each {
		t.Fatalf("saw %d distinct items, want %d", len(seen), posters*each)
	}
}

func TestPostAfterCloseIsRejected(t *testing.T) {
	q := New[string]()
	q.Post("a")
	left := q.Close()
	if len(left) != 1 || left[0] != "a" {
		t.Fatalf("Close returned %v, want [a]", left)
	}
	if q.Post("b") {
		t.Fatal("Post after Close reported success")
	}
}
