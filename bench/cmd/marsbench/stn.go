package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/mars-go/mars/bench/internal/chart"
	"github.com/mars-go/mars/bench/internal/run"
)

// stnRow is one in-flight level: medians over the runs.
type stnRow struct {
	InFlight      int                 `json:"in_flight"`
	Tasks         int                 `json:"tasks"`
	TasksPerSec   float64             `json:"tasks_per_s"`
	P50us         float64             `json:"p50_us"`
	P99us         float64             `json:"p99_us"`
	CPUPer100k    float64             `json:"cpu_s_per_100k"`
	PeakRSSMB     float64             `json:"peak_rss_mb"`
	FailedMaxRuns int                 `json:"failed_max"` // the worst run
	Runs          []map[string]string `json:"runs"`
}

func stnMain(args []string) error {
	fs := flag.NewFlagSet("marsbench stn", flag.ExitOnError)
	var c common
	c.register(fs)
	marsd := fs.String("marsd", "../out/bin/marsd", "the marsd binary (make build)")
	tasks := fs.Int("tasks", 100_000, "tasks per run")
	levels := fs.String("inflight", "1,16,256", "tasks kept in flight, comma-separated")
	links := fs.Int("links", 1, "long links the tasks take in turn: 1, or 2 (a second named link to a second marsd listener)")
	fs.Parse(args)
	if *links != 1 && *links != 2 {
		return fmt.Errorf("-links %d: want 1 or 2", *links)
	}
	counts, err := positiveInts(*levels)
	if err != nil {
		return fmt.Errorf("-inflight: %w", err)
	}
	exe, err := c.buildC("stnload/stnload.c", "stnload")
	if err != nil {
		return err
	}
	host, port, second, stop, err := startMarsd(*marsd, *links == 2)
	if err != nil {
		return err
	}
	defer stop()
	childArgs := func(n int) []string {
		a := []string{host, port, strconv.Itoa(n), strconv.Itoa(*tasks)}
		if *links == 2 {
			a = append(a, second)
		}
		return a
	}

	rep := report{Workload: "stn", Started: time.Now().UTC(), Command: os.Args, Runs: c.runs}
	rep.LoadAvg[0] = run.LoadAvg()
	var rows []stnRow
	for _, n := range counts {
		row := stnRow{InFlight: n, Tasks: *tasks}
		var rs []run.Result
		for i := 0; i < c.runs; i++ {
			r, err := run.Child(nil, exe, childArgs(n)...)
			if err != nil {
				return fmt.Errorf("%d in flight: %w", n, err)
			}
			rs = append(rs, r)
			row.Runs = append(row.Runs, r.Fields)
			row.FailedMaxRuns = max(row.FailedMaxRuns, int(r.Float("failed")))
		}
		row.TasksPerSec = medianOf(rs, func(r run.Result) float64 { return float64(*tasks) / (r.Float("elapsed_ns") / 1e9) })
		row.P50us = medianOf(rs, func(r run.Result) float64 { return r.Float("p50_us") })
		row.P99us = medianOf(rs, func(r run.Result) float64 { return r.Float("p99_us") })
		row.CPUPer100k = medianOf(rs, func(r run.Result) float64 { return r.Float("cpu_s") * 100_000 / float64(*tasks) })
		row.PeakRSSMB = medianOf(rs, func(r run.Result) float64 { return r.Float("hwm_kb") / 1024 })
		fmt.Fprintf(os.Stderr, "marsbench: stn %d in flight: %.0f tasks/s\n", n, row.TasksPerSec)
		rows = append(rows, row)
	}
	rep.LoadAvg[1] = run.LoadAvg()
	rep.Rows = rows

	fmt.Printf("stn: %d echo tasks per run on %d long link(s) to marsd (a separate process), through the C ABI; median of %d runs; loadavg %s -> %s\n",
		*tasks, *links, c.runs, rep.LoadAvg[0], rep.LoadAvg[1])
	fmt.Println("| in flight | tasks/s | p50 µs | p99 µs | client CPU s per 100k tasks | peak RSS MB | failed (worst run) |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %d | %.0f | %.0f | %.0f | %.2f | %.1f | %d |\n",
			r.InFlight, r.TasksPerSec, r.P50us, r.P99us, r.CPUPer100k, r.PeakRSSMB, r.FailedMaxRuns)
	}
	if err := c.writeJSON(rep); err != nil {
		return err
	}
	return c.writeChart("stn", stnPanels(rows, *tasks))
}

// stnPanels draws a bar per in-flight level for each measure.
func stnPanels(rows []stnRow, tasks int) []chart.Panel {
	levels := make([]string, len(rows))
	for i, r := range rows {
		levels[i] = fmt.Sprintf("%d in flight", r.InFlight)
	}
	panel := func(title, unit string, of func(stnRow) float64) chart.Panel {
		s := chart.Series{Name: "mars-go (C ABI)", Values: collect(rows, of)}
		return chart.Panel{Title: title, YLabel: unit, Groups: levels, Series: []chart.Series{s}}
	}
	return []chart.Panel{
		panel(fmt.Sprintf("stn, %d echo tasks to marsd: tasks/s", tasks), "tasks/s", func(r stnRow) float64 { return r.TasksPerSec }),
		{Title: "latency per task", YLabel: "µs", Groups: levels, Series: []chart.Series{
			{Name: "p50", Values: collect(rows, func(r stnRow) float64 { return r.P50us })},
			{Name: "p99", Values: collect(rows, func(r stnRow) float64 { return r.P99us })},
		}},
		panel("client CPU s per 100k tasks", "CPU s", func(r stnRow) float64 { return r.CPUPer100k }),
		panel("peak RSS", "MB", func(r stnRow) float64 { return r.PeakRSSMB }),
	}
}

func collect(rows []stnRow, of func(stnRow) float64) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = of(r)
	}
	return out
}

// startMarsd starts marsd on loopback ports of its choosing and returns its
// long-link address and a stop function; withSecond adds a long-link
// listener "b" (--long-extra), whose port is second.
func startMarsd(path string, withSecond bool) (host, port, second string, stop func(), err error) {
	args := []string{"--long", "127.0.0.1:0", "--short", "127.0.0.1:0", "--client-version", "200"}
	if withSecond {
		args = append(args, "--long-extra", "b=127.0.0.1:0")
	}
	cmd := exec.Command(path, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", "", "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", "", "", nil, fmt.Errorf("starting marsd (run `make build`?): %w", err)
	}
	stop = func() { cmd.Process.Kill(); cmd.Wait() }
	br := bufio.NewReader(out)
	line, err := br.ReadString('\n')
	go io.Copy(io.Discard, br) // marsd must never block on a full pipe
	kv := run.KeyValues(strings.TrimPrefix(line, "marsd "))
	host, port, splitErr := net.SplitHostPort(kv["long"])
	if withSecond && splitErr == nil {
		_, second, splitErr = net.SplitHostPort(kv["long.b"])
	}
	if err != nil || splitErr != nil {
		stop()
		return "", "", "", nil, fmt.Errorf("marsd said %q", line)
	}
	return host, port, second, stop, nil
}

func positiveInts(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q: want positive numbers", s)
		}
		ns = append(ns, n)
	}
	return ns, nil
}
