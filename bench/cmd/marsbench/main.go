// Command marsbench runs the standard workloads through libmars's C ABI
// and prints one table per workload, writing the figures as JSON and a
// chart (SVG and PNG) too:
//
//	marsbench xlog [flags]   # make bench-xlog
//	marsbench stn [flags]    # make bench-stn
//	marsbench speedup [flags] # make bench-speedup: N threads against one, paired
//
// The workloads are small C programs (bench/xlogload, bench/stnload) built
// against the library in -lib (a `make lib` output); each run is a fresh
// process, so its CPU seconds and peak RSS come from the kernel (wait4).
// Every figure is the median of -runs runs.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/mars-go/mars/bench/internal/chart"
	"github.com/mars-go/mars/bench/internal/run"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: marsbench xlog|stn|speedup [flags] (-h for flags)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "xlog":
		err = xlogMain(os.Args[2:])
	case "stn":
		err = stnMain(os.Args[2:])
	case "speedup":
		err = speedupMain(os.Args[2:])
	default:
		err = fmt.Errorf("unknown workload %q, want xlog, stn or speedup", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "marsbench:", err)
		os.Exit(1)
	}
}

// common are the flags every workload takes.
type common struct {
	lib, out, src string
	runs          int
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.lib, "lib", "../out", "a `make lib` output: lib/libmars.so.0 and include/mars.h")
	fs.StringVar(&c.out, "out", "../out/bench", "where the JSON and the built load programs go")
	fs.StringVar(&c.src, "src", ".", "the bench directory (holds xlogload/ and stnload/)")
	fs.IntVar(&c.runs, "runs", 3, "runs per figure; the table shows the median")
}

// buildC compiles src (relative to -src) against the library into -out.
func (c *common) buildC(src, exe string) (string, error) {
	lib, err := filepath.Abs(c.lib)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(c.out, exe)
	cmd := exec.Command("cc", "-O2", "-Wall", "-o", path, filepath.Join(c.src, src),
		"-I"+filepath.Join(lib, "include"), "-I"+filepath.Join(c.src, "cinclude"), "-L"+filepath.Join(lib, "lib"), "-l:libmars.so.0",
		"-Wl,-rpath,"+filepath.Join(lib, "lib"), "-lpthread")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building %s (run `make lib` first?): %w", src, err)
	}
	return path, nil
}

// report is what a workload writes as JSON.
type report struct {
	Workload string    `json:"workload"`
	Started  time.Time `json:"started"`
	Command  []string  `json:"command"`
	LoadAvg  [2]string `json:"loadavg_before_after"`
	Runs     int       `json:"runs_per_figure"`
	Rows     any       `json:"rows"`
}

func (c *common) writeJSON(r report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(c.out, r.Workload+".json")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Println("figures:", path)
	return nil
}

// writeChart draws the workload's panels next to its JSON.
func (c *common) writeChart(workload string, panels []chart.Panel) error {
	paths, err := chart.Write(filepath.Join(c.out, workload), panels)
	if err != nil {
		return err
	}
	fmt.Println("charts:", strings.Join(paths, " "))
	return nil
}

// medianOf is the median of f over rs.
func medianOf(rs []run.Result, f func(run.Result) float64) float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(r)
	}
	return run.Median(xs)
}
