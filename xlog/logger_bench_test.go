package xlog

import (
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/mars-go/mars/xlog/crypt"
)

const benchMessage = "t=0 seq=0000000 h=9e3779b1 action=upload_chunk status=ok retry=0 region=ap-south net=wifi the q"

func benchLogger(b *testing.B, cfg Config) *Logger {
	b.Helper()
	cfg.LogDir = b.TempDir()
	l, err := Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

// BenchmarkLog is one enabled log call (format, compress, buffer) per op.
func BenchmarkLog(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"zlib", Config{}},
		{"lz4", Config{Compression: LZ4}},
		{"zstd", Config{Compression: Zstd}},
		{"zlib-mars-crypt", Config{PublicKey: marsPub}},
		{"lz4-mars-crypt", Config{Compression: LZ4, PublicKey: marsPub}},
		{"lz4-hpke", Config{Compression: LZ4, PublicKey: benchHPKEKey(b)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			l := benchLogger(b, c.cfg)
			msg := []byte(benchMessage)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				varyMessage(msg, i)
				l.Log(LevelInfo, "bench", "bench.go", "worker", 41, unsafe.String(&msg[0], len(msg)))
			}
		})
	}
}

func benchHPKEKey(b *testing.B) string {
	_, pub, err := crypt.GenerateHPKEKey()
	if err != nil {
		b.Fatal(err)
	}
	return pub
}

// BenchmarkLogDisabled is a log call below the logger's level.
func BenchmarkLogDisabled(b *testing.B) {
	l := benchLogger(b, Config{Level: LevelWarn})
	b.ReportAllocs()
	for b.Loop() {
		l.Log(LevelInfo, "bench", "bench.go", "worker", 41, benchMessage)
	}
}

// BenchmarkLogParallel logs from GOMAXPROCS goroutines at once.
func BenchmarkLogParallel(b *testing.B) {
	l := benchLogger(b, Config{Compression: LZ4})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.Log(LevelInfo, "bench", "bench.go", "worker", 41, benchMessage)
		}
	})
}

// varyMessage writes i's seq and hash into msg, as Mars's driver does, so the
// compressor sees realistic lines rather than one repeated line.
func varyMessage(msg []byte, i int) {
	var digits [20]byte
	seq := strconv.AppendInt(digits[:0], int64(10_000_000+i%10_000_000), 10)
	copy(msg[8:15], seq[1:])
	h := strconv.AppendUint(digits[:0], uint64(uint32((i+1)*2654435761))|1<<32, 16)
	copy(msg[18:26], h[1:])
}

// BenchmarkLogThreads logs from 1, 2 and 4 goroutines, each locked to its
// own OS thread as a C thread calling through the C ABI is (a waiter on the
// logger's lock is then woken on its own thread, not on any). ns/op is per
// line for all threads together: threads=4 at or below threads=1 means four
// threads are at least as fast as one. zlib lines are parsed by their
// threads at once (pipeline.go) and written in order under the lock; LZ4
// and zstd lines take turns.
func BenchmarkLogThreads(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"zlib", Config{}},
		{"lz4", Config{Compression: LZ4}},
	} {
		for _, threads := range []int{1, 2, 4} {
			b.Run(c.name+"/threads="+strconv.Itoa(threads), func(b *testing.B) {
				l := benchLogger(b, c.cfg)
				b.ReportAllocs()
				var next atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				for range threads {
					wg.Go(func() {
						runtime.LockOSThread()
						defer runtime.UnlockOSThread()
						msg := []byte(benchMessage)
						for {
							i := next.Add(1)
							if i > int64(b.N) {
								return
							}
							varyMessage(msg, int(i))
							l.Log(LevelInfo, "bench", "bench.go", "worker", 41, unsafe.String(&msg[0], len(msg)))
						}
					})
				}
				wg.Wait()
			})
		}
	}
}
