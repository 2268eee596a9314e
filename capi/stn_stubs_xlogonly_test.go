//go:build mars_xlog_only

package main

import "testing"

// TestXlogOnlySTNUnsupported: in the xlog-only build every STN call, even
// with a struct the shim cannot read, answers MARS_EUNSUPPORTED (and the few
// calls mars.h describes otherwise answer as it says).
func TestXlogOnlySTNUnsupported(t *testing.T) {
	if misfit := testStubMisfit(); misfit != "" {
		t.Fatalf("xlog-only build: %s", misfit)
	}
}
