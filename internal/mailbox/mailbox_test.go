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

func TestTakeUpToBoundsTheBatchAndKeepsAWakeUpForTheRest(t *testing.T) {
	q := New[int]()
	for i := range 5 {
		q.Post(i)
	}
	<-q.Wake()
	first := q.TakeUpTo(3)
	if len(first) != 3 || first[0] != 0 || first[2] != 2 {
		t.Fatalf("first batch %v, want [0 1 2]", first)
	}
	q.Post(5) // must not land in the batch already taken
	if first[2] != 2 || cap(first) != 3 {
		t.Fatalf("a later post changed the taken batch: %v (cap %d)", first, cap(first))
	}
	select {
	case <-q.Wake():
	default:
		t.Fatal("items are left but no wake-up is pending")
	}
	if rest := q.TakeUpTo(10); len(rest) != 3 || rest[0] != 3 || rest[2] != 5 {
		t.Fatalf("second batch %v, want [3 4 5]", rest)
	}
	select {
	case <-q.Wake():
		t.Fatal("a wake-up is pending for an empty open queue")
	default:
	}
}

func TestRemoveKeepsTheOthersInOrder(t *testing.T) {
	q := New[int]()
	for i := range 6 {
		q.Post(i)
	}
	if n := q.Remove(func(v int) bool { return v%2 == 1 }); n != 3 {
		t.Fatalf("removed %d, want 3", n)
	}
	if got := q.Drain(nil); len(got) != 3 || got[0] != 0 || got[1] != 2 || got[2] != 4 {
		t.Fatalf("left %v, want [0 2 4]", got)
	}
}

func TestShutRefusesPostsButLeavesTheQueueToTake(t *testing.T) {
	q := New[int]()
	q.Post(1)
	<-q.Wake()
	q.Shut()
	if !q.Closed() {
		t.Fatal("Closed is false after Shut")
	}
	if q.Post(2) {
		t.Fatal("Post after Shut reported true")
	}
	<-q.Wake() // Shut wakes the consumer
	if got := q.TakeUpTo(10); len(got) != 1 || got[0] != 1 {
		t.Fatalf("took %v after Shut, want [1]", got)
	}
	select {
	case <-q.Wake(): // a shut queue keeps waking its consumer
	default:
		t.Fatal("no wake-up pending on a shut queue")
	}
}
