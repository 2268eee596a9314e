package xlog

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/format"
)

// The parallel path (zlib, the default and Mars's codec).
//
// Compressing a line under the logger's lock made threads that log at once
// take turns, and every turn moved the compressor's tables to another core:
// two threads wrote 35 % fewer lines a second than one. Here a log call
// takes a ticket and a place for its line in a shared text (a short lock),
// finds the line's matches on one of several parsers while other threads
// find theirs, and the lines are then written to the buffer in ticket
// order under mu, which now covers only writing the codes. A call returns
// once its own line is in the buffer, as before, so a returned line is
// crash-safe, and the file keeps the order in which calls took tickets.
//
// Whoever holds mu writes every line that is ready, its own and others'.
// A call whose line waits behind one still being parsed spins briefly;
// if the parse does not finish (its thread was descheduled), the line is
// parsed again on a free parser, or written as literals if none is free
// (stolen), so that no thread waits on another's time slice.
//
// LZ4 and zstd take the same tickets and slots but have no parsers: their
// lines are compressed whole, by whoever holds mu (combining). Under one
// lock, each thread compressed its own line, so the compressor's tables
// moved to another core at almost every line, and a thread that found the
// lock held parked. Here the holder writes every line that is ready, its
// own and the others', so the tables stay on one core; the others spin
// meanwhile, as on the zlib path.
//
// Combining alone still let the holder change at almost every line when
// two threads log at once: whichever came back first took mu, and the
// match finder's tables (about 450 KB) moved to its core, which made the
// search 44 % slower than on one thread. So a thread that finds another
// thread wrote lines within the last yieldWindow leaves its line in a slot
// and waits up to yieldSpins for that holder to come back and write it;
// only then does it take mu itself (and becomes the holder).

// testBeforeParse, when set by a test, runs between a line's ticket and
// its parse.
var testBeforeParse func(line []byte)

// pipeSlots bounds the lines in flight; a log call beyond that waits for
// a slot.
const pipeSlots = 256

// stealSpins is how many times a call checks for the line ahead of its own
// before it steals that line: a few microseconds, several parses.
const stealSpins = 4000

// combineQuantum bounds the lines one holder of mu writes in a row (LZ4,
// zstd): threads that log again at once can keep lines ready for ever, and
// the holder's own caller waits meanwhile (for zstd, about 3 µs a line).
const combineQuantum = 64

// Spinning pays only while the thread spun for can run: with more threads
// waiting than Ps, the extra spinners took turns on the cores with the
// holder they waited for (four zstd threads on two cores: about 20 % more
// CPU than with the extra waiters parked, for about as many lines a
// second). So of the combining calls in awaitWritten (the holder is
// usually one), at most spinners (GOMAXPROCS) spin; the others block on mu
// at once, as sync.Mutex's own spin limit would have them. zlib's calls
// wait mostly for parses running on other threads, and keep spinning.

// yieldWindow and yieldSpins: a thread leaves its LZ4 or zstd line to the
// thread that wrote lines less than yieldWindow ago, and waits for it for
// yieldSpins checks (some microseconds) before it writes the line itself.
// A thread that logs alone is its own holder and never waits.
const yieldWindow = 20 * time.Microsecond

var yieldSpins = 3000 // a variable for tests

// Slot states.
const (
	slotFree     uint32 = iota
	slotReserved        // has a place, being parsed
	slotParsed          // parsed, waiting to be written
	slotStolen          // taken from its caller, whose parse came too late (parseStolen)
	slotDone            // written, dropped or refused; out and err are set
)

// Fields that different threads write are kept on cache lines of their
// own (pad): sharing one made every log call wait for it to move.
type pipeline struct {
	resMu sync.Mutex // orders tickets and places
	text  block.Text // under resMu
	next  uint64     // next ticket; under resMu
	_     pad

	head    atomic.Uint64 // next ticket to write; stored under Logger.mu
	holder  atomic.Int64  // LZ4, zstd: hint of the thread that last wrote under Logger.mu
	heldAt  atomic.Int64  // the time of the last line it wrote (UnixNano)
	waiting atomic.Int32  // LZ4, zstd: calls in awaitWritten
	_       pad

	slots   [pipeSlots]pipeSlot
	parsers []parserSlot // nil: LZ4 and zstd (combining only)
	newP    func() *block.Parser
	// spinners is GOMAXPROCS. Above 1 a waiting call may spin, since the
	// thread it waits for can run meanwhile; LZ4 and zstd calls do so only
	// while at most spinners of them wait.
	spinners int32

	stolen       block.Parsed // under Logger.mu: the stolen head's parse
	stolenTicket uint64       // its ticket + 1; 0: none
	alone        block.Parsed // under Logger.mu: putAlone's parse
}

type pad [128]byte

type pipeSlot struct {
	state    atomic.Uint32
	ticket   atomic.Uint64 // stored before state leaves slotFree
	place    block.Place   // zlib: the line in the shared text
	parsed   block.Parsed
	line     []byte // LZ4, zstd: the caller's line, which lives until it returns
	now      time.Time
	urgent   bool
	deadline time.Time // under Logger.mu: when a line that waits for room is dropped
	out      putOutcome
	err      error
	_        pad
}

type parserSlot struct {
	mu sync.Mutex
	p  *block.Parser // made at first use
	_  [48]byte      // keep parsers' locks off each other's cache lines
}

// newPipeline makes the parallel path for zlib and the combining one for
// LZ4 and zstd, which have no parsers. An LZ4 parse is too cheap to gain
// from running at once: the hand-offs cost more (one thread 12 % slower,
// four 6 % slower than one). zstd's repeat offsets and entropy tables carry
// from line to line, so parsers guess them: in parallel zstd came out
// 1.5–8 % larger and no faster.
func newPipeline(b *block.Builder, c Compression) *pipeline {
	procs := runtime.GOMAXPROCS(0) // takes the scheduler's lock: not per line
	pp := &pipeline{spinners: int32(procs)}
	if c != Zlib {
		return pp
	}
	pp.newP = b.Parsers()
	pp.parsers = make([]parserSlot, min(max(2, 2*procs), 8))
	pp.text.InUse = pp.inUse
	return pp
}

// inUse reports whether a line of generation gen is in flight; under resMu.
func (pp *pipeline) inUse(gen uint64) bool {
	for i := range pp.slots {
		s := &pp.slots[i]
		if s.state.Load() != slotFree && s.place.Gen == gen {
			return true
		}
	}
	return false
}

// put writes one line in the current mode, through the pipeline: it takes
// and releases mu itself, and reports errors, drops and waits outside it.
// hint (the thread id) picks the parser a thread keeps using while it is
// free.
func (l *Logger) put(line []byte, now time.Time, urgent bool, hint int) {
	pp := l.pipe
	yield := pp.yields(hint, now)
	if !yield {
		if out, err, ok := l.putAlone(pp, line, now, urgent, hint); ok {
			l.finishPut(out, err)
			return
		}
	}
	s := pp.reserve(line, now, urgent)
	if pp.parsers != nil {
		if testBeforeParse != nil {
			testBeforeParse(line)
		}
		ps := pp.parser(hint)
		ps.p.Parse(s.place, l.builder.Floor(), &s.parsed)
		ps.mu.Unlock()
		s.state.CompareAndSwap(slotReserved, slotParsed) // fails when stolen
	}
	l.awaitWritten(pp, s, hint, yield)

	out, err := s.out, s.err
	s.line = nil
	s.state.Store(slotFree)
	l.finishPut(out, err)
}

// yields reports whether a call of thread hint should leave its line to
// the thread that is writing lines (combining only; see yieldWindow).
// Lines' times are the callers' (threads' clocks differ by a little; a Go
// caller may set any time), so the gap counts either way.
func (pp *pipeline) yields(hint int, now time.Time) bool {
	if pp.parsers != nil || !pp.spins() || pp.holder.Load() == int64(hint) {
		return false
	}
	gap := now.UnixNano() - pp.heldAt.Load()
	return -int64(yieldWindow) < gap && gap < int64(yieldWindow)
}

// held records that thread hint wrote a line of time now; with Logger.mu
// held.
func (pp *pipeline) held(hint int, now time.Time) {
	if pp.parsers == nil {
		pp.holder.Store(int64(hint))
		pp.heldAt.Store(now.UnixNano())
	}
}

func (l *Logger) finishPut(out putOutcome, err error) {
	l.errs.report(err)
	switch out {
	case putDropped:
		l.stats.dropped.Add(1)
	case putHanded:
		// Let the writer, just woken on this P, run now rather than after
		// this goroutine's time slice (up to 10 ms, in which busy loggers
		// can fill the other half). Once per block, so it costs nothing.
		runtime.Gosched()
	}
}

// putAlone writes line in one go, under mu, when no other line is in
// flight and it cannot have to wait for room: a lone thread pays for no
// slot or hand-off. ok false: the line must take the pipeline.
func (l *Logger) putAlone(pp *pipeline, line []byte, now time.Time, urgent bool, hint int) (out putOutcome, err error, ok bool) {
	if !l.mu.TryLock() {
		return 0, nil, false
	}
	if !l.roomLocked(len(line)) {
		l.mu.Unlock()
		return 0, nil, false
	}
	pp.resMu.Lock() // after mu; the pipeline takes it alone
	if pp.next != pp.head.Load() {
		pp.resMu.Unlock()
		l.mu.Unlock()
		return 0, nil, false
	}
	pp.next++
	var place *block.Place // LZ4, zstd: nil, the line is compressed whole
	var parsed *block.Parsed
	if pp.parsers != nil {
		p := pp.text.Reserve(line)
		place = &p
	}
	pp.resMu.Unlock() // lines after this one are parsed meanwhile, written after it
	if place != nil {
		ps := pp.parser(hint)
		ps.p.Parse(*place, l.builder.Floor(), &pp.alone)
		ps.mu.Unlock()
		parsed = &pp.alone
	}
	var deadline time.Time
	out, _, err = l.tryPutLocked(line, now, place, parsed, urgent, &deadline)
	pp.head.Add(1)
	pp.held(hint, now)
	if pp.parsers == nil {
		// Lines that came meanwhile are written by this thread, whose core
		// holds the compressor's tables.
		l.writeReadyLocked(pp, false)
	}
	l.mu.Unlock()
	return out, err, true
}

// roomLocked reports whether a line of n bytes is sure to be written (or
// dropped) without waiting for the writer to free a half.
func (l *Logger) roomLocked(n int) bool {
	a := l.async
	if l.mode != Async || l.closed || a == nil || !a.pending {
		return true
	}
	h := &a.halves[a.active]
	return len(h.mem)-h.n >= l.builder.MaxAppend(n)+format.BlockOverhead
}

// reserve takes the next ticket's slot and a place for line.
func (pp *pipeline) reserve(line []byte, now time.Time, urgent bool) *pipeSlot {
	pp.resMu.Lock()
	s := &pp.slots[pp.next%pipeSlots]
	for s.state.Load() != slotFree {
		// pipeSlots lines in flight: wait for the oldest caller to return.
		pp.resMu.Unlock()
		runtime.Gosched()
		pp.resMu.Lock()
		s = &pp.slots[pp.next%pipeSlots]
	}
	s.ticket.Store(pp.next)
	pp.next++
	s.now, s.urgent, s.deadline = now, urgent, time.Time{}
	if pp.parsers == nil {
		s.line = line
		s.state.Store(slotParsed) // nothing to parse: ready to write
	} else {
		s.place = pp.text.Reserve(line)
		s.state.Store(slotReserved)
	}
	pp.resMu.Unlock()
	return s
}

// parser locks a parser, trying hint's first and waiting for it when all
// are busy.
func (pp *pipeline) parser(hint int) *parserSlot {
	if ps := pp.freeParser(hint); ps != nil {
		return ps
	}
	ps := &pp.parsers[uint(hint)%uint(len(pp.parsers))]
	ps.mu.Lock()
	return pp.made(ps)
}

// freeParser locks a free parser, trying hint's first; nil if none is free.
func (pp *pipeline) freeParser(hint int) *parserSlot {
	n := uint(len(pp.parsers))
	for i := range n {
		if ps := &pp.parsers[(uint(hint)+i)%n]; ps.mu.TryLock() {
			return pp.made(ps)
		}
	}
	return nil
}

// made gives the locked ps its parser at first use.
func (pp *pipeline) made(ps *parserSlot) *parserSlot {
	if ps.p == nil {
		ps.p = pp.newP()
	}
	return ps
}

// parseStolen parses the stolen line at ticket t on a free parser, if
// there is one (else it is written as literals: nil); with Logger.mu held.
func (pp *pipeline) parseStolen(s *pipeSlot, t uint64, floor uint64) *block.Parsed {
	ps := pp.freeParser(0)
	if ps == nil {
		return nil
	}
	ps.p.Parse(s.place, floor, &pp.stolen)
	ps.mu.Unlock()
	pp.stolenTicket = t + 1
	return &pp.stolen
}

// awaitWritten returns once s is done. It writes the lines at the head
// itself when they are ready and mu is free; while another thread holds mu
// (it writes every ready line, likely this one too) or the head is still
// being parsed, it spins rather than sleeps: waking a parked thread costs
// more than writing a line. A head that stays unparsed is stolen. With
// yield, it first leaves ready lines to the holder for yieldSpins checks.
// A combining call beyond the spinners blocks on mu instead.
func (l *Logger) awaitWritten(pp *pipeline, s *pipeSlot, hint int, yield bool) {
	spin := pp.spins()
	if spin && pp.parsers == nil {
		spin = pp.enterWait()
		yield = yield && spin
		defer pp.waiting.Add(-1)
	}
	for spins, yielded := 0, 0; s.state.Load() != slotDone; {
		ready := pp.headReady()
		if !ready && spin && spins < stealSpins {
			spins++
			continue
		}
		if ready && yield && yielded < yieldSpins && pp.holder.Load() != int64(hint) {
			yielded++
			continue
		}
		if !l.mu.TryLock() {
			if spin && spins < stealSpins {
				spins++
				continue
			}
			l.mu.Lock()
		}
		head := pp.head.Load()
		freed, deadline, full := l.writeReadyLocked(pp, !ready)
		if pp.head.Load() != head {
			pp.held(hint, s.now)
		}
		var stop <-chan struct{}
		if l.async != nil {
			stop = l.async.done
		}
		l.mu.Unlock()
		spins = 0
		if full && s.state.Load() != slotDone {
			waitUntil(freed, stop, deadline)
		}
	}
}

// spins reports whether waiting calls may spin at all (GOMAXPROCS > 1).
func (pp *pipeline) spins() bool { return pp.spinners > 1 }

// enterWait counts a combining call that is about to wait and reports
// whether it may spin: whether at most spinners calls wait, itself
// included. The caller undoes the count when it returns.
func (pp *pipeline) enterWait() bool {
	return pp.waiting.Add(1) <= pp.spinners
}

// headReady reports whether the line at the head is in its slot and
// parsed (or stolen). A line that putAlone writes has no slot: its slot
// may hold an older line still or, past pipeSlots tickets, a newer one.
func (pp *pipeline) headReady() bool {
	t := pp.head.Load()
	s := &pp.slots[t%pipeSlots]
	if s.ticket.Load() != t { // then its state is t's: t is not written yet
		return false
	}
	st := s.state.Load()
	return st == slotParsed || st == slotStolen
}

// writeReadyLocked writes the lines at the head in ticket order while they
// are parsed (with steal, the first even if not), with mu held. It stops at
// a line still being parsed, or at one that must wait for room (full, with
// the channel that closes when the writer frees a half and the line's
// deadline); LZ4 and zstd also after combineQuantum lines.
func (l *Logger) writeReadyLocked(pp *pipeline, steal bool) (freed <-chan struct{}, deadline time.Time, full bool) {
	combine := pp.parsers == nil
	for written := 0; !combine || written < combineQuantum; written++ {
		t := pp.head.Load()
		s := &pp.slots[t%pipeSlots]
		var parsed *block.Parsed
		if s.ticket.Load() != t {
			return nil, time.Time{}, false // written by putAlone, or not reserved yet
		}
		st := s.state.Load()
		switch {
		case st == slotParsed && combine:
			// compressed whole: no parse
		case st == slotParsed:
			parsed = &s.parsed
		case st == slotStolen:
			if pp.stolenTicket == t+1 {
				parsed = &pp.stolen
			}
		case st == slotReserved && steal && s.state.CompareAndSwap(slotReserved, slotStolen):
			parsed = pp.parseStolen(s, t, l.builder.Floor())
		default:
			return nil, time.Time{}, false
		}
		steal = false
		line, place := s.line, (*block.Place)(nil) // LZ4, zstd: compressed whole
		if !combine {
			line, place = s.place.Line(), &s.place
		}
		out, fr, err := l.tryPutLocked(line, s.now, place, parsed, s.urgent, &s.deadline)
		if out == putMustWait {
			if time.Now().Before(s.deadline) {
				return fr, s.deadline, true
			}
			l.async.dropped++
			out = putDropped
		}
		s.out, s.err = out, err
		pp.head.Store(t + 1)
		s.state.Store(slotDone)
	}
	return nil, time.Time{}, false // a quantum written: spinning threads take over
}
