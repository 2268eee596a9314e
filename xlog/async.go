package xlog

import (
	"sync/atomic"
	"time"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/internal/mmapbuf"
)

// asyncSeq is the process-wide async block counter that Mars shares between
// all appenders: 1..65535, skipping 0.
var asyncSeq atomic.Uint32

func nextSeq() uint16 {
	for {
		if s := uint16(asyncSeq.Add(1)); s != 0 {
			return s
		}
	}
}

// half is one half of the buffer: at most one block, at its start.
type half struct {
	mem   []byte // the region, cap == len == buffer size
	n     int    // bytes of the block in it; 0 = no block
	lines int    // lines in that block
}

// asyncBuffer is the double buffer. Fields below region are guarded by
// Logger.mu; the writer goroutine owns the pending half while pending is set.
type asyncBuffer struct {
	region *mmapbuf.Buffer
	// channels: log calls and Flush → writer
	wake     chan struct{}  // cap 1: a half is pending
	flushReq chan chan bool // cap 1: flush now; non-nil reply is closed when done
	quit     chan struct{}  // closed by Close
	done     chan struct{}  // closed by the writer when it exits

	halves    [2]half
	active    int           // half that log calls append to
	pending   bool          // halves[1-active] holds a finished block for the writer
	freed     chan struct{} // closed (and replaced) when pending is cleared
	dropped   uint64        // lines dropped since the last dropped-record
	urgent    bool          // a Fatal line waits in the active half
	threshold int           // fill level that hands a half to the writer
}

func newAsyncBuffer(region *mmapbuf.Buffer, size int) *asyncBuffer {
	a := &asyncBuffer{
		region:    region,
		wake:      make(chan struct{}, 1),
		flushReq:  make(chan chan bool, 1),
		quit:      make(chan struct{}),
		done:      make(chan struct{}),
		freed:     make(chan struct{}),
		threshold: flushThreshold(size),
	}
	mem := region.Bytes()
	a.halves[0].mem = mem[:size:size]
	a.halves[1].mem = mem[size : 2*size : 2*size]
	return a
}

// putOutcome is what one try of tryPutLocked did with a line.
type putOutcome int

const (
	putDone     putOutcome = iota // written (sync mode) or in the active half
	putHanded                     // in a half that was then handed to the writer
	putDropped                    // counted as dropped
	putMustWait                   // both halves full: wait for the writer, then try again
)

// tryPutLocked makes one try at writing line, with mu held (and still held
// on return). In async mode it appends to the active half, handing halves to
// the writer; when both are full it returns putMustWait with the channel
// that closes once the writer frees one (deadline is set on the first such
// try, from MaxBlockWait), or drops the line with NonBlocking. A line from
// the parallel path comes with its place and parse (parsed nil: write it as
// literals).
func (l *Logger) tryPutLocked(line []byte, now time.Time, place *block.Place, parsed *block.Parsed, urgent bool, deadline *time.Time) (putOutcome, <-chan struct{}, error) {
	if l.mode == Sync {
		return putDone, nil, l.putSyncLocked(line, now)
	}
	a := l.async
	for {
		if l.closed {
			return putDropped, nil, nil
		}
		if a.dropped > 0 && !a.pending {
			// The writer has caught up: say how many lines are missing.
			l.appendDroppedRecordLocked(now)
		}
		if l.appendLocked(line, now, place, parsed) == nil {
			break
		}
		if a.halves[a.active].lines == 0 {
			a.dropped++ // does not fit even an empty half
			return putDropped, nil, nil
		}
		if !a.pending {
			l.swapLocked(now)
			continue
		}
		if l.cfg.NonBlocking {
			a.dropped++
			return putDropped, nil, nil
		}
		if deadline.IsZero() {
			*deadline = time.Now().Add(l.cfg.MaxBlockWait)
			l.stats.blocked.Add(1)
		}
		return putMustWait, a.freed, nil
	}
	l.stats.written.Add(1)
	a.urgent = a.urgent || urgent
	if !a.pending && (a.urgent || a.halves[a.active].n >= a.threshold) {
		l.swapLocked(now)
		return putHanded, nil, nil
	}
	return putDone, nil, nil
}

// waitUntil waits for ch to close, giving up at deadline or when stop closes.
func waitUntil(ch, stop <-chan struct{}, deadline time.Time) bool {
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-stop:
		return false
	case <-t.C:
		return false
	}
}

// appendLocked adds line to the active half, starting a block if it has
// none; a line with a place goes through the builder's parsed path.
func (l *Logger) appendLocked(line []byte, now time.Time, place *block.Place, parsed *block.Parsed) error {
	h := &l.async.halves[l.async.active]
	if h.n == 0 {
		dst, err := l.builder.Start(h.mem[:0], nextSeq(), hour(now))
		if err != nil {
			return err
		}
		h.n = len(dst)
	}
	// The builder keeps room for the tail that Finish adds.
	var dst []byte
	var err error
	if place != nil {
		dst, err = l.builder.AppendParsed(h.mem[:h.n], *place, parsed)
	} else {
		dst, err = l.builder.AppendLine(h.mem[:h.n], line)
	}
	if err != nil {
		return err
	}
	h.n = len(dst)
	h.lines++
	return nil
}

// appendDroppedRecordLocked tells the reader how many lines are missing
// (STYLE (b)10). If even that does not fit, the count keeps growing.
func (l *Logger) appendDroppedRecordLocked(now time.Time) {
	var buf [256]byte
	rec := droppedRecord(l.pid, l.async.dropped, now)
	if l.appendLocked(appendRecord(buf[:0], &rec), now, nil, nil) == nil {
		l.async.dropped = 0
	}
}

// swapLocked finishes the active block, marks it pending and switches the
// log calls to the other half. The caller makes sure nothing is pending.
func (l *Logger) swapLocked(now time.Time) {
	a := l.async
	h := &a.halves[a.active]
	if h.lines == 0 {
		return // nothing worth a block yet
	}
	h.n = len(l.builder.Finish(h.mem[:h.n], hour(now)))
	a.urgent = false
	a.pending = true
	a.active = 1 - a.active
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// requestFlush asks a's writer to flush, and with wait waits until it has.
func requestFlush(a *asyncBuffer, wait bool) {
	if !wait {
		select {
		case a.flushReq <- nil:
		default: // a flush is already queued
		}
		return
	}
	reply := make(chan bool)
	select {
	case a.flushReq <- reply:
		select {
		case <-reply:
		case <-a.done:
		}
	case <-a.done:
	}
}

// stopWriter makes a's writer write everything out and exit, then zeroes
// and unmaps the buffer.
func stopWriter(a *asyncBuffer) error {
	close(a.quit)
	<-a.done
	for i := range a.halves {
		clear(a.halves[i].mem)
	}
	return a.region.Close()
}

// writerLoop is the writer goroutine: it owns the pending half and writes it
// to the file when woken, on Flush, every FlushInterval and at Close.
func (l *Logger) writerLoop(a *asyncBuffer) {
	defer close(a.done)
	timer := time.NewTimer(l.cfg.FlushInterval)
	defer timer.Stop()
	for {
		var reply chan bool
		force := true
		select {
		case <-a.wake:
			force = false
		case <-timer.C:
		case reply = <-a.flushReq:
		case <-a.quit:
			l.drain(a, true)
			return
		}
		l.drain(a, force)
		if reply != nil {
			close(reply)
		}
		timer.Reset(l.cfg.FlushInterval)
	}
}

// drain writes pending halves until none is left. With force, the active
// half is finished once even below the threshold, so that everything logged
// before the call reaches the file.
func (l *Logger) drain(a *asyncBuffer, force bool) {
	for {
		l.mu.Lock()
		act := &a.halves[a.active]
		if !a.pending && act.lines > 0 && (force || a.urgent || act.n >= a.threshold) {
			l.swapLocked(time.Now())
			force = false
		}
		if !a.pending {
			l.mu.Unlock()
			return
		}
		p := &a.halves[1-a.active]
		blk, lines := p.mem[:p.n], p.lines
		l.mu.Unlock()

		l.errs.report(l.writeBlock(blk, lines, time.Now()))
		clear(blk)

		l.mu.Lock()
		p.n, p.lines = 0, 0
		a.pending = false
		close(a.freed)
		a.freed = make(chan struct{})
		l.mu.Unlock()
	}
}
