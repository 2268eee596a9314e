package xlog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/internal/files"
	"github.com/mars-go/mars/xlog/internal/linefmt"
)

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if c.Mode != Async || c.Compression != Zlib || c.NamePrefix != DefaultNamePrefix ||
		c.MaxAliveTime != 10*24*time.Hour || c.FlushInterval != 15*time.Minute ||
		c.BufferSize != 153600 || c.MaxBlockWait != DefaultMaxBlockWait || c.Level != LevelVerbose {
		t.Fatalf("defaults: %+v", c)
	}
	c = Config{MaxAliveTime: time.Hour, BufferSize: 1}
	c.withDefaults()
	if c.MaxAliveTime != MinMaxAliveTime || c.BufferSize != MinBufferSize {
		t.Fatalf("clamps: %+v", c)
	}
	c = Config{BufferSize: 1 << 30}
	c.withDefaults()
	if c.BufferSize != MaxBufferSize {
		t.Fatalf("buffer size not clamped: %d", c.BufferSize)
	}
	for _, bad := range []Config{{}, {LogDir: "x", Mode: 2}, {LogDir: "x", Compression: 9}, {LogDir: "x", Level: 7}} {
		if _, err := Open(bad); err == nil {
			t.Errorf("Open(%+v) accepted", bad)
		}
	}
	if _, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: t.TempDir(), PublicKey: "not-a-key"}); err == nil {
		t.Error("bad public key accepted")
	}
}

func TestLevelFilterAndSetLevel(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "lv", Level: LevelWarn})
	if err != nil {
		t.Fatal(err)
	}
	if l.Enabled(LevelInfo) || !l.Enabled(LevelWarn) || l.Enabled(LevelNone) {
		t.Fatal("Enabled disagrees with the level")
	}
	l.Log(LevelInfo, "lv", "a.go", "f", 1, "hidden")
	l.Log(LevelError, "lv", "a.go", "f", 2, "shown")
	l.SetLevel(LevelNone)
	l.Log(LevelFatal, "lv", "a.go", "f", 3, "off")
	l.SetLevel(LevelVerbose)
	l.Write(&Entry{Level: LevelVerbose, Tag: "lv", File: "/x/b.go", Func: "g", Line: 4, Message: "entry",
		Pid: 10, Tid: 10, Time: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)})
	if l.Level() != LevelVerbose {
		t.Fatal("Level")
	}
	if c := l.Config(); c.LogDir != dir || c.NamePrefix != "lv" || c.FlushInterval != DefaultFlushInterval {
		t.Fatalf("Config() = %+v", c)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	d := decodeDir(t, dir, crypt.PrivateKeys{})
	if got := d.messages("lv"); !slices.Equal(got, []string{"shown", "entry"}) {
		t.Fatalf("messages %q", got)
	}
	if !strings.Contains(d.text, "[V][2026-01-02 +0.0 03:04:05.006][10, 10*][lv][b.go:4, g][entry\n") {
		t.Fatalf("entry line not as given:\n%s", d.text)
	}
	if !strings.Contains(d.text, "[E][") {
		t.Fatal("level letter E missing")
	}
}

func TestConsoleEcho(t *testing.T) {
	var con bytes.Buffer
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: t.TempDir(), ConsoleWriter: &con})
	if err != nil {
		t.Fatal(err)
	}
	l.Log(LevelInfo, "net", "/a/conn.go", "void Conn::Connect(int)", 9, "quiet")
	l.SetConsole(true)
	l.Log(LevelWarn, "net", "/a/conn.go", "void Conn::Connect(int)", 9, "loud")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if got := con.String(); got != "[W][net][conn.go, Connect, 9][loud\n" {
		t.Fatalf("console got %q", got)
	}
}

// TestInstancesAreIndependent: two loggers in one dir keep their own files,
// levels and buffers; a second logger on the same buffer file is refused.
func TestInstancesAreIndependent(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "a"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "b", Mode: Sync, Level: LevelError})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "a"}); err == nil {
		t.Fatal("second logger on a.mmap3 accepted")
	}
	a.Log(LevelInfo, "a", "x.go", "f", 1, "to a")
	b.Log(LevelInfo, "b", "x.go", "f", 1, "filtered in b")
	b.Log(LevelError, "b", "x.go", "f", 1, "to b")
	if err := errors.Join(a.Close(), b.Close()); err != nil {
		t.Fatal(err)
	}
	for prefix, want := range map[string]string{"a": "to a", "b": "to b"} {
		sub := t.TempDir()
		names, _ := filepath.Glob(filepath.Join(dir, prefix+"_*.xlog"))
		if len(names) != 1 {
			t.Fatalf("%s: files %v", prefix, names)
		}
		raw, _ := os.ReadFile(names[0])
		if err := os.WriteFile(filepath.Join(sub, "x.xlog"), raw, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := decodeDir(t, sub, crypt.PrivateKeys{}).messages(prefix); !slices.Equal(got, []string{want}) {
			t.Fatalf("%s: %q", prefix, got)
		}
	}
}

func TestCloseTwiceAndLogAfterClose(t *testing.T) {
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l.Log(LevelInfo, "x", "x.go", "f", 1, "late")
	if err := l.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
	if err := l.Flush(true); !errors.Is(err, ErrClosed) {
		t.Fatalf("Flush after Close: %v", err)
	}
	if st := l.Stats(); st.LinesDropped != 1 {
		t.Fatalf("late line not counted: %+v", st)
	}
}

// TestFlushSyncPutsLinesInFile: after Flush(true) the lines are in the file
// although the logger is still open and the buffer far from its threshold.
func TestFlushSyncPutsLinesInFile(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "fl"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	logN(l, "fl", 0, 10)
	if err := l.Flush(true); err != nil {
		t.Fatal(err)
	}
	checkMessages(t, decodeDir(t, dir, crypt.PrivateKeys{}).messages("fl"), 10)
}

// TestFlushTriggers: the writer flushes on its timer, on a Fatal line and on
// Flush(false), never before (virtual time).
func TestFlushTriggers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "ft", FlushInterval: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		count := func() int { return len(decodeDir(t, dir, crypt.PrivateKeys{}).messages("ft")) }
		logN(l, "ft", 0, 3)
		time.Sleep(time.Minute - time.Millisecond)
		synctest.Wait()
		if n := count(); n != 0 {
			t.Fatalf("%d lines flushed before the interval", n)
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if n := count(); n != 3 {
			t.Fatalf("%d lines after the interval, want 3", n)
		}
		l.Log(LevelFatal, "ft", "x.go", "f", 1, "fatal")
		synctest.Wait()
		if n := count(); n != 4 {
			t.Fatalf("fatal line not flushed at once: %d", n)
		}
		l.Log(LevelInfo, "ft", "x.go", "f", 1, "five")
		if err := l.Flush(false); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if n := count(); n != 5 {
			t.Fatalf("Flush(false) did not flush: %d", n)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRotationSplitsAtMaxFileSize: with a max size, files are split into
// _1, _2 … and together hold every line in order.
func TestRotationSplitsAtMaxFileSize(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "rot", BufferSize: MinBufferSize})
	if err != nil {
		t.Fatal(err)
	}
	l.SetMaxFileSize(8_000)
	const n = 5000
	logN(l, "rot", 0, n)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "rot_*.xlog"))
	if len(names) < 3 || len(names) > 9 {
		t.Fatalf("files: %v", names)
	}
	day := files.Day(time.Now())
	for _, want := range []string{"rot_" + day + ".xlog", "rot_" + day + "_1.xlog", "rot_" + day + "_2.xlog"} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Fatal(err)
		}
	}
	checkMessages(t, decodeDir(t, dir, crypt.PrivateKeys{}).messages("rot"), n)
}

// TestCleanupAndCacheMoveRunAfterOpen: 2 minutes after open, files of this
// prefix older than MaxAliveTime are deleted; 3 minutes after open, cache-dir
// files move to the log dir (virtual time). The buffer file is in the cache.
func TestCleanupAndCacheMoveRunAfterOpen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir, cache := t.TempDir(), t.TempDir()
		now := time.Now()
		old := filepath.Join(dir, "cl_19991201.xlog")
		other := filepath.Join(dir, "other_19991201.xlog")
		cached := filepath.Join(cache, "cl_19991231.xlog")
		for _, p := range []string{old, other, cached} {
			if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(p, now.Add(-30*24*time.Hour), now.Add(-30*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(cached, now, now); err != nil {
			t.Fatal(err)
		}
		l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, CacheDir: cache, NamePrefix: "cl", MaxAliveTime: 100 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		l.SetMaxAliveTime(time.Hour) // raised to the 1-day minimum: 30-day-old files go
		if _, err := os.Stat(filepath.Join(cache, "cl"+mmapSuffix)); err != nil {
			t.Fatalf("buffer file not in cache dir: %v", err)
		}
		time.Sleep(DefaultCleanupDelay - time.Second)
		synctest.Wait()
		if _, err := os.Stat(old); err != nil {
			t.Fatal("cleaned up too early")
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if _, err := os.Stat(old); !os.IsNotExist(err) {
			t.Fatalf("old file not removed: %v", err)
		}
		if _, err := os.Stat(other); err != nil {
			t.Fatalf("another prefix's file removed: %v", err)
		}
		time.Sleep(DefaultCacheMoveDelay - DefaultCleanupDelay)
		synctest.Wait()
		if _, err := os.Stat(cached); !os.IsNotExist(err) {
			t.Fatalf("cache file not moved: %v", err)
		}
		if got, err := os.ReadFile(filepath.Join(dir, "cl_19991231.xlog")); err != nil || string(got) != "x" {
			t.Fatalf("moved file: %q %v", got, err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestConcurrentLoggersLoseNothing: goroutines logging at once through a small
// double buffer; every line arrives exactly once, in each goroutine's order.
func TestConcurrentLoggersLoseNothing(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "cc", BufferSize: MinBufferSize, Compression: LZ4})
	if err != nil {
		t.Fatal(err)
	}
	const workers, n = 4, 3000
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			tag := "w" + string(rune('0'+w))
			logN(l, tag, 0, n)
		}()
	}
	for range workers {
		<-done
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	d := decodeDir(t, dir, crypt.PrivateKeys{})
	for w := range workers {
		checkMessages(t, d.messages("w"+string(rune('0'+w))), n)
	}
	if st := l.Stats(); st.LinesDropped != 0 || st.LinesLost != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// TestFatalWhileWriterBusyIsFlushedNext: a Fatal line that arrives while the
// writer is busy is flushed right after, not at the next threshold.
func TestFatalWhileWriterBusyIsFlushedNext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir, gate := t.TempDir(), make(chan struct{})
		cfg := stalledConfig(dir, gate)
		l, err := Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		logN(l, "bp", 0, 1)
		l.Log(LevelFatal, "bp", "x.go", "f", 1, "first fatal") // hands the half to the stalled writer
		l.Log(LevelFatal, "bp", "x.go", "f", 1, "second fatal")
		close(gate)
		synctest.Wait()
		got := decodeDir(t, dir, crypt.PrivateKeys{}).messages("bp")
		if !slices.Equal(got, []string{testMessage(0), "first fatal", "second fatal"}) {
			t.Fatalf("flushed %q", got)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestBufferFallsBackToMemory: when the buffer file cannot be created (cache
// dir unusable) the logger reports it once and logs through a heap buffer.
func TestBufferFallsBackToMemory(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var errs errorLog
	logDir := filepath.Join(dir, "logs")
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: logDir, CacheDir: filepath.Join(blocker, "cache"), NamePrefix: "mem",
		OnError: errs.add})
	if err != nil {
		t.Fatal(err)
	}
	logN(l, "mem", 0, 100)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	d := decodeDir(t, logDir, crypt.PrivateKeys{})
	checkMessages(t, d.messages("mem"), 100)
	if !strings.Contains(d.text, "use mmap:0") || l.Stats().Mapped || errs.count() != 1 {
		t.Fatalf("mapped=%v errors=%v", l.Stats().Mapped, errs.errs)
	}
}

// TestDayChangeStartsNewFile: a flush on the next (local) day goes to the
// next day's file (virtual time; synctest's clock starts on 2000-01-01).
func TestDayChangeStartsNewFile(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "day"})
		if err != nil {
			t.Fatal(err)
		}
		day1 := files.Day(time.Now())
		logN(l, "day", 0, 1)
		if err := l.Flush(true); err != nil {
			t.Fatal(err)
		}
		time.Sleep(24 * time.Hour)
		day2 := files.Day(time.Now())
		logN(l, "day", 1, 2)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		for i, day := range []string{day1, day2} {
			sub := t.TempDir()
			raw, err := os.ReadFile(filepath.Join(dir, "day_"+day+".xlog"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sub, "x.xlog"), raw, 0o644); err != nil {
				t.Fatal(err)
			}
			if got := decodeDir(t, sub, crypt.PrivateKeys{}).messages("day"); !slices.Equal(got, []string{testMessage(i)}) {
				t.Fatalf("%s holds %q", day, got)
			}
		}
	})
}

// TestConcurrentCloseClosesOnce: racing Close calls never panic; exactly one
// succeeds.
func TestConcurrentCloseClosesOnce(t *testing.T) {
	l, err := Open(Config{LogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- l.Close() }()
	}
	ok := 0
	for range 4 {
		if err := <-errs; err == nil {
			ok++
		} else if !errors.Is(err, ErrClosed) {
			t.Fatal(err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d Close calls succeeded, want 1", ok)
	}
}

// TestLongMessageIsCutVisiblyAndCounted: a 1 MiB message is cut to the line
// limit, the cut is marked in the text and counted.
func TestLongMessageIsCutVisiblyAndCounted(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Config{LogDir: dir, NamePrefix: "long", MaxBlockWait: testBlockWait})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB
	l.Log(LevelInfo, "long", "x.go", "f", 1, big)
	l.Log(LevelInfo, "long", "x.go", "f", 2, "short")
	st := l.Stats()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if st.LinesTruncated != 1 {
		t.Fatalf("LinesTruncated = %d, want 1", st.LinesTruncated)
	}
	msgs := decodeDir(t, dir, crypt.PrivateKeys{}).messages("long")
	if len(msgs) != 2 || msgs[1] != "short" {
		t.Fatalf("messages %d", len(msgs))
	}
	i := strings.Index(msgs[0], "…[truncated ")
	if i < 0 || len(msgs[0]) > MaxLine || !strings.HasPrefix(big, msgs[0][:i]) {
		t.Fatalf("cut line: %d bytes, ends %q", len(msgs[0]), msgs[0][max(0, len(msgs[0])-30):])
	}
	if want := linefmt.CutMark(len(big) - i); msgs[0][i:] != want {
		t.Fatalf("cut line ends %q, want %q", msgs[0][i:], want)
	}
}
