package engine

import (
	"os"
	"path/filepath"

	"github.com/mars-go/mars/internal/mailbox"
)

// stateFiles writes the engine's state files under AppFilePath (the IP
// history, connect times, learned heartbeat intervals) on a goroutine of
// their own. The owner posts each file's bytes and goes on: it never waits
// on a disk, which on a phone under I/O pressure can stall a write for
// seconds, and a network change, when these files are saved, is the worst
// moment to stall tasks and the link. Of the versions of a file waiting,
// only the newest is written. Once the owner has exited, the goroutine
// writes what is left and ends, and Engine.Close waits for it.
type stateFiles struct {
	q     *mailbox.Queue[stateFile]
	done  chan struct{} // closed by close
	logf  func(level LogLevel, format string, args ...any)
	write func(path string, b []byte) error // writeFileAtomic; a test may set it before the first put
}

// stateFile is one version of one file.
type stateFile struct {
	path string
	b    []byte
}

func newStateFiles(logf func(LogLevel, string, ...any)) *stateFiles {
	return &stateFiles{q: mailbox.New[stateFile](), done: make(chan struct{}), logf: logf, write: writeFileAtomic}
}

// put queues b as path's content; after close it is dropped.
func (f *stateFiles) put(path string, b []byte) { f.q.Post(stateFile{path, b}) }

// close lets the goroutine end once it has written what is queued; the
// owner calls it once, after its last put.
func (f *stateFiles) close() { close(f.done) }

// run is the goroutine.
func (f *stateFiles) run() {
	var buf []stateFile
	for {
		select {
		case <-f.q.Wake():
			buf = f.q.Drain(buf)
			f.writeNewest(buf)
		case <-f.done:
			f.writeNewest(f.q.Close())
			return
		}
	}
}

// writeNewest writes the last version of each file in batch (oldest
// first); failures are logged.
func (f *stateFiles) writeNewest(batch []stateFile) {
	for i, sf := range batch {
		newer := false
		for _, later := range batch[i+1:] {
			newer = newer || later.path == sf.path
		}
		if newer {
			continue
		}
		if err := f.write(sf.path, sf.b); err != nil {
			f.logf(LogWarn, "state file not saved: %v", err)
		}
	}
}

// writeFileAtomic writes b to path through a temporary file and a rename,
// so a crash leaves the old content or the new, never a part.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
