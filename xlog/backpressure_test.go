package xlog

import (
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/internal/files"
)

// gateFS is the OS file system whose writes wait until gate is closed: a
// disk that stalls.
type gateFS struct {
	files.OS
	gate chan struct{}
}

type gateFile struct {
	*os.File
	gate chan struct{}
}

func (g gateFS) OpenAppend(name string) (files.File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return gateFile{f, g.gate}, nil
}

func (g gateFile) Write(p []byte) (int, error) {
	<-g.gate
	return g.File.Write(p)
}

func stalledConfig(dir string, gate chan struct{}) Config {
	return Config{LogDir: dir, NamePrefix: "bp", BufferSize: MinBufferSize, Compression: LZ4,
		fs: gateFS{gate: gate}}
}

// TestNonBlockingDropsAndReportsCount: with the disk stalled, a non-blocking
// logger drops lines once both buffer halves are full, counts them, and writes
// a "N lines dropped" record before the next line it can take.
//
// The lines carry a fixed thread id: a full half still takes a line shorter
// than the one it refused, and with the id of whichever thread ran the
// goroutine a later line could be a byte shorter and be kept after dropped
// ones, which the check that the kept lines are 0..kept-1 does not allow.
func TestNonBlockingDropsAndReportsCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir, gate := t.TempDir(), make(chan struct{})
		cfg := stalledConfig(dir, gate)
		cfg.NonBlocking = true
		l, err := Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		const n, tid = 20000, 4242
		logFixedTid(l, "bp", 0, n, tid)
		st := l.Stats()
		if st.LinesDropped == 0 || st.BlockedWaits != 0 {
			t.Fatalf("stats with a stalled disk: %+v", st)
		}
		kept := n - int(st.LinesDropped)
		close(gate)
		synctest.Wait() // the writer drains the pending half
		logFixedTid(l, "bp", n, n+1, tid)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		d := decodeDir(t, dir, crypt.PrivateKeys{})
		got := d.messages("bp")
		want := st.LinesDropped
		if len(got) != kept+1 || got[kept] != testMessage(n) {
			t.Fatalf("decoded %d lines, want %d kept + 1", len(got), kept)
		}
		checkMessages(t, got[:kept], kept)
		marker := "][" + droppedTag + "][:0, ][" + strings.TrimSpace(droppedRecordText(want))
		if !strings.Contains(d.text, marker) {
			i := strings.Index(d.text, "lines dropped")
			t.Logf("found: %q", d.text[max(0, i-100):i+20])
			t.Fatalf("no dropped record %q in output", marker)
		}
	})
}

func droppedRecordText(n uint64) string {
	r := droppedRecord(0, n, time.Time{})
	return r.Message
}

// TestBlockingWaitsThenDropsAfterMaxBlockWait: a blocked call waits exactly
// MaxBlockWait (virtual time) before dropping its line, and each wait counts.
func TestBlockingWaitsThenDropsAfterMaxBlockWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir, gate := t.TempDir(), make(chan struct{})
		cfg := stalledConfig(dir, gate)
		cfg.MaxBlockWait = 250 * time.Millisecond
		l, err := Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		// Stop after a few drops: a long stall would also fire the cleanup
		// timer (2 min), which waits for the stalled writer.
		for i := 0; l.Stats().LinesDropped < 5; i++ {
			logN(l, "bp", i, i+1)
		}
		st := l.Stats()
		if st.LinesDropped == 0 || st.BlockedWaits != st.LinesDropped {
			t.Fatalf("stats: %+v", st)
		}
		if got, want := time.Since(start), time.Duration(st.LinesDropped)*cfg.MaxBlockWait; got != want {
			t.Fatalf("blocked for %v, want %v", got, want)
		}
		close(gate)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestBlockingResumesWhenWriterCatchesUp: a caller blocked on a full buffer
// continues as soon as the writer frees a half, and nothing is lost.
func TestBlockingResumesWhenWriterCatchesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir, gate := t.TempDir(), make(chan struct{})
		l, err := Open(stalledConfig(dir, gate))
		if err != nil {
			t.Fatal(err)
		}
		const n = 20000
		done := make(chan struct{})
		go func() {
			logN(l, "bp", 0, n)
			close(done)
		}()
		synctest.Wait()
		if st := l.Stats(); st.BlockedWaits != 1 {
			t.Fatalf("want one blocked caller, stats %+v", st)
		}
		close(gate)
		<-done
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		st := l.Stats()
		if st.LinesDropped != 0 || st.BlockedWaits == 0 {
			t.Fatalf("stats: %+v", st)
		}
		checkMessages(t, decodeDir(t, dir, crypt.PrivateKeys{}).messages("bp"), n)
	})
}
