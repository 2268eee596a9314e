//go:build !mars_xlog_only

package main

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/mars-go/mars/internal/goid"
)

// maxPollBatch bounds how many queued callbacks one mars_stn_poll runs, so
// that a busy engine cannot keep a poller inside one call forever.
const maxPollBatch = 1024

// pollQueue holds the notification callbacks of an engine created with
// mars_stn_config.poll_events: the library threads queue them and the
// host's own thread runs them in mars_stn_poll (where calls
// from foreign threads are costly, as for Python's ctypes, offer a poll API).
// Each entry is a closure over copies of the callback's arguments.
//
// Order and serialisation: runMu is held while a poller waits and runs, so
// notifications run one at a time, in the order they were queued, on
// whichever thread polls.
//
// Pushes are bounded: past pushBound bytes waiting for the poller, queueing
// another one waits (on the engine's host goroutine), so the engine's
// receive backlog fills and the long link stops reading its socket, as
// when a direct on_push is slow.
type pollQueue struct {
	runMu  sync.Mutex    // held by the one poller taking and running events
	poller atomic.Uint64 // goroutine id of the poller holding runMu, 0 when none

	mu        sync.Mutex
	events    []pollEvent
	closed    bool
	ready     chan struct{} // holds a token while events is non-empty or closed
	pushBound int           // bytes of queued pushes before pushEvent waits; <= 0: no bound
	pushBytes int           // bytes of the pushes queued now
	dropping  bool          // destroy began: pushes are dropped, not queued
	dropped   int           // pushes dropped so far
	room      chan struct{} // wakes a pushEvent waiting for the poller
}

// pollEvent is one queued notification; cost is a push's size, 0 for the
// others.
type pollEvent struct {
	run  func()
	cost int
}

func newPollQueue(pushBound int) *pollQueue {
	return &pollQueue{ready: make(chan struct{}, 1), room: make(chan struct{}, 1), pushBound: pushBound}
}

// push queues f; after close it is dropped (the engine is gone).
func (q *pollQueue) push(f func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.events = append(q.events, pollEvent{run: f})
	q.wake()
}

// pushEvent queues a push's callback of cost bytes, first waiting while the
// queued pushes are over the bound; once destroy began it drops it.
func (q *pollQueue) pushEvent(f func(), cost int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.pushBound > 0 && q.pushBytes >= q.pushBound && !q.dropping && !q.closed {
		q.mu.Unlock()
		<-q.room
		q.mu.Lock()
	}
	if q.dropping || q.closed {
		q.dropped++
		return
	}
	q.events = append(q.events, pollEvent{run: f, cost: cost})
	q.pushBytes += cost
	q.wake()
}

// dropPushes starts destroy: queued pushes are dropped, pushes a poller has
// taken but not run are skipped, and a waiting pushEvent returns, so the
// engine can close at once. It returns how many pushes were dropped so far.
func (q *pollQueue) dropPushes() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.dropping = true
	kept := q.events[:0]
	for _, ev := range q.events {
		if ev.cost > 0 {
			q.dropped++
			continue
		}
		kept = append(kept, ev)
	}
	clear(q.events[len(kept):])
	q.events, q.pushBytes = kept, 0
	q.signalRoom()
	return q.dropped
}

func (q *pollQueue) signalRoom() {
	select {
	case q.room <- struct{}{}:
	default:
	}
}

func (q *pollQueue) wake() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// poll waits up to timeout (0: not at all; negative: until an event or
// shutdown) for queued notifications and runs up to maxPollBatch of them on
// the calling thread, all of them once the engine is shut down. It returns
// how many ran.
func (q *pollQueue) poll(timeout time.Duration) int {
	q.runMu.Lock()
	defer q.runMu.Unlock()
	q.poller.Store(goid.ID())
	defer q.poller.Store(0)
	n := q.runEach(q.take(timeout))
	if q.isClosed() {
		n += q.drainLocked()
	}
	return n
}

// shutdown stops queueing and delivers what is left. A poller busy on
// another thread (running callbacks, or waiting and now woken) delivers it
// and shutdown waits for it, so no callback runs after destroy returns;
// destroy from inside a polled callback leaves it to that same poller.
func (q *pollQueue) shutdown() {
	q.mu.Lock()
	q.closed = true
	q.wake()
	q.signalRoom()
	q.mu.Unlock()
	if !q.runMu.TryLock() {
		if q.poller.Load() == goid.ID() {
			return // inside a polled callback: this poller goes on after it
		}
		q.runMu.Lock()
	}
	q.drainLocked()
	q.runMu.Unlock()
}

func (q *pollQueue) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// drainLocked runs everything queued; runMu is held.
func (q *pollQueue) drainLocked() int {
	n := 0
	for {
		b := q.grab()
		if len(b) == 0 {
			return n
		}
		n += q.runEach(b)
	}
}

// runEach runs batch in order and returns how many ran. Once destroy began
// the pushes left in it are dropped too: a poller that took a full batch
// just before destroy would otherwise hold on_push for up to maxPollBatch
// more pushes.
func (q *pollQueue) runEach(batch []pollEvent) int {
	n := 0
	for _, ev := range batch {
		if ev.cost > 0 && q.dropTaken() {
			continue
		}
		ev.run()
		n++
	}
	return n
}

// dropTaken reports whether destroy began, counting the taken push it drops.
func (q *pollQueue) dropTaken() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.dropping {
		q.dropped++
	}
	return q.dropping
}

// take removes up to maxPollBatch queued events, waiting up to timeout for
// the first one; it returns early, maybe empty, once the queue is closed.
func (q *pollQueue) take(timeout time.Duration) []pollEvent {
	if b := q.grab(); len(b) > 0 || timeout == 0 || q.isClosed() {
		return b
	}
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		deadline = t.C
	}
	for {
		select {
		case <-q.ready:
		case <-deadline:
			return q.grab()
		}
		if b := q.grab(); len(b) > 0 || q.isClosed() {
			return b
		}
	}
}

func (q *pollQueue) grab() []pollEvent {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(len(q.events), maxPollBatch)
	batch := q.events[:n:n]
	q.events = q.events[n:]
	taken := 0
	for _, ev := range batch {
		taken += ev.cost
	}
	if taken > 0 {
		q.pushBytes -= taken
		q.signalRoom()
	}
	if len(q.events) == 0 {
		q.events = nil
	} else {
		q.wake() // leave a token for the next poll
	}
	if q.closed {
		q.wake()
	}
	return batch
}
