// Package mailbox is an unbounded FIFO queue that many goroutines post to and
// one consumer at a time drains: the engine's inbox and host queue, and the
// C API's queue of notifications for mars_stn_poll.
//
// It never blocks a poster, so code running on the owner goroutine (a host
// callback calling back into the engine) can post without deadlocking. The mutex guards only the queue itself.
package mailbox

import "sync"

// Queue is an unbounded multi-producer, single-consumer FIFO.
// The zero value is not usable; call New.
type Queue[T any] struct {
	wake chan struct{} // one pending wake-up at most

	mu     sync.Mutex
	items  []T
	closed bool
}

// New returns an empty open queue.
func New[T any]() *Queue[T] {
	return &Queue[T]{wake: make(chan struct{}, 1)}
}

// Post appends v and wakes the consumer. It reports false, dropping v, once
// the queue is closed.
func (q *Queue[T]) Post(v T) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.wakeUp()
	return true
}

// wakeUp leaves one wake-up pending (at most one is ever pending).
func (q *Queue[T]) wakeUp() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Wake is readable when items may be waiting; the consumer then calls Drain.
func (q *Queue[T]) Wake() <-chan struct{} { return q.wake }

// Drain moves every queued item into buf (reusing its storage) and returns
// it. Passing the previous result back in keeps steady-state draining free
// of allocations.
func (q *Queue[T]) Drain(buf []T) []T {
	var zero T
	for i := range buf {
		buf[i] = zero // drop references held by the recycled buffer
	}
	buf = buf[:0]
	q.mu.Lock()
	buf, q.items = q.items, buf
	q.mu.Unlock()
	return buf
}

// TakeUpTo removes and returns up to n of the oldest items, for a consumer
// that bounds its batches. While items are left, or once the queue is shut,
// a wake-up stays pending, so the next wait on Wake returns at once.
func (q *Queue[T]) TakeUpTo(n int) []T {
	q.mu.Lock()
	n = min(len(q.items), n)
	batch := q.items[:n:n] // full slice: later posts cannot write into it
	q.items = q.items[n:]
	if len(q.items) == 0 {
		q.items = nil
	}
	pending := len(q.items) > 0 || q.closed
	q.mu.Unlock()
	if pending {
		q.wakeUp()
	}
	return batch
}

// Remove deletes the queued items drop reports true for, keeping the
// others in order, and returns how many it deleted.
func (q *Queue[T]) Remove(drop func(T) bool) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	kept := q.items[:0]
	for _, v := range q.items {
		if !drop(v) {
			kept = append(kept, v)
		}
	}
	removed := len(q.items) - len(kept)
	clear(q.items[len(kept):])
	q.items = kept
	return removed
}

// Shut makes later posts fail, as Close does, but leaves the queued items
// for the consumer to take, and wakes it so it sees the end.
func (q *Queue[T]) Shut() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wakeUp()
}

// Closed reports whether Shut or Close ran.
func (q *Queue[T]) Closed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// Close makes later posts fail and returns the items that were still queued.
func (q *Queue[T]) Close() []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	left := q.items
	q.items = nil
	return left
}
