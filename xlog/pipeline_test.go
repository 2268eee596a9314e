package xlog

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
)

// pipelineModes are the configurations of the parallel path, and zstd,
// which keeps the single lock.
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
	}
}

// threadLine is thread th's n-th message; lines vary in length so that
// places and parses do not line up.
func threadLine(th, n int) string {
	return fmt.Sprintf("th=%d n=%06d %s", th, n, strings.Repeat("payload ", (n*7+th)%23))
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
			cfg := m.cfg
			cfg.LogDir, cfg.MaxBlockWait = t.TempDir(), testBlockWait
			l, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if (l.pipe != nil) == (cfg.Compression == Zstd) {
				t.Fatalf("parallel path: %v for %s", l.pipe != nil, m.name)
			}
			var wg sync.WaitGroup
			for th := range threads {
				wg.Go(func() {
					runtime.LockOSThread() // as a C thread: its own thread id
					defer runtime.UnlockOSThread()
					for n := range per {
						l.Log(LevelInfo, "par", "x.go", "f", 1, threadLine(th, n))
					}
				})
			}
			wg.Wait()
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			msgs := decodeDir(t, cfg.LogDir, m.keys).messages("par")
			if len(msgs) != threads*per {
				t.Fatalf("decoded %d lines, want %d", len(msgs), threads*per)
			}
			next := make([]int, threads)
			for _, msg := range msgs {
				th, n := parseThreadLine(t, msg)
				if n != next[th] || msg != threadLine(th, n) {
					t.Fatalf("thread %d: got %q, want line %d", th, msg, next[th])
				}
				next[th]++
			}
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

// TestStalledParseIsWrittenAsLiterals: a thread stopped between its ticket
// and its parse does not hold up the lines behind it: another thread writes
// its line as literals, and the stopped thread, once it goes on, finds it
// written.
func TestStalledParseIsWrittenAsLiterals(t *testing.T) {
	for _, m := range pipelineModes(t) {
		if m.cfg.Compression == Zstd {
			continue
		}
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			cfg.LogDir, cfg.MaxBlockWait = t.TempDir(), testBlockWait
			l, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
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
			go func() {
				defer close(done)
				logN(l, "lit", 50, 51)
			}()
			<-stalled
			logN(l, "lit", 51, 100) // waits behind line 50, then writes it
			close(release)
			<-done
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			checkMessages(t, decodeDir(t, cfg.LogDir, m.keys).messages("lit"), 100)
		})
	}
}

// TestMoreThreadsThanSlots: callers beyond the slots in flight wait for
// one and lose nothing.
func TestMoreThreadsThanSlots(t *testing.T) {
	const threads, per = pipeSlots + 44, 20
	dir := t.TempDir()
	l, err := Open(Config{LogDir: dir, Compression: LZ4, MaxBlockWait: testBlockWait})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for th := range threads {
		wg.Go(func() {
			<-start
			for n := range per {
				l.Log(LevelInfo, "many", "x.go", "f", 1, threadLine(th, n))
			}
		})
	}
	close(start)
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	msgs := decodeDir(t, dir, crypt.PrivateKeys{}).messages("many")
	next := make([]int, threads)
	for _, msg := range msgs {
		th, n := parseThreadLine(t, msg)
		if n != next[th] {
			t.Fatalf("thread %d: line %d, want %d", th, n, next[th])
		}
		next[th]++
	}
	if len(msgs) != threads*per {
		t.Fatalf("decoded %d lines, want %d", len(msgs), threads*per)
	}
}

// TestModeSwitchesWhileLinesAreInFlight: lines logged while the mode
// changes back and forth are each written once, in each thread's order.
func TestModeSwitchesWhileLinesAreInFlight(t *testing.T) {
	const threads, per = 3, 1500
	dir := t.TempDir()
	l, err := Open(Config{LogDir: dir, MaxBlockWait: testBlockWait})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	for th := range threads {
		wg.Go(func() {
			for n := range per {
				l.Log(LevelInfo, "mode", "x.go", "f", 1, threadLine(th, n))
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	switches := 0
	for running := true; running; switches++ {
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
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	msgs := decodeDir(t, dir, crypt.PrivateKeys{}).messages("mode")
	if len(msgs) != threads*per {
		t.Fatalf("decoded %d lines, want %d", len(msgs), threads*per)
	}
	next := make([]int, threads)
	for _, msg := range msgs {
		th, n := parseThreadLine(t, msg)
		if n != next[th] {
			t.Fatalf("thread %d: line %d, want %d (after %d switches)", th, n, next[th], switches)
		}
		next[th]++
	}
}

// TestCloseWhileThreadsLog: Close in the middle of a burst returns, and
// every line is either in the file or counted as dropped.
func TestCloseWhileThreadsLog(t *testing.T) {
	const threads, per = 4, 2000
	dir := t.TempDir()
	l, err := Open(Config{LogDir: dir, MaxBlockWait: testBlockWait})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	half := make(chan struct{})
	var once sync.Once
	for th := range threads {
		wg.Go(func() {
			for n := range per {
				if n == per/2 {
					once.Do(func() { close(half) })
				}
				l.Log(LevelInfo, "close", "x.go", "f", 1, threadLine(th, n))
			}
		})
	}
	<-half
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	msgs := decodeDir(t, dir, crypt.PrivateKeys{}).messages("close")
	s := l.Stats()
	if uint64(len(msgs))+s.LinesDropped != threads*per {
		t.Fatalf("%d lines in the file + %d dropped, want %d", len(msgs), s.LinesDropped, threads*per)
	}
	next := make([]int, threads)
	for _, msg := range msgs {
		th, n := parseThreadLine(t, msg)
		if n < next[th] {
			t.Fatalf("thread %d: line %d after %d", th, n, next[th])
		}
		next[th] = n + 1
	}
}
