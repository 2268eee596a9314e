package main

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// Go processors (Ps) for host threads that log at once.
//
// A host thread inside a call needs a P for as long as it runs Go code. With
// Go's default of one P per CPU, a third thread logging at once on a 2-CPU
// machine waits for a P: its thread sleeps and another is woken, though the
// CPUs may be busy only with C work. Four threads logging at once on 2 CPUs
// wrote fewer lines a second than one (LZ4: 0.83×; with 8 Ps, 1.19×). But
// more Ps than CPUs cost the engine: its goroutines spread over them, and
// 256 tasks in flight took 1.7× the CPU with 8 Ps. So the library raises
// GOMAXPROCS only while two or more threads log at once and leave at most
// one P free: to two more than the loggers (one for the writer goroutine,
// one spare), up to maxProcs, and never if GOMAXPROCS is set in the
// environment.
const maxProcs = 16

var procs struct {
	_       [128]byte
	writers atomic.Int32 // host threads inside mars_xlog_write
	_       [128]byte
	now     atomic.Int32 // GOMAXPROCS; 0: the environment's, left alone
	mu      sync.Mutex   // serialises raises
}

func init() {
	if os.Getenv("GOMAXPROCS") == "" {
		procs.now.Store(int32(runtime.GOMAXPROCS(0)))
	}
}

// enterWriter counts a thread into mars_xlog_write; leaveWriter out.
func enterWriter() {
	if n := procs.writers.Add(1); n >= 2 && n+1 >= procs.now.Load() {
		raiseProcs(n)
	}
}

func leaveWriter() { procs.writers.Add(-1) }

// raiseProcs makes GOMAXPROCS n+2 if that is more. It stops the world for
// a moment, a few times at most in a process's life.
func raiseProcs(n int32) {
	procs.mu.Lock()
	defer procs.mu.Unlock()
	cur, next := procs.now.Load(), min(n+2, maxProcs)
	if cur == 0 || next <= cur {
		return
	}
	runtime.GOMAXPROCS(int(next))
	procs.now.Store(next)
}
