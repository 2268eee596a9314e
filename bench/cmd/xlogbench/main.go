// Command xlogbench is the million-line benchmark Mars's xlog was measured
// with: N lines of ~100 bytes through an async Logger from T goroutines, for
// each codec with and without encryption. Each configuration runs in its own
// child process so that peak RSS and CPU time are its own. It prints lines/s,
// CPU seconds, peak RSS, bytes on disk, bytes per line and lines lost, with
// Mars's figures from the reference beside them.
//
//	cd bench && go run ./cmd/xlogbench [-lines 1000000] [-threads 1,4]
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// result is what a child reports on its stdout.
type result struct {
	Config   string  `json:"config"`
	Threads  int     `json:"threads"`
	Lines    int     `json:"lines"`
	Seconds  float64 `json:"seconds"`
	CPU      float64 `json:"cpu"`
	RSSKiB   int64   `json:"rss_kib"`
	Bytes    int64   `json:"bytes"`
	Lost     int     `json:"lost"`
	Dropped  uint64  `json:"dropped"`
	Blocked  uint64  `json:"blocked"`
	Err      string  `json:"err,omitempty"`
	LinesSec float64 `json:"lines_per_sec"`
}

// marsFigures are Mars's medians on this machine.
var marsFigures = map[string]string{
	"zlib/1":      "61 755 l/s, 13.75 s CPU, 4.0 MiB, 21.40 B/line",
	"zlib/4":      "63 668 l/s, 14.46 s CPU, 4.8 MiB, 21.25 B/line",
	"zlib+mars/1": "64 712 l/s, 13.98 s CPU, 4.0 MiB, 21.40 B/line",
	"zlib+mars/4": "69 048 l/s, 14.64 s CPU, 4.9 MiB, 21.26 B/line",
	"zstd/1":      "133 403 l/s, 7.57 s CPU, 4.7 MiB, 26.68 B/line",
	"zstd/4":      "136 297 l/s, 8.27 s CPU, 4.8 MiB, 27.59 B/line",
	"zstd+mars/1": "128 371 l/s, 7.85 s CPU, 4.6 MiB, 26.74 B/line",
	"zstd+mars/4": "123 123 l/s, 9.01 s CPU, 4.8 MiB, 27.43 B/line",
}

func main() {
	lines := flag.Int("lines", 1_000_000, "lines per run")
	threads := flag.String("threads", "1,4", "comma-separated goroutine counts")
	configs := flag.String("configs", "zlib,zlib+mars,zstd,zstd+mars,lz4,lz4+mars,lz4+hpke", "comma-separated configurations")
	child := flag.String("child", "", "internal: run one configuration")
	childThreads := flag.Int("child-threads", 1, "internal")
	profile := flag.String("cpuprofile", "", "write a CPU profile of each run to <this>.<config>.<T>")
	flag.Parse()
	if *child != "" {
		r := runChild(*child, *childThreads, *lines, *profile)
		if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
			os.Exit(1)
		}
		return
	}
	fmt.Printf("%-10s %3s %10s %7s %8s %11s %7s %6s %7s  %s\n",
		"config", "T", "lines/s", "CPU s", "RSS MiB", "disk bytes", "B/line", "lost", "blocked", "Mars")
	for _, cfg := range strings.Split(*configs, ",") {
		for _, ts := range strings.Split(*threads, ",") {
			t, err := strconv.Atoi(ts)
			if err != nil {
				fmt.Fprintln(os.Stderr, "bad -threads:", err)
				os.Exit(2)
			}
			r, err := spawn(cfg, t, *lines, *profile)
			if err != nil || r.Err != "" {
				fmt.Printf("%-10s %3d error: %v %s\n", cfg, t, err, r.Err)
				continue
			}
			fmt.Printf("%-10s %3d %10.0f %7.2f %8.1f %11d %7.2f %6d %7d  %s\n",
				cfg, t, r.LinesSec, r.CPU, float64(r.RSSKiB)/1024, r.Bytes, float64(r.Bytes)/float64(r.Lines),
				r.Lost, r.Blocked, marsFigures[cfg+"/"+ts])
		}
	}
}

func spawn(cfg string, threads, lines int, profile string) (result, error) {
	var r result
	args := []string{"-child", cfg, "-child-threads", strconv.Itoa(threads), "-lines", strconv.Itoa(lines)}
	if profile != "" {
		args = append(args, "-cpuprofile", profile+"."+cfg+"."+strconv.Itoa(threads))
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return r, err
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &r); err == nil {
			return r, nil
		}
	}
	return r, fmt.Errorf("no result from child")
}
