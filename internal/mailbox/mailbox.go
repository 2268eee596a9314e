// Package mailbox is the engine's inbox: an unbounded FIFO queue that many
// goroutines post to and one owner goroutine drains.
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
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
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

// Close makes later posts fail and returns the items that were still queued.
func (q *Queue[T]) Close() []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	left := q.items
	q.items = nil
	return left
}
