package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/mars-go/mars/bench/internal/run"
)

// speedupMain runs the xlog workload with one thread and with -threads
// threads back to back, -runs rounds, and prints per mode the median of
// (N-thread lines/s / 1-thread lines/s) and its range. On shared machines
// whose speed moves by a quarter from one minute to the next, the ratio of
// two runs made side by side is steadier than either run's own figure.
// Above 1, N threads wrote the lines sooner. The order alternates from
// round to round, so whatever the first run of a pair leaves behind weighs
// on both sides alike.
func speedupMain(args []string) error {
	fs := flag.NewFlagSet("marsbench speedup", flag.ExitOnError)
	var c common
	c.register(fs)
	lines := fs.Int("lines", 300_000, "lines per run (100-byte bodies)")
	threads := fs.Int("threads", 4, "the thread count compared with one")
	modes := fs.String("modes", "zstd,lz4,zlib", "xlog modes, comma-separated (as in make bench-xlog's table)")
	fs.Parse(args)
	if *threads < 2 {
		return fmt.Errorf("-threads %d: want 2 or more", *threads)
	}
	var ms []xlogMode
	for _, name := range strings.Split(*modes, ",") {
		i := slices.IndexFunc(xlogModes, func(m xlogMode) bool { return m.name == name })
		if i < 0 {
			return fmt.Errorf("-modes: unknown mode %q", name)
		}
		ms = append(ms, xlogModes[i])
	}
	exe, keys, pubs, err := c.xlogProgram()
	if err != nil {
		return err
	}
	one := make([][]float64, len(ms)) // lines/s per mode and round
	many := make([][]float64, len(ms))
	load := run.LoadAvg()
	for r := range c.runs {
		for i, m := range ms {
			for _, t := range pairOrder(r, *threads) {
				_, xr, err := xlogOnce(exe, m, pubs[m.key], keys, t, *lines)
				if err != nil {
					return fmt.Errorf("%s, %d threads: %w", m.name, t, err)
				}
				if xr.LinesLost > 0 {
					return fmt.Errorf("%s, %d threads: %d lines lost", m.name, t, xr.LinesLost)
				}
				if t == 1 {
					one[i] = append(one[i], xr.LinesPerSec)
				} else {
					many[i] = append(many[i], xr.LinesPerSec)
				}
			}
		}
	}
	fmt.Printf("xlog speedup: %d lines, %d threads against 1, run back to back; %d rounds; loadavg %s -> %s\n",
		*lines, *threads, c.runs, load, run.LoadAvg())
	for i, m := range ms {
		fmt.Printf("%-14s %s\n", m.name, speedupLine(one[i], many[i], *threads))
	}
	return nil
}

// pairOrder is the order of round r's two runs: one thread first in even
// rounds, threads first in odd ones.
func pairOrder(r, threads int) []int {
	if r%2 == 1 {
		return []int{threads, 1}
	}
	return []int{1, threads}
}

// speedupLine summarises paired rounds: the median ratio of many[r] to
// one[r], its range, and the median lines/s of each.
func speedupLine(one, many []float64, threads int) string {
	ratio := make([]float64, len(one))
	for r := range one {
		ratio[r] = many[r] / one[r]
	}
	return fmt.Sprintf("%d threads vs 1: %.2fx (rounds %.2f-%.2f); lines/s 1 thread %.0f, %d threads %.0f",
		threads, run.Median(ratio), slices.Min(ratio), slices.Max(ratio), run.Median(one), threads, run.Median(many))
}
