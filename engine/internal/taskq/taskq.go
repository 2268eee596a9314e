// Package taskq is the engine's pending-task order: lower priority numbers
// first, first-in first-out within a priority, as Mars keeps its task lists
// stably sorted by priority (`priority`).
package taskq

// Levels is the number of priority levels: 0 (highest) to 5 (lowest).
const Levels = 6

// Queue is a bucketed priority FIFO of comparable items (usually pointers).
// It is not safe for concurrent use; the engine's owner goroutine holds it.
type Queue[T comparable] struct {
	buckets [Levels][]T
	n       int
}

// Clamp maps any priority onto 0..Levels-1.
func Clamp(priority int) int { return min(max(priority, 0), Levels-1) }

// Push appends v behind every item of the same or a higher priority.
func (q *Queue[T]) Push(priority int, v T) {
	p := Clamp(priority)
	q.buckets[p] = append(q.buckets[p], v)
	q.n++
}

// Len is the number of queued items.
func (q *Queue[T]) Len() int { return q.n }

// Remove deletes v and reports whether it was queued.
func (q *Queue[T]) Remove(v T) bool {
	for p := range q.buckets {
		b := q.buckets[p]
		for i := range b {
			if b[i] == v {
				var zero T
				copy(b[i:], b[i+1:])
				b[len(b)-1] = zero
				q.buckets[p] = b[:len(b)-1]
				q.n--
				return true
			}
		}
	}
	return false
}

// Filter visits every item in send order and keeps only those for which
// keep returns true, preserving their order. keep may push new items; they
// are kept and not visited in this pass.
func (q *Queue[T]) Filter(keep func(T) bool) {
	for p := range q.buckets {
		visit := len(q.buckets[p])
		kept := 0
		for i := 0; i < visit; i++ {
			v := q.buckets[p][i]
			if keep(v) {
				q.buckets[p][kept] = v
				kept++
			} else {
				q.n--
			}
		}
		b := q.buckets[p]
		tail := b[visit:] // items pushed by keep during this pass
		kept += copy(b[kept:], tail)
		var zero T
		for i := kept; i < len(b); i++ {
			b[i] = zero
		}
		q.buckets[p] = b[:kept]
	}
}

// Clear removes every item.
func (q *Queue[T]) Clear() {
	for p := range q.buckets {
		clear(q.buckets[p])
		q.buckets[p] = q.buckets[p][:0]
	}
	q.n = 0
}
