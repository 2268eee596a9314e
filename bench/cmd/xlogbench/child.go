package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/mars-go/mars/xlog"
	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/decode"
)

// Test key pair from shared/testdata/mars-xlog/README.md.
const (
	marsPriv = "cd3ebd9bde16e288447f8fe4b53766640bf5a3838bfe3e9769c8d5402c351b24"
	marsPub  = "3108f6a59fcebc32fcc67c5307cdade439b2a8be7dfc1bfff37280afa4ba471b07b03a897b83199b5311362db259404679a40e3b997ab82cb44f8d605e361333"
	filler   = "action=upload_chunk status=ok retry=0 region=ap-south net=wifi the quick brown fox"
)

func runChild(name string, threads, lines int, profile string) result {
	r := result{Config: name, Threads: threads, Lines: lines}
	dir, err := os.MkdirTemp("", "xlogbench-")
	if err != nil {
		r.Err = err.Error()
		return r
	}
	defer os.RemoveAll(dir)
	cfg := xlog.Config{LogDir: dir, NamePrefix: "bench", Level: xlog.LevelInfo}
	var keys crypt.PrivateKeys
	codec, cr, _ := strings.Cut(name, "+")
	switch codec {
	case "lz4":
		cfg.Compression = xlog.LZ4
	case "zstd":
		cfg.Compression = xlog.Zstd
	}
	switch cr {
	case "mars":
		cfg.PublicKey, keys.Mars = marsPub, marsPriv
	case "hpke":
		priv, pub, err := crypt.GenerateHPKEKey()
		if err != nil {
			r.Err = err.Error()
			return r
		}
		cfg.PublicKey, keys.HPKE = pub, priv
	}
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			r.Err = err.Error()
			return r
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			r.Err = err.Error()
			return r
		}
		defer pprof.StopCPUProfile()
	}
	before := cpuSeconds()
	start := time.Now()
	l, err := xlog.Open(cfg)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	logAll(l, threads, lines)
	if err := l.Close(); err != nil {
		r.Err = err.Error()
	}
	r.Seconds = time.Since(start).Seconds()
	r.CPU = cpuSeconds() - before
	r.RSSKiB = maxRSSKiB()
	r.LinesSec = float64(lines) / r.Seconds
	st := l.Stats()
	r.Dropped, r.Blocked = st.LinesDropped, st.BlockedWaits
	r.Bytes, r.Lost = countLines(dir, keys, threads, lines)
	return r
}

// logAll has each of threads goroutines log its share of lines. Bodies are
// 100 bytes like Mars's driver: "t=T seq=NNNNNNN h=HHHHHHHH " + filler.
func logAll(l *xlog.Logger, threads, lines int) {
	var wg sync.WaitGroup
	for t := range threads {
		wg.Go(func() {
			buf := make([]byte, 0, 128)
			for i := t; i < lines; i += threads {
				buf = appendBody(buf[:0], t, i)
				l.Log(xlog.LevelInfo, "bench", "bench.go", "worker", 41, unsafe.String(&buf[0], len(buf)))
			}
		})
	}
	wg.Wait()
}

func appendBody(b []byte, t, i int) []byte {
	b = append(b, "t="...)
	b = strconv.AppendInt(b, int64(t), 10)
	b = append(b, " seq="...)
	b = appendPadded(b, i, 7)
	b = append(b, " h="...)
	h := strconv.FormatUint(uint64(uint32((i+1)*2654435761)), 16)
	b = append(b, strings.Repeat("0", 8-len(h))...)
	b = append(b, h...)
	b = append(b, ' ')
	return append(b, filler[:min(len(filler), 100-len(b))]...)
}

func appendPadded(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// countLines decodes the files and returns their size and how many of the
// logged lines are missing (each line is looked for by its seq number).
func countLines(dir string, keys crypt.PrivateKeys, threads, lines int) (int64, int) {
	names, _ := filepath.Glob(filepath.Join(dir, "*.xlog"))
	var size int64
	var text bytes.Buffer
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		if st, err := f.Stat(); err == nil {
			size += st.Size()
		}
		d, err := decode.New(decode.Options{Keys: keys})
		if err == nil {
			_, _ = d.Decode(&text, f) // a decode error shows up as lost lines
		}
		f.Close()
	}
	seen := make([]bool, lines)
	found := 0
	for _, line := range bytes.Split(text.Bytes(), []byte("\n")) {
		i := bytes.Index(line, []byte(" seq="))
		if i < 0 || !bytes.Contains(line, []byte("[bench][bench.go:41, worker][")) {
			continue
		}
		n, err := strconv.Atoi(string(line[i+5 : min(len(line), i+12)]))
		if err == nil && n < lines && !seen[n] {
			seen[n] = true
			found++
		}
	}
	return size, lines - found
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func maxRSSKiB() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss
}
