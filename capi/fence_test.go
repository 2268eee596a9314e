//go:build !mars_xlog_only

package main

/* (no cgo in tests: the fence is exercised through a Go function shaped
   like an export.) */

import (
	"strings"
	"testing"
)

// panicky is shaped like an export: one deferred fence, then the body.
func panicky(name string) (rc cInt32) {
	defer fence(name, &rc)
	panic("boom")
}

func TestFenceTurnsAPanicIntoEINTERNAL(t *testing.T) {
	if got := panicky("mars_test_export"); int(got) != testInternal {
		t.Fatalf("rc = %d, want MARS_EINTERNAL (%d)", got, testInternal)
	}
	if msg := processDetail(); !strings.Contains(msg, "mars_test_export") || !strings.Contains(msg, "boom") {
		t.Fatalf("process detail %q does not name the export and the panic", msg)
	}
}

func TestEnterPanicsOnlyForTheNamedExport(t *testing.T) {
	old := testPanicAt
	t.Cleanup(func() { testPanicAt = old })
	testPanicAt = "mars_x"
	enter("mars_y") // must not panic
	defer func() {
		if recover() == nil {
			t.Fatal("enter did not panic for the named export")
		}
	}()
	enter("mars_x")
}
