package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include -std=c99 -Wall
#include "mars.h"
*/
import "C"

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync/atomic"
)

// testPanicAt names the export that panics on entry (doc.go); read once.
var testPanicAt = os.Getenv("MARS_CAPI_TEST_PANIC")

// lastPanic keeps the text of the last recovered panic, for mars_errmsg on a
// NULL handle and for the C tests.
var lastPanic atomic.Pointer[string]

// enter is the first statement of every export after its fence.
func enter(name string) {
	if testPanicAt != "" && testPanicAt == name {
		panic("capi: test panic requested by MARS_CAPI_TEST_PANIC in " + name)
	}
}

// fence recovers a panic and turns it into MARS_EINTERNAL. Every export
// defers it first: a Go panic must never unwind into C, where it would kill
// the host process (toolchain.md §1). recover works only when called by the
// deferred function itself, hence two variants.
func fence(name string, rc *C.int) {
	if r := recover(); r != nil {
		notePanic(name, r)
		*rc = C.MARS_EINTERNAL
	}
}

// fenceVoid is fence for exports that return nothing.
func fenceVoid(name string) {
	if r := recover(); r != nil {
		notePanic(name, r)
	}
}

func notePanic(name string, r any) {
	msg := fmt.Sprintf("%s: internal error: %v", name, r)
	lastPanic.Store(&msg)
	processErr.set(msg)
	if os.Getenv("MARS_CAPI_TRACE_PANIC") != "" {
		fmt.Fprintf(os.Stderr, "%s\n%s", msg, debug.Stack())
	}
}
