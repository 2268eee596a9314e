package xlog

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
)

// TestSyncModeWritesEachLineAtOnce: in sync mode a line is in the file when
// Log returns (Mars leaves it in a stdio buffer; we do not).
func TestSyncModeWritesEachLineAtOnce(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "sy", Mode: Sync})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	logN(l, "sy", 0, 5)
	checkMessages(t, decodeDir(t, dir, crypt.PrivateKeys{}).messages("sy"), 5)
	if st := l.Stats(); st.Blocks != 7 || st.Mapped { // 2 banner lines + 5
		t.Fatalf("stats %+v", st)
	}
}

// TestSetModeSwitchesBothWays: Sync → Async (maps the buffer) → Sync (flushes
// it) → Async again; every line arrives once, in order.
func TestSetModeSwitchesBothWays(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "sm", Mode: Sync})
	if err != nil {
		t.Fatal(err)
	}
	logN(l, "sm", 0, 10)
	if l.Stats().Mapped {
		t.Fatal("sync logger reports a mapped buffer")
	}
	for i, m := range []Mode{Async, Sync, Async} {
		if err := l.SetMode(m); err != nil {
			t.Fatal(err)
		}
		logN(l, "sm", 10*(i+1), 10*(i+2))
	}
	if !l.Stats().Mapped {
		t.Fatal("async mode without a mapped buffer")
	}
	if _, err := os.Stat(filepath.Join(dir, "sm"+mmapSuffix)); err != nil {
		t.Fatal(err)
	}
	if err := l.SetMode(Mode(5)); err == nil {
		t.Fatal("bad mode accepted")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.SetMode(Sync); !errors.Is(err, ErrClosed) {
		t.Fatalf("SetMode after Close: %v", err)
	}
	checkMessages(t, decodeDir(t, dir, crypt.PrivateKeys{}).messages("sm"), 40)
}

// TestSetModeWhileLogging: switching modes under concurrent logging loses
// and duplicates nothing.
func TestSetModeWhileLogging(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "sw", BufferSize: MinBufferSize})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	done := make(chan struct{})
	go func() {
		defer close(done)
		logN(l, "sw", 0, n)
	}()
	for i := 0; ; i++ {
		select {
		case <-done:
		default:
			if err := l.SetMode(Mode(i % 2)); err != nil {
				t.Error(err)
			}
			continue
		}
		break
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	got := decodeDir(t, dir, crypt.PrivateKeys{}).messages("sw")
	slices.Sort(got)
	if len(got) != n || slices.Compact(got)[n-1] != testMessage(n-1) {
		t.Fatalf("%d lines after switching, want %d distinct", len(got), n)
	}
}
