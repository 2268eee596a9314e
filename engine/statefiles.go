package engine

import (
	"os"
	"path/filepath"
	"sync"
)

// stateFiles writes the engine's state files under AppFilePath (the IP
// history, connect times, learned heartbeat intervals) on a goroutine of
// their own. The owner hands over each file's bytes and goes on: it never
// waits on a disk, which on a phone under I/O pressure can stall a write
// for seconds, and a network change, when these files are saved, is the
// worst moment to stall tasks and the link. A newer version of a file
// replaces one not yet written. Once the owner has exited, the goroutine
// writes what is left and ends, and Engine.Close waits for it.
type stateFiles struct {
	mu      sync.Mutex
	pending map[string][]byte // path → content, newest wins; under mu
	closed  bool              // under mu
	wake    chan struct{}     // capacity 1
	logf    func(level LogLevel, format string, args ...any)
	write   func(path string, b []byte) error // writeFileAtomic; tests stall it (under mu)
}

func newStateFiles(logf func(LogLevel, string, ...any)) *stateFiles {
	return &stateFiles{pending: map[string][]byte{}, wake: make(chan struct{}, 1), logf: logf, write: writeFileAtomic}
}

// put queues b as path's content; after close it is dropped.
func (f *stateFiles) put(path string, b []byte) {
	f.mu.Lock()
	if !f.closed {
		f.pending[path] = b
	}
	f.mu.Unlock()
	f.poke()
}

// close lets the goroutine end once it has written what is pending.
func (f *stateFiles) close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.poke()
}

func (f *stateFiles) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// run is the goroutine: it writes what is pending whenever woken.
func (f *stateFiles) run() {
	for range f.wake {
		f.mu.Lock()
		batch, closed, write := f.pending, f.closed, f.write
		f.pending = map[string][]byte{}
		f.mu.Unlock()
		for path, b := range batch {
			if err := write(path, b); err != nil {
				f.logf(LogWarn, "state file not saved: %v", err)
			}
		}
		if closed {
			return
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
