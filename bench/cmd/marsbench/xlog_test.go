package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mars-go/mars/xlog"
	"github.com/mars-go/mars/xlog/crypt"
)

// TestDecodeDirCountsLostLines writes ids 0..9 but one, and one twice, and
// checks that decodeDir sees exactly the nine distinct ones.
func TestDecodeDirCountsLostLines(t *testing.T) {
	dir := t.TempDir()
	l, err := xlog.Open(xlog.Config{LogDir: dir, NamePrefix: "bench", Compression: xlog.LZ4})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int{0, 1, 2, 3, 4, 4, 6, 7, 8, 9} {
		l.Log(xlog.LevelInfo, "bench", "f.c", "fn", 1, fmt.Sprintf("req=%010d GET /v2/files/%d 200 12ms user=erin", id, id*7))
	}
	l.Close()
	size, found, err := decodeDir(dir, crypt.PrivateKeys{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if found != 9 || size == 0 {
		t.Errorf("found %d ids in %d bytes, want 9 in > 0", found, size)
	}
}

// TestSpeedupLinePairsRounds: the ratio is taken within each round, so a
// slow round slows both runs and leaves the ratio alone.
func TestSpeedupLinePairsRounds(t *testing.T) {
	one := []float64{100, 50, 200}  // round 2 ran on a slow machine, round 3 on a fast one
	many := []float64{110, 60, 180} // ratios 1.10, 1.20, 0.90
	got := speedupLine(one, many, 4)
	want := "4 threads vs 1: 1.10x (rounds 0.90-1.20); lines/s 1 thread 100, 4 threads 110"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestPairOrderAlternates: each thread count runs first in every other
// round, so what a run leaves behind weighs on both sides alike.
func TestPairOrderAlternates(t *testing.T) {
	firsts := map[int]int{}
	for r := range 4 {
		o := pairOrder(r, 4)
		if len(o) != 2 || o[0]+o[1] != 5 || o[0] == o[1] {
			t.Fatalf("round %d: order %v, want 1 and 4", r, o)
		}
		firsts[o[0]]++
	}
	if firsts[1] != 2 || firsts[4] != 2 {
		t.Errorf("first runs over 4 rounds: %v, want each count twice", firsts)
	}
}

// TestLogBodyMatchesItsPrintfVersion: the bodies xlogload writes by hand are
// the snprintf version's, byte for byte (bench/xlogload/logbody_check.c), so
// figures taken before and after log the same text.
func TestLogBodyMatchesItsPrintfVersion(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "logbody_check")
	build := exec.Command("cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", exe, filepath.Join("..", "..", "xlogload", "logbody_check.c"))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	if out, err := exec.Command(exe, "200000").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
