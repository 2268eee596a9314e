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
)

// testPanicAt names the export that panics on entry (doc.go); read once.
var testPanicAt = os.Getenv("MARS_CAPI_TEST_PANIC")

// enter is the first statement of every export after its fence.
func enter(name string) {
	if testPanicAt != "" && testPanicAt == name {
		panic("capi: test panic requested by MARS_CAPI_TEST_PANIC in " + name)
	}
}

// fence recovers a panic and turns it into MARS_EINTERNAL. Every export
// defers it first: a Go panic must never unwind into C, where it would kill
// the host process. recover works only when called by the
// deferred function itself, so fence must be deferred directly. The panic's
// text becomes the process error detail (mars_errmsg on a NULL handle).
func fence(name string, rc *C.int) {
	if r := recover(); r != nil {
		notePanic(name, r)
		*rc = C.MARS_EINTERNAL
	}
}

// withHandle is the body of every export on a handle: the panic fence, the
// test hook and the handle check, then f with the object h names.
func withHandle[T any](name string, t *handleTable[T], h C.uintptr_t, f func(T) C.int) (rc C.int) {
	defer fence(name, &rc)
	enter(name)
	v, ok := t.get(uintptr(h))
	if !ok {
		return C.MARS_EBADHANDLE
	}
	return f(v)
}

func notePanic(name string, r any) {
	msg := fmt.Sprintf("%s: internal error: %v", name, r)
	processErr.set(msg)
	if os.Getenv("MARS_CAPI_TRACE_PANIC") != "" {
		fmt.Fprintf(os.Stderr, "%s\n%s", msg, debug.Stack())
	}
}
