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

	deliverEnd func(*taskEnd) // a task end's callbacks, for every poller but pollEnds
}

// pollEvent is one queued notification: a callback to run, or a task's
// end kept as data (end non-nil), which mars_stn_poll_task_ends returns
// and everything else hands to deliverEnd. cost is a push's size, 0 for
// the others.
type pollEvent struct {
	run  func()
	end  *taskEnd
	cost int
}

func newPollQueue(pushBound int, deliverEnd func(*taskEnd)) *pollQueue {
	return &pollQueue{
		ready: make(chan struct{}, 1), room: make(chan struct{}, 1), pushBound: pushBound, deliverEnd: deliverEnd,
	}
}

// push queues f; after close it is dropped (the engine is gone).
func (q *pollQueue) push(f func()) { q.add(pollEvent{run: f}) }

// pushEnd queues a task's end; after close it is dropped.
func (q *pollQueue) pushEnd(e *taskEnd) { q.add(pollEvent{end: e}) }

func (q *pollQueue) add(ev pollEvent) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.events = append(q.events, ev)
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
	n := q.runEach(q.take(timeout, q.grab))
	if q.isClosed() {
		n += q.drainLocked()
	}
	return n
}

// pollEnds is poll for mars_stn_poll_task_ends: it runs the callbacks
// queued ahead of the first task end, then takes up to limit consecutive
// task ends and hands them to take, as data, instead of delivering them
// (if take returns false they are delivered after all). It stops at the
// first other event after an end, so the host handles every end before
// what was queued after it. Once the engine is shut down it delivers
// everything as poll does and takes nothing.
func (q *pollQueue) pollEnds(timeout time.Duration, limit int, take func([]pollEvent) bool) {
	q.runMu.Lock()
	defer q.runMu.Unlock()
	q.poller.Store(goid.ID())
	defer q.poller.Store(0)
	batch := q.take(timeout, func() []pollEvent { return q.grabPrefix(endsPrefix(limit)) })
	first := 0
	for first < len(batch) && batch[first].end == nil {
		first++
	}
	q.runEach(batch[:first])
	ends := batch[first:]
	if q.isClosed() { // destroy began, maybe from one of the callbacks just run
		q.runEach(ends)
		q.drainLocked()
		return
	}
	if len(ends) > 0 && !take(ends) {
		q.runEach(ends)
	}
}

// endsPrefix is how much of the queue pollEnds takes: the callbacks ahead
// of the first end (at most maxPollBatch), then up to limit ends in a row.
func endsPrefix(limit int) func([]pollEvent) int {
	return func(events []pollEvent) int {
		i := 0
		for i < len(events) && i < maxPollBatch && events[i].end == nil {
			i++
		}
		for n := 0; i < len(events) && n < limit && events[i].end != nil; n++ {
			i++
		}
		return i
	}
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
		if ev.end != nil {
			q.deliverEnd(ev.end)
		} else {
			ev.run()
		}
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

// take removes queued events with grab, waiting up to timeout for the
// first one; it returns early, maybe empty, once the queue is closed.
func (q *pollQueue) take(timeout time.Duration, grab func() []pollEvent) []pollEvent {
	if b := grab(); len(b) > 0 || timeout == 0 || q.isClosed() {
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
			return grab()
		}
		if b := grab(); len(b) > 0 || q.isClosed() {
			return b
		}
	}
}

// grab removes up to maxPollBatch queued events.
func (q *pollQueue) grab() []pollEvent {
	return q.grabPrefix(func(events []pollEvent) int { return min(len(events), maxPollBatch) })
}

// grabPrefix removes the first n(events) queued events.
func (q *pollQueue) grabPrefix(n func([]pollEvent) int) []pollEvent {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := n(q.events)
	batch := q.events[:k:k]
	q.events = q.events[k:]
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
