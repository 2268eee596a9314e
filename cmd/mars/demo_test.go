package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDemoRunsEndToEnd runs `mars demo` with marsd in-process: every step a newcomer sees must succeed.
func TestDemoRunsEndToEnd(t *testing.T) {
	var out, errOut bytes.Buffer
	if rc := run([]string{"demo", "--dir", t.TempDir()}, &out, &errOut); rc != 0 {
		t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", rc, out.String(), errOut.String())
	}
	for _, want := range []string{
		"five pipelined echo tasks: 5/5 answered",
		`server push received: cmd 10001 "ping-for-push"`,
		"ended (9, -1) = Mars's local task timeout",
		"0 dropped or lost",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}
