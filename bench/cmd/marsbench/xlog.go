package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/mars-go/mars/bench/internal/chart"
	"github.com/mars-go/mars/bench/internal/run"
	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/decode"
)

// Compression numbers as in mars.h (Mars's own: 0 zlib, 1 zstd, 3 lz4).
const (
	compressZlib = 0
	compressZstd = 1
	compressLZ4  = 3
)

type xlogMode struct {
	name     string
	compress int
	key      string // "mars", "hpke" or "" (clear text)
}

var xlogModes = []xlogMode{
	{"zlib", compressZlib, ""},
	{"zlib+mars-key", compressZlib, "mars"},
	{"zstd", compressZstd, ""},
	{"lz4", compressLZ4, ""},
	{"lz4+hpke", compressLZ4, "hpke"},
}

// xlogRow is one mode at one thread count: medians over the runs.
type xlogRow struct {
	Mode         string    `json:"mode"`
	Threads      int       `json:"threads"`
	Lines        int       `json:"lines"`
	LinesPerSec  float64   `json:"lines_per_s"`
	CPUSeconds   float64   `json:"cpu_s"`
	PeakRSSMB    float64   `json:"peak_rss_mb"`
	BytesPerLine float64   `json:"bytes_per_line"`
	LinesLost    int       `json:"lines_lost_max"` // the worst run, not the median
	Runs         []xlogRun `json:"runs"`
}

type xlogRun struct {
	LinesPerSec  float64 `json:"lines_per_s"`
	CPUSeconds   float64 `json:"cpu_s"`
	PeakRSSMB    float64 `json:"peak_rss_mb"`
	BytesPerLine float64 `json:"bytes_per_line"`
	LinesLost    int     `json:"lines_lost"`
}

func xlogMain(args []string) error {
	fs := flag.NewFlagSet("marsbench xlog", flag.ExitOnError)
	var c common
	c.register(fs)
	lines := fs.Int("lines", 1_000_000, "lines per run (100-byte bodies)")
	threads := fs.String("threads", "1,4", "writer thread counts, comma-separated")
	fs.Parse(args)
	counts, err := positiveInts(*threads)
	if err != nil {
		return fmt.Errorf("-threads: %w", err)
	}
	exe, keys, pubs, err := c.xlogProgram()
	if err != nil {
		return err
	}

	rep := report{Workload: "xlog", Started: time.Now().UTC(), Command: os.Args, Runs: c.runs}
	rep.LoadAvg[0] = run.LoadAvg()
	var rows []xlogRow
	for _, m := range xlogModes {
		for _, t := range counts {
			row := xlogRow{Mode: m.name, Threads: t, Lines: *lines}
			var rs []run.Result
			for i := 0; i < c.runs; i++ {
				r, xr, err := xlogOnce(exe, m, pubs[m.key], keys, t, *lines)
				if err != nil {
					return fmt.Errorf("%s, %d threads: %w", m.name, t, err)
				}
				rs = append(rs, r)
				row.Runs = append(row.Runs, xr)
				row.LinesLost = max(row.LinesLost, xr.LinesLost)
			}
			row.LinesPerSec = medianOf(rs, func(r run.Result) float64 { return r.Float("lines_per_s") })
			row.CPUSeconds = medianOf(rs, func(r run.Result) float64 { return r.CPU })
			row.PeakRSSMB = medianOf(rs, func(r run.Result) float64 { return r.Float("hwm_kb") / 1024 })
			row.BytesPerLine = medianOf(rs, func(r run.Result) float64 { return r.Float("bytes_per_line") })
			fmt.Fprintf(os.Stderr, "marsbench: xlog %s %d threads: %.0f lines/s\n", m.name, t, row.LinesPerSec)
			rows = append(rows, row)
		}
	}
	rep.LoadAvg[1] = run.LoadAvg()
	rep.Rows = rows

	fmt.Printf("xlog: %d lines of 100-byte bodies, async, through the C ABI; median of %d runs; loadavg %s -> %s\n",
		*lines, c.runs, rep.LoadAvg[0], rep.LoadAvg[1])
	fmt.Println("| mode | threads | lines/s (first write to close) | CPU s | peak RSS MB | bytes/line on disk | lines lost (worst run) |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %s | %d | %.0f | %.2f | %.1f | %.1f | %d |\n",
			r.Mode, r.Threads, r.LinesPerSec, r.CPUSeconds, r.PeakRSSMB, r.BytesPerLine, r.LinesLost)
	}
	if err := c.writeJSON(rep); err != nil {
		return err
	}
	return c.writeChart("xlog", xlogPanels(rows, *lines))
}

// xlogProgram builds xlogload and makes this run's key pairs: the private
// keys for decoding and the public key xlogload takes for each
// xlogMode.key ("-": none).
func (c *common) xlogProgram() (exe string, keys crypt.PrivateKeys, pubs map[string]string, err error) {
	if exe, err = c.buildC("xlogload/xlogload.c", "xlogload"); err != nil {
		return "", keys, nil, err
	}
	marsPriv, marsPub, err := crypt.GenerateMarsKey()
	if err != nil {
		return "", keys, nil, err
	}
	hpkePriv, hpkePub, err := crypt.GenerateHPKEKey()
	if err != nil {
		return "", keys, nil, err
	}
	keys = crypt.PrivateKeys{Mars: marsPriv, HPKE: hpkePriv}
	return exe, keys, map[string]string{"": "-", "mars": marsPub, "hpke": hpkePub}, nil
}

// xlogPanels draws a group of bars per mode, one bar per thread count.
func xlogPanels(rows []xlogRow, lines int) []chart.Panel {
	var modes []string
	series := map[int]*chart.Series{}
	var threads []int
	measures := []struct {
		title, unit string
		of          func(xlogRow) float64
	}{
		{fmt.Sprintf("xlog, %d lines of 100-byte bodies, async: lines/s, first write to close", lines), "lines/s", func(r xlogRow) float64 { return r.LinesPerSec }},
		{"CPU seconds (user + system)", "CPU s", func(r xlogRow) float64 { return r.CPUSeconds }},
		{"peak RSS", "MB", func(r xlogRow) float64 { return r.PeakRSSMB }},
		{"bytes per line on disk", "B/line", func(r xlogRow) float64 { return r.BytesPerLine }},
	}
	for _, r := range rows {
		if !slices.Contains(modes, r.Mode) {
			modes = append(modes, r.Mode)
		}
		if _, ok := series[r.Threads]; !ok {
			threads = append(threads, r.Threads)
			series[r.Threads] = &chart.Series{}
		}
	}
	panels := make([]chart.Panel, len(measures))
	for i, m := range measures {
		panels[i] = chart.Panel{Title: m.title, YLabel: m.unit, Groups: modes}
		for _, t := range threads {
			s := chart.Series{Name: threadsName(t), Values: make([]float64, len(modes))}
			for _, r := range rows {
				if r.Threads == t {
					s.Values[slices.Index(modes, r.Mode)] = m.of(r)
				}
			}
			panels[i].Series = append(panels[i].Series, s)
		}
	}
	return panels
}

// xlogOnce runs the workload once in a fresh directory, then decodes every
// file and counts the distinct line ids it finds.
func xlogOnce(exe string, m xlogMode, pub string, keys crypt.PrivateKeys, threads, lines int) (run.Result, xlogRun, error) {
	dir, err := os.MkdirTemp("", "marsbench-xlog-")
	if err != nil {
		return run.Result{}, xlogRun{}, err
	}
	defer os.RemoveAll(dir)
	// The last run's decode left garbage: collect it now, not on this
	// machine's other core while the run is timed.
	runtime.GC()
	r, err := run.Child(nil, exe, dir, strconv.Itoa(m.compress), pub, strconv.Itoa(threads), strconv.Itoa(lines))
	if err != nil {
		return r, xlogRun{}, err
	}
	size, found, err := decodeDir(dir, keys, lines)
	if err != nil {
		return r, xlogRun{}, err
	}
	elapsed := r.Float("elapsed_ns") / 1e9
	r.Fields["lines_per_s"] = strconv.FormatFloat(float64(lines)/elapsed, 'f', 0, 64)
	r.Fields["bytes_per_line"] = strconv.FormatFloat(float64(size)/float64(lines), 'f', 2, 64)
	xr := xlogRun{
		LinesPerSec: r.Float("lines_per_s"), CPUSeconds: r.CPU, PeakRSSMB: r.Float("hwm_kb") / 1024,
		BytesPerLine: r.Float("bytes_per_line"), LinesLost: lines - found,
	}
	return r, xr, nil
}

// idMark starts every body xlogload writes (bench/xlogload/logbody.h).
var idMark = []byte("req=")

// decodeDir decodes every .xlog file in dir and returns their total size
// and how many distinct ids below lines its text holds.
func decodeDir(dir string, keys crypt.PrivateKeys, lines int) (size int64, found int, err error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.xlog"))
	if err != nil {
		return 0, 0, err
	}
	seen := make([]bool, lines)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, 0, err
		}
		size += int64(len(data))
		var text bytes.Buffer
		if _, err := decode.Decode(&text, bytes.NewReader(data), decode.Options{Keys: keys}); err != nil {
			return 0, 0, fmt.Errorf("decoding %s: %w", f, err)
		}
		for rest := text.Bytes(); ; {
			i := bytes.Index(rest, idMark)
			if i < 0 {
				break
			}
			rest = rest[i+len(idMark):]
			if len(rest) < 10 {
				break
			}
			id, err := strconv.Atoi(string(rest[:10]))
			if err == nil && id >= 0 && id < lines && !seen[id] {
				seen[id] = true
				found++
			}
		}
	}
	return size, found, nil
}

func threadsName(n int) string {
	if n == 1 {
		return "1 thread"
	}
	return fmt.Sprintf("%d threads", n)
}
