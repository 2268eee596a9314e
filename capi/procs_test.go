package main

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestProcsRiseWithLoggers: GOMAXPROCS rises when two or more threads log
// at once and leave at most one P free, to two more than the loggers, and
// not for one logger.
func TestProcsRiseWithLoggers(t *testing.T) {
	if os.Getenv("GOMAXPROCS") != "" {
		t.Skip("GOMAXPROCS is set in the environment")
	}
	old := runtime.GOMAXPROCS(2)
	procs.now.Store(2)
	t.Cleanup(func() {
		runtime.GOMAXPROCS(old)
		procs.now.Store(int32(old))
	})
	want := func(n int) {
		t.Helper()
		if got := runtime.GOMAXPROCS(0); got != n {
			t.Fatalf("GOMAXPROCS = %d, want %d", got, n)
		}
	}
	enterWriter()
	want(2) // one logger: the default stays
	enterWriter()
	want(4)
	enterWriter()
	want(5)
	leaveWriter()
	leaveWriter()
	enterWriter()
	want(5) // never lowered
	leaveWriter()
	leaveWriter()
	if n := procs.writers.Load(); n != 0 {
		t.Fatalf("writers = %d after all left", n)
	}
}

// TestProcsLeftToEnvironment: with GOMAXPROCS in the environment, loggers
// never change it.
func TestProcsLeftToEnvironment(t *testing.T) {
	if os.Getenv("MARS_PROCS_CHILD") == "1" {
		for range 4 {
			enterWriter()
		}
		os.Stdout.WriteString("procs=" + strconv.Itoa(runtime.GOMAXPROCS(0)) + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestProcsLeftToEnvironment$")
	cmd.Env = append(os.Environ(), "MARS_PROCS_CHILD=1", "GOMAXPROCS=3")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "procs=3\n") {
		t.Fatalf("child with GOMAXPROCS=3 reports:\n%s", out)
	}
}
