package xlog

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mars-go/mars/xlog/crypt"
)

// pipelineModes are the configurations of the parallel path (zlib), and
// LZ4 and zstd, which keep the single lock.
func pipelineModes(t *testing.T) []struct {
	name string
	cfg  Config
	keys crypt.PrivateKeys
} {
	hpkePriv, hpkePub, err := crypt.GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	return []struct {
		name string
		cfg  Config
		keys crypt.PrivateKeys
	}{
		{"zlib", Config{}, crypt.PrivateKeys{}},
		{"zlib-mars-key", Config{PublicKey: marsPub}, crypt.PrivateKeys{Mars: marsPriv}},
		{"zlib-hpke", Config{PublicKey: hpkePub}, crypt.PrivateKeys{HPKE: hpkePriv}},
		{"lz4", Config{Compression: LZ4}, crypt.PrivateKeys{}},
		{"lz4-hpke", Config{Compression: LZ4, PublicKey: hpkePub}, crypt.PrivateKeys{HPKE: hpkePriv}},
		{"zstd", Config{Compression: Zstd}, crypt.PrivateKeys{}},
		{"zstd-mars-key", Config{Compression: Zstd, PublicKey: marsPub}, crypt.PrivateKeys{Mars: marsPriv}},
	}
}

// openIn opens cfg's logger in a new directory.
func openIn(t *testing.T, cfg Config) (*Logger, string) {
	t.Helper()
	cfg.LogDir, cfg.MaxBlockWait = t.TempDir(), testBlockWait
	l, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l, cfg.LogDir
}

// closeAndRead closes l and returns the messages with tag in dir.
func closeAndRead(t *testing.T, l *Logger, dir, tag string, keys crypt.PrivateKeys) []string {
	t.Helper()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return decodeDir(t, dir, keys).messages(tag)
}

// forParallelModes runs f on a fresh logger in each mode of the parallel
// path.
func forParallelModes(t *testing.T, f func(t *testing.T, l *Logger, cfg Config, keys crypt.PrivateKeys)) {
	for _, m := range pipelineModes(t) {
		if m.cfg.Compression != Zlib {
			continue
		}
		t.Run(m.name, func(t *testing.T) {
			l, dir := openIn(t, m.cfg)
			cfg := m.cfg
			cfg.LogDir = dir
			f(t, l, cfg, m.keys)
		})
	}
}

// threadLine is thread th's n-th message; lines vary in length so that
// places and parses do not line up.
func threadLine(th, n int) string {
	return fmt.Sprintf("th=%d n=%06d %s", th, n, strings.Repeat("payload ", (n*7+th)%23))
}

// logThreads starts threads goroutines, each locked to its own OS thread
// (as a C thread calling in is) and logging per threadLines with tag;
// after, if set, runs after each line. wait returns when all are done.
func logThreads(l *Logger, tag string, threads, per int, after func(th, n int)) (wait func()) {
	var wg sync.WaitGroup
	for th := range threads {
		wg.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for n := range per {
				l.Log(LevelInfo, tag, "x.go", "f", 1, threadLine(th, n))
				if after != nil {
					after(th, n)
				}
			}
		})
	}
	return wg.Wait
}

// checkThreadOrder asserts that each thread's lines in msgs are in order,
// and with all, that none is missing.
func checkThreadOrder(t *testing.T, msgs []string, threads, per int, all bool) {
	t.Helper()
	next := make([]int, threads)
	for _, msg := range msgs {
		th, n := parseThreadLine(t, msg)
		if n < next[th] || all && n != next[th] || msg != threadLine(th, n) {
			t.Fatalf("thread %d: got %q, want line %d", th, msg, next[th])
		}
		next[th] = n + 1
	}
	if all && len(msgs) != threads*per {
		t.Fatalf("decoded %d lines, want %d", len(msgs), threads*per)
	}
}

func parseThreadLine(t *testing.T, m string) (th, n int) {
	t.Helper()
	if _, err := fmt.Sscanf(m, "th=%d n=%d", &th, &n); err != nil {
		t.Fatalf("unexpected line %q: %v", m, err)
	}
	return th, n
}

// TestParallelLinesKeepEveryThreadsOrder: threads logging at once lose no
// line, and each thread's lines come out in the order it logged them.
func TestParallelLinesKeepEveryThreadsOrder(t *testing.T) {
	const threads, per = 4, 3000
	for _, m := range pipelineModes(t) {
		t.Run(m.name, func(t *testing.T) {
			l, dir := openIn(t, m.cfg)
			if (l.pipe.parsers != nil) != (m.cfg.Compression == Zlib) {
				t.Fatalf("parsers: %v for %s", l.pipe.parsers != nil, m.name)
			}
			logThreads(l, "par", threads, per, nil)()
			checkThreadOrder(t, closeAndRead(t, l, dir, "par", m.keys), threads, per, true)
			if s := l.Stats(); s.LinesDropped != 0 {
				t.Fatalf("dropped %d", s.LinesDropped)
			}
		})
	}
}

// TestParallelLinesFollowCallOrder: a line logged after another returned,
// on another thread, comes after it in the file.
func TestParallelLinesFollowCallOrder(t *testing.T) {
	const n = 2000
	dir := t.TempDir()
	l, err := Open(Config{LogDir: dir, MaxBlockWait: testBlockWait})
	if err != nil {
		t.Fatal(err)
	}
	// Two threads take turns: each logs, then hands the turn over. Noise
	// threads log meanwhile so that the turn-takers' lines are parsed
	// while others are.
	turn := [2]chan int{make(chan int, 1), make(chan int, 1)}
	stop := make(chan struct{})
	var noise, wg sync.WaitGroup
	for th := range 2 {
		noise.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
					l.Log(LevelInfo, "noise", "x.go", "f", 1, threadLine(th, i))
				}
			}
		})
	}
	for side := range 2 {
		wg.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for k := range turn[side] {
				if k >= n {
					close(turn[1-side])
					return
				}
				l.Log(LevelInfo, "turn", "x.go", "f", 1, testMessage(k))
				turn[1-side] <- k + 1
			}
		})
	}
	turn[0] <- 0
	wg.Wait()
	close(stop)
	noise.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	d := decodeDir(t, dir, crypt.PrivateKeys{})
	checkMessages(t, d.messages("turn"), n)
}

// TestStalledParseDoesNotHoldUpOthers: a thread stopped between its ticket
// and its parse does not hold up the lines behind it: another thread parses
// and writes its line, and the stopped thread, once it goes on, finds it
// written.
func TestStalledParseDoesNotHoldUpOthers(t *testing.T) {
	forParallelModes(t, func(t *testing.T, l *Logger, cfg Config, keys crypt.PrivateKeys) {
		logN(l, "lit", 0, 50) // a history the stalled line would match
		stalled, release := make(chan struct{}), make(chan struct{})
		testBeforeParse = func(line []byte) {
			if strings.Contains(string(line), testMessage(50)) {
				close(stalled)
				<-release
			}
		}
		defer func() { testBeforeParse = nil }()
		done := make(chan struct{})
		l.mu.Lock() // line 50 takes the pipeline, not putAlone
		go func() {
			defer close(done)
			logN(l, "lit", 50, 51)
		}()
		<-stalled
		l.mu.Unlock()
		logN(l, "lit", 51, 100) // waits behind line 50, then writes it
		close(release)
		<-done
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if l.pipe.stolenTicket == 0 {
			t.Fatal("no line was stolen and parsed again")
		}
		checkMessages(t, decodeDir(t, cfg.LogDir, keys).messages("lit"), 100)
	})
}

// TestStolenLineWithNoFreeParserGoesAsLiterals: when every parser is busy,
// a stolen line is written as literals, and decodes.
func TestStolenLineWithNoFreeParserGoesAsLiterals(t *testing.T) {
	forParallelModes(t, func(t *testing.T, l *Logger, cfg Config, keys crypt.PrivateKeys) {
		logN(l, "lit", 0, 10)
		pp := l.pipe
		s := pp.reserve([]byte("[I][lit][x.go:1, f]["+testMessage(10)+"\n"), time.Now(), false)
		for i := range pp.parsers {
			pp.parsers[i].mu.Lock()
		}
		l.mu.Lock()
		l.writeReadyLocked(pp, true)
		l.mu.Unlock()
		for i := range pp.parsers {
			pp.parsers[i].mu.Unlock()
		}
		if st := s.state.Load(); st != slotDone || s.out != putDone {
			t.Fatalf("stolen line: state %d, outcome %d", st, s.out)
		}
		if pp.stolenTicket != 0 {
			t.Fatal("stolen line was parsed with every parser busy")
		}
		s.state.Store(slotFree) // as its caller would
		logN(l, "lit", 11, 20)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		checkMessages(t, decodeDir(t, cfg.LogDir, keys).messages("lit"), 20)
	})
}

// TestCombiningWritesAQuantumAtATime: with LZ4 and zstd the holder of mu
// writes the other threads' ready lines, at most combineQuantum in a row,
// so that its own caller is not kept for ever; they decode in order.
func TestCombiningWritesAQuantumAtATime(t *testing.T) {
	for _, c := range []Compression{LZ4, Zstd} {
		l, dir := openIn(t, Config{Compression: c})
		pp := l.pipe
		const n = combineQuantum + 10
		slots := make([]*pipeSlot, n)
		h0 := pp.head.Load() // after the banner's lines
		for i := range slots {
			line := []byte("[I][comb][x.go:1, f][" + testMessage(i) + "\n")
			slots[i] = pp.reserve(line, time.Now(), false)
		}
		l.mu.Lock()
		l.writeReadyLocked(pp, false)
		if h := pp.head.Load() - h0; h != combineQuantum {
			t.Fatalf("compression %d: one pass wrote %d lines, want %d", c, h, combineQuantum)
		}
		if st := slots[combineQuantum].state.Load(); st != slotParsed {
			t.Fatalf("compression %d: line after the quantum in state %d", c, st)
		}
		l.writeReadyLocked(pp, false)
		l.mu.Unlock()
		for i, s := range slots {
			if st := s.state.Load(); st != slotDone || s.out != putDone {
				t.Fatalf("compression %d: line %d state %d outcome %d", c, i, st, s.out)
			}
			s.line = nil
			s.state.Store(slotFree) // as its caller would
		}
		logN(l, "comb", n, n+5) // through the pipeline again
		checkMessages(t, closeAndRead(t, l, dir, "comb", crypt.PrivateKeys{}), n+5)
	}
}

// TestMoreThreadsThanSlots: callers beyond the slots in flight wait for
// one and lose nothing.
func TestMoreThreadsThanSlots(t *testing.T) {
	const threads, per = pipeSlots + 44, 20
	l, dir := openIn(t, Config{})
	logThreads(l, "many", threads, per, nil)()
	checkThreadOrder(t, closeAndRead(t, l, dir, "many", crypt.PrivateKeys{}), threads, per, true)
}

// TestModeSwitchesWhileLinesAreInFlight: lines logged while the mode
// changes back and forth are each written once, in each thread's order.
func TestModeSwitchesWhileLinesAreInFlight(t *testing.T) {
	const threads, per = 3, 1500
	l, dir := openIn(t, Config{})
	wait := logThreads(l, "mode", threads, per, nil)
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	for switches, running := 0, true; running; switches++ {
		select {
		case <-done:
			running = false
		default:
		}
		mode := Sync
		if switches%2 == 1 {
			mode = Async
		}
		if err := l.SetMode(mode); err != nil {
			t.Fatal(err)
		}
	}
	checkThreadOrder(t, closeAndRead(t, l, dir, "mode", crypt.PrivateKeys{}), threads, per, true)
}

// TestCloseWhileThreadsLog: Close in the middle of a burst returns, and
// every line is either in the file or counted as dropped.
func TestCloseWhileThreadsLog(t *testing.T) {
	const threads, per = 4, 2000
	l, dir := openIn(t, Config{})
	half := make(chan struct{})
	wait := logThreads(l, "close", threads, per, func(th, n int) {
		if th == 0 && n == per/2 {
			close(half)
		}
	})
	<-half
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	wait()
	msgs := decodeDir(t, dir, crypt.PrivateKeys{}).messages("close")
	if s := l.Stats(); uint64(len(msgs))+s.LinesDropped != threads*per {
		t.Fatalf("%d lines in the file + %d dropped, want %d", len(msgs), s.LinesDropped, threads*per)
	}
	checkThreadOrder(t, msgs, threads, per, false)
}

// TestYields: a call leaves its line to another thread that wrote lines
// just now (combining codecs, more than one P), never to itself or to a
// thread that stopped a while ago.
func TestYields(t *testing.T) {
	now := time.Now()
	pp := &pipeline{spinners: 2}
	pp.held(1, now)
	for _, c := range []struct {
		name  string
		hint  int
		at    time.Time
		spin  bool
		parse bool
		want  bool
	}{
		{"another thread, just now", 2, now.Add(yieldWindow / 2), true, false, true},
		{"the holder itself", 1, now.Add(yieldWindow / 2), true, false, false},
		{"holder gone quiet", 2, now.Add(2 * yieldWindow), true, false, false},
		{"a line timed a little earlier", 2, now.Add(-yieldWindow / 2), true, false, true},
		{"a line timed long before", 2, now.Add(-time.Hour), true, false, false},
		{"one P", 2, now, false, false, false},
		{"zlib (parsers)", 2, now, true, true, false},
	} {
		pp.spinners, pp.parsers = 1, nil
		if c.spin {
			pp.spinners = 2
		}
		if c.parse {
			pp.parsers = make([]parserSlot, 1)
		}
		if got := pp.yields(c.hint, c.at); got != c.want {
			t.Errorf("%s: yields %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAThreadLeavesItsLineToTheHolder: while thread 1 writes lines, thread
// 2's line waits in its slot instead of being written alone, and thread 1's
// next call writes both, staying the holder; the file keeps ticket order.
func TestAThreadLeavesItsLineToTheHolder(t *testing.T) {
	defer func(n int) { yieldSpins = n }(yieldSpins)
	yieldSpins = math.MaxInt // wait for the holder however slow this machine is
	for _, c := range []Compression{LZ4, Zstd} {
		l, dir := openIn(t, Config{Compression: c})
		pp := l.pipe
		pp.spinners = max(pp.spinners, 2)
		line := func(i int) []byte { return []byte("[I][yield][x.go:1, f][" + testMessage(i) + "\n") }
		l.mu.Lock()
		at := time.Now() // thread 2's line comes within yieldWindow however slow the goroutine starts
		pp.held(1, at)   // thread 1 has just written a line
		next := pp.head.Load()
		l.mu.Unlock()
		done := make(chan struct{})
		go func() {
			defer close(done)
			l.put(line(0), at, false, 2)
		}()
		s := &pp.slots[next%pipeSlots]
		waited := true
		for waited && (s.ticket.Load() != next || s.state.Load() != slotParsed) {
			select {
			case <-done:
				waited = false
			default:
				runtime.Gosched() // until thread 2's line is in its slot
			}
		}
		if !waited || pp.head.Load() != next {
			t.Errorf("compression %d: thread 2 wrote its line itself while thread 1 was the holder", c)
		}
		l.put(line(1), time.Now(), false, 1) // writes thread 2's line too: it never returns otherwise
		<-done
		if h := pp.holder.Load(); h != 1 {
			t.Errorf("compression %d: holder %d, want thread 1", c, h)
		}
		checkMessages(t, closeAndRead(t, l, dir, "yield", crypt.PrivateKeys{}), 2)
	}
}

// TestOnlySpinnersWaitSpinning: of the combining calls waiting at once, the
// first GOMAXPROCS may spin and the rest may not, until one leaves.
func TestOnlySpinnersWaitSpinning(t *testing.T) {
	pp := &pipeline{spinners: 2}
	for i, want := range []bool{true, true, false, false} {
		if got := pp.enterWait(); got != want {
			t.Fatalf("call %d: may spin %v, want %v", i, got, want)
		}
	}
	pp.waiting.Add(-3) // the two that do not spin and one that does leave
	if !pp.enterWait() {
		t.Fatal("a call with one other waiting may not spin")
	}
}

// TestWaitersBeyondTheSpinnersLoseNoLine: with room for two spinning calls,
// eight threads' LZ4 and zstd lines all come out in each thread's order,
// and every waiting call is uncounted when it returns.
func TestWaitersBeyondTheSpinnersLoseNoLine(t *testing.T) {
	const threads, per = 8, 1000
	for _, c := range []Compression{LZ4, Zstd} {
		l, dir := openIn(t, Config{Compression: c})
		l.pipe.spinners = 2 // however many Ps this machine has
		logThreads(l, "park", threads, per, nil)()
		if n := l.pipe.waiting.Load(); n != 0 {
			t.Fatalf("%v: %d calls still counted as waiting", c, n)
		}
		checkThreadOrder(t, closeAndRead(t, l, dir, "park", crypt.PrivateKeys{}), threads, per, true)
	}
}
