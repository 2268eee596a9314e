package main

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestProcsFloor: the library runs at least minProcs Ps, so that host
// threads calling at once do not queue for one.
func TestProcsFloor(t *testing.T) {
	if os.Getenv("GOMAXPROCS") != "" {
		t.Skip("GOMAXPROCS is set in the environment")
	}
	if got := runtime.GOMAXPROCS(0); got < minProcs {
		t.Fatalf("GOMAXPROCS = %d, want at least %d", got, minProcs)
	}
}

// TestProcsFloorYieldsToEnvironment: GOMAXPROCS in the environment wins.
func TestProcsFloorYieldsToEnvironment(t *testing.T) {
	if os.Getenv("MARS_PROCS_CHILD") == "1" {
		os.Stdout.WriteString("procs=" + strconv.Itoa(runtime.GOMAXPROCS(0)) + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestProcsFloorYieldsToEnvironment$")
	cmd.Env = append(os.Environ(), "MARS_PROCS_CHILD=1", "GOMAXPROCS=3")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "procs=3\n") {
		t.Fatalf("child with GOMAXPROCS=3 reports:\n%s", out)
	}
}
