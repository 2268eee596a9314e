//go:build !mars_xlog_only

package main

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestPollQueueRunsInOrderOnThePoller(t *testing.T) {
	q := newPollQueue(0, nil)
	var got []int
	for i := range 3 {
		q.push(func() { got = append(got, i) })
	}
	if n := q.poll(0); n != 3 {
		t.Fatalf("poll ran %d, want 3", n)
	}
	if len(got) != 3 || got[0] != 0 || got[2] != 2 {
		t.Fatalf("ran %v, want [0 1 2]", got)
	}
	if n := q.poll(0); n != 0 {
		t.Fatalf("empty poll ran %d", n)
	}
}

func TestPollQueueWaitsForTheFirstEventOrTheTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := newPollQueue(0, nil)
		start := time.Now()
		if n := q.poll(50 * time.Millisecond); n != 0 {
			t.Fatalf("poll ran %d with nothing queued", n)
		}
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Fatalf("poll returned after %v, want 50ms", d)
		}
		go func() {
			time.Sleep(10 * time.Millisecond)
			q.push(func() {})
		}()
		start = time.Now()
		if n := q.poll(-1); n != 1 {
			t.Fatalf("poll ran %d, want 1", n)
		}
		if d := time.Since(start); d != 10*time.Millisecond {
			t.Fatalf("poll returned after %v, want 10ms", d)
		}
	})
}

func TestPollQueueShutdownWakesAWaitingPollerAndDelivers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := newPollQueue(0, nil)
		ran := make(chan int, 1)
		go func() { ran <- q.poll(-1) }()
		synctest.Wait() // the poller is waiting and holds runMu
		q.push(func() {})
		q.push(func() {})
		q.shutdown()
		if n := <-ran; n != 2 {
			t.Fatalf("waiting poller ran %d, want 2", n)
		}
		q.push(func() { t.Error("event queued after shutdown ran") })
		if n := q.poll(-1); n != 0 {
			t.Fatalf("poll after shutdown ran %d", n)
		}
	})
}

func TestPollQueueShutdownWithoutPollerDeliversItself(t *testing.T) {
	q := newPollQueue(0, nil)
	ran := 0
	q.push(func() { ran++ })
	q.shutdown()
	if ran != 1 {
		t.Fatalf("shutdown delivered %d, want 1", ran)
	}
}

func TestPollQueueBatchesAreBounded(t *testing.T) {
	q := newPollQueue(0, nil)
	for range maxPollBatch + 5 {
		q.push(func() {})
	}
	if n := q.poll(0); n != maxPollBatch {
		t.Fatalf("first poll ran %d, want %d", n, maxPollBatch)
	}
	if n := q.poll(0); n != 5 {
		t.Fatalf("second poll ran %d, want 5", n)
	}
}

// Queued pushes are bounded: the pusher (the engine's host goroutine) waits
// past the bound until the poller takes some, so the engine stops reading.
func TestPollQueuePushesWaitPastTheBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := newPollQueue(100, nil)
		queued := make(chan int, 10)
		go func() {
			for i := range 3 {
				q.pushEvent(func() {}, 60)
				queued <- i
			}
		}()
		synctest.Wait()
		if n := len(queued); n != 2 {
			t.Fatalf("%d pushes of 60 bytes queued under a bound of 100, want 2", n)
		}
		if n := q.poll(0); n != 2 {
			t.Fatalf("poll ran %d, want 2", n)
		}
		synctest.Wait()
		if n := len(queued); n != 3 {
			t.Fatalf("%d pushes queued after the poller took two, want 3", n)
		}
	})
}

// Destroy drops the queued pushes and frees a waiting pusher at once; the
// other notifications (task ends) are still delivered.
func TestPollQueueDropPushesFreesTheWaitingPusher(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := newPollQueue(100, nil)
		q.pushEvent(func() { t.Error("a dropped push ran") }, 100)
		ends := 0
		q.push(func() { ends++ })
		done := make(chan struct{})
		go func() {
			q.pushEvent(func() { t.Error("a dropped push ran") }, 100)
			close(done)
		}()
		synctest.Wait()
		if n := q.dropPushes(); n != 1 {
			t.Fatalf("dropPushes dropped %d queued, want 1", n)
		}
		<-done
		q.shutdown()
		if ends != 1 {
			t.Fatalf("task-end notification ran %d times, want 1", ends)
		}
		if q.dropped != 2 {
			t.Fatalf("dropped %d pushes, want 2", q.dropped)
		}
	})
}

// A poller that took a batch of pushes before destroy began runs none of the
// rest once it began (each would hold the host for a whole on_push); the
// other notifications in the batch still run.
func TestPollQueueDropPushesSkipsTheRestOfATakenBatch(t *testing.T) {
	q := newPollQueue(0, nil)
	pushes, ends := 0, 0
	q.pushEvent(func() { pushes++; q.dropPushes() }, 10) // destroy begins during this on_push
	q.pushEvent(func() { pushes++ }, 10)
	q.push(func() { ends++ })
	q.pushEvent(func() { pushes++ }, 10)
	if n := q.poll(0); n != 2 {
		t.Fatalf("poll ran %d, want 2 (the first push and the task end)", n)
	}
	if pushes != 1 || ends != 1 {
		t.Fatalf("ran %d pushes and %d task ends, want 1 and 1", pushes, ends)
	}
	if q.dropped != 2 {
		t.Fatalf("dropped %d pushes, want 2", q.dropped)
	}
}

// Destroy waits for a poller busy on another thread, so no notification
// runs after it returns; destroy from inside a polled callback does not
// wait for itself.
func TestPollQueueShutdownWaitsForAPollerElsewhere(t *testing.T) {
	q := newPollQueue(0, nil)
	done := make(chan struct{})
	lateRun := false
	// The poller's first callback returns once shutdown has closed the
	// queue (shutdown signals room then); the task end queued behind it
	// must still run before shutdown returns.
	started := make(chan struct{})
	q.push(func() { close(started); <-q.room })
	q.push(func() {
		select {
		case <-done:
			lateRun = true
		default:
		}
	})
	polled := make(chan int)
	go func() { polled <- q.poll(-1) }()
	<-started // the poller holds the batch
	q.shutdown()
	close(done)
	if n := <-polled; n != 2 {
		t.Fatalf("poller ran %d notifications, want 2", n)
	}
	if lateRun {
		t.Fatal("a notification ran after shutdown returned")
	}

	q2 := newPollQueue(0, nil)
	q2.push(func() { q2.shutdown() }) // destroy from a polled callback
	if n := q2.poll(0); n != 1 {
		t.Fatalf("poll ran %d, want 1", n)
	}
}
