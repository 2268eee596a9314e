package main

import (
	"os"
	"runtime"
)

// minProcs is the fewest Go processors (Ps) the library runs with, unless
// the environment sets GOMAXPROCS.
//
// A host thread that calls in needs a P for as long as it runs Go code, and
// keeps it while it runs C code between calls. With Go's default of one P
// per CPU, a third host thread calling at once on a 2-CPU machine (a fifth
// on a 4-CPU phone) waits for a P: its thread sleeps and another is woken,
// though the CPUs may be busy only with C work. Four threads logging at
// once on 2 CPUs wrote fewer lines a second than one (LZ4: 0.83×); with 8
// Ps, 1.19×. The kernel schedules the threads either way; more Ps only
// spare them a second queue. Idle Ps cost nothing.
const minProcs = 8

func init() {
	if os.Getenv("GOMAXPROCS") == "" && runtime.GOMAXPROCS(0) < minProcs {
		runtime.GOMAXPROCS(minProcs)
	}
}
