package xlog

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/decode"
	"github.com/mars-go/mars/xlog/internal/files"
)

// limitFS is the OS file system with room for limit bytes per file; the
// limit can be raised while running (space freed).
type limitFS struct {
	files.OS
	mu    *sync.Mutex
	limit *int64
}

type limitFile struct {
	*os.File
	fs limitFS
}

func (f limitFS) OpenAppend(name string) (files.File, error) {
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return limitFile{file, f}, nil
}

func (f limitFile) Write(p []byte) (int, error) {
	st, err := f.File.Stat()
	if err != nil {
		return 0, err
	}
	f.fs.mu.Lock()
	room := *f.fs.limit - st.Size()
	f.fs.mu.Unlock()
	if int64(len(p)) > room {
		n, _ := f.File.Write(p[:max(room, 0)])
		return n, syscall.ENOSPC
	}
	return f.File.Write(p)
}

// errorLog collects OnError reports.
type errorLog struct {
	mu   sync.Mutex
	errs []error
}

func (e *errorLog) add(err error) { e.mu.Lock(); e.errs = append(e.errs, err); e.mu.Unlock() }
func (e *errorLog) count() int    { e.mu.Lock(); defer e.mu.Unlock(); return len(e.errs) }

// TestDiskFullReportsOnceCountsLossAndRecovers: when the disk fills, failed
// blocks are cut back out of the file, their lines counted as lost, the error
// reported once; when space returns, logging goes on in the same file.
func TestDiskFullReportsOnceCountsLossAndRecovers(t *testing.T) {
	dir := t.TempDir()
	limit := int64(30_000)
	var errs errorLog
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "full", OnError: errs.add, Compression: LZ4,
		fs: limitFS{mu: &sync.Mutex{}, limit: &limit}})
	if err != nil {
		t.Fatal(err)
	}
	const n, batch = 9000, 500
	for i := 0; i < n; i += batch {
		logN(l, "full", i, i+batch)
		if err := l.Flush(true); err != nil {
			t.Fatal(err)
		}
		if i == 6000 {
			limit = 1 << 30 // no lock needed: the writer is idle after Flush(true)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	st := l.Stats()
	if st.WriteErrors == 0 || st.LinesLost == 0 || errs.count() != 1 {
		t.Fatalf("stats %+v, %d errors reported", st, errs.count())
	}
	d := decodeDir(t, dir, crypt.PrivateKeys{})
	got := d.messages("full")
	if uint64(len(got))+st.LinesLost != n {
		t.Fatalf("decoded %d + lost %d != %d logged", len(got), st.LinesLost, n)
	}
	gaps := 0
	for _, e := range d.events {
		if e.Kind == decode.SeqGap {
			gaps++
		}
	}
	if gaps == 0 || got[len(got)-1] != testMessage(n-1) {
		t.Fatalf("want a seq gap and the last line after space returned; events %v", d.events)
	}
}

// TestDiskFullOnTmpfs runs the same on a real 1 MiB tmpfs when the test may
// mount one (root); otherwise the simulated test above covers it.
func TestDiskFullOnTmpfs(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount: %v %s", err, out)
		}
	})
	var errs errorLog
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: filepath.Join(mnt, "logs"), NamePrefix: "tmpfs", OnError: errs.add, Compression: LZ4})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40_000; i += 1000 {
		logN(l, "tmpfs", i, i+1000)
		if err := l.Flush(true); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	st := l.Stats()
	if st.WriteErrors == 0 || st.LinesLost == 0 || errs.count() != 1 || !st.Mapped {
		t.Fatalf("stats %+v, errors %v", st, errs.errs)
	}
	got := decodeDir(t, filepath.Join(mnt, "logs"), crypt.PrivateKeys{}).messages("tmpfs")
	if uint64(len(got))+st.LinesLost != 40_000 {
		t.Fatalf("decoded %d + lost %d != 60000", len(got), st.LinesLost)
	}
}

// TestUnwritableDirKeepsLoggingInMemory: a log dir that cannot exist (under a
// regular file) makes no crash: the buffer falls back to memory, the error is
// reported once, lines are counted as lost.
func TestUnwritableDirKeepsLoggingInMemory(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var errs errorLog
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: filepath.Join(blocker, "logs"), OnError: errs.add})
	if err != nil {
		t.Fatal(err)
	}
	logN(l, "x", 0, 100)
	if err := l.Flush(true); err != nil {
		t.Fatal(err)
	}
	logN(l, "x", 100, 200)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	st := l.Stats()
	if st.Mapped || st.LinesLost < 200 || st.WriteErrors == 0 || errs.count() != 1 {
		t.Fatalf("stats %+v, errors %v", st, errs.errs)
	}
}

// TestOnErrorMayLog: OnError runs with no xlog lock held, so logging from it
// does not deadlock, in either mode.
func TestOnErrorMayLog(t *testing.T) {
	for _, mode := range []Mode{Sync, Async} {
		blocker := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(blocker, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		var self atomic.Pointer[Logger]
		var calls atomic.Int32
		l, err := Open(Config{MaxBlockWait: testBlockWait, Mode: mode, LogDir: filepath.Join(blocker, "logs"),
			OnError: func(err error) {
				calls.Add(1)
				if l := self.Load(); l != nil {
					l.Log(LevelError, "x", "x.go", "OnError", 1, err.Error())
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		self.Store(l)
		logN(l, "x", 0, 3)
		if err := l.Flush(true); err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if calls.Load() == 0 {
			t.Fatalf("mode %d: OnError not called", mode)
		}
	}
}
