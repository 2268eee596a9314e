//go:build !mars_xlog_only

package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/mars-go/mars/engine"
)

// endLog is a pollQueue whose events write to one log: "cN" for callback
// N, "dN" for end N handed to deliverEnd, "tN" for end N taken as data.
type endLog struct {
	q   *pollQueue
	log []string
}

func newEndLog() *endLog {
	l := &endLog{}
	l.q = newPollQueue(0, func(e *taskEnd) { l.log = append(l.log, fmt.Sprint("d", e.ref.TaskID)) })
	return l
}

func (l *endLog) callback(n int) {
	l.q.push(func() { l.log = append(l.log, fmt.Sprint("c", n)) })
}

func (l *endLog) end(id uint32) {
	l.q.pushEnd(&taskEnd{ref: engine.TaskRef{TaskID: id}})
}

// pollEnds polls once, taking (take true) or refusing what it is offered.
func (l *endLog) pollEnds(limit int, take bool) {
	l.q.pollEnds(0, limit, func(ends []pollEvent) bool {
		if take {
			for _, ev := range ends {
				l.log = append(l.log, fmt.Sprint("t", ev.end.ref.TaskID))
			}
		}
		return take
	})
}

func (l *endLog) want(t *testing.T, want string) {
	t.Helper()
	if got := strings.Join(l.log, " "); got != want {
		t.Fatalf("log %q, want %q", got, want)
	}
}

// The callbacks ahead of the first end run, the ends in a row after them
// are taken, and the poll stops at the next callback: nothing queued after
// an end is seen before it.
func TestPollEndsStopsAtTheFirstCallbackAfterAnEnd(t *testing.T) {
	l := newEndLog()
	l.callback(1)
	l.end(1)
	l.end(2)
	l.callback(2)
	l.end(3)
	l.pollEnds(10, true)
	l.want(t, "c1 t1 t2")
	l.pollEnds(10, true)
	l.want(t, "c1 t1 t2 c2 t3")
	l.pollEnds(10, true)
	l.want(t, "c1 t1 t2 c2 t3")
}

func TestPollEndsTakesAtMostLimitEnds(t *testing.T) {
	l := newEndLog()
	for id := range uint32(5) {
		l.end(id + 1)
	}
	l.pollEnds(2, true)
	l.want(t, "t1 t2")
	l.pollEnds(2, true)
	l.pollEnds(2, true)
	l.want(t, "t1 t2 t3 t4 t5")
}

// poll hands ends to the callbacks, in order with the other events, so
// the two pollers can be mixed and each end is delivered once.
func TestPollDeliversEndsAndMixesWithPollEnds(t *testing.T) {
	l := newEndLog()
	l.end(1)
	l.callback(1)
	l.end(2)
	l.end(3)
	if n := l.q.poll(0); n != 4 {
		t.Fatalf("poll ran %d, want 4", n)
	}
	l.end(4)
	l.pollEnds(10, true)
	l.want(t, "d1 c1 d2 d3 t4")
}

// Ends the caller could not take (the block's malloc failed) are delivered
// to the callbacks instead, not lost.
func TestPollEndsRefusedAreDelivered(t *testing.T) {
	l := newEndLog()
	l.end(1)
	l.end(2)
	l.pollEnds(10, false)
	l.want(t, "d1 d2")
	if n := l.q.poll(0); n != 0 {
		t.Fatalf("a refused end was left queued (%d ran)", n)
	}
}

// Destroy from a callback run by pollEnds (mars_stn_destroy inside a
// polled callback): the ends after it go to the callbacks, as with poll.
func TestPollEndsAfterShutdownDeliversEverything(t *testing.T) {
	l := newEndLog()
	l.q.push(func() { l.log = append(l.log, "shutdown"); l.q.shutdown() })
	l.end(1)
	l.pollEnds(10, true)
	l.want(t, "shutdown d1")
}

// A pollEnds waiting when destroy starts wakes and delivers what is
// queued, taking nothing.
func TestPollEndsWaitingAtShutdownDelivers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newEndLog()
		taken := make(chan []uint32, 1)
		go func() {
			var got []uint32
			l.q.pollEnds(-1, 10, func(ends []pollEvent) bool {
				for _, ev := range ends {
					got = append(got, ev.end.ref.TaskID)
				}
				return true
			})
			taken <- got
		}()
		synctest.Wait() // waiting, holding runMu
		l.q.mu.Lock()
		l.q.events = append(l.q.events, pollEvent{end: &taskEnd{ref: engine.TaskRef{TaskID: 7}}})
		l.q.mu.Unlock() // queued without a wake-up: only shutdown wakes the poller
		l.q.shutdown()
		if got := <-taken; len(got) != 0 {
			t.Fatalf("took %v after shutdown", got)
		}
		if !slices.Equal(l.log, []string{"d7"}) {
			t.Fatalf("log %v, want [d7]", l.log)
		}
	})
}

// mars_stn_poll_task_ends writes each profile into malloc'd memory, so
// fillProfile must set every byte even for a nil profile.
func TestFillProfileNilSetsEveryByte(t *testing.T) {
	if n := testNilProfileResidue(); n != 0 {
		t.Fatalf("a nil profile left %d bytes of the C struct unset", n)
	}
}
