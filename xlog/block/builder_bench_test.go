package block

import (
	"bufio"
	"bytes"
	"os"
	"testing"
)

// marsText is the decoded text of Mars's own zlib test file: 2 000 lines of
// 177 bytes plus banners, the workload of Mars's own benchmark.
const marsText = "../../testdata/mars-xlog/zlib.txt"

// marsZlibBytesPerLine is what Mars's own zlib writer stores.
const marsZlibBytesPerLine = 21.40

// flushAt is Mars's wake-up threshold: blocks end a little over 1/3 of the
// 150 KiB buffer.
const flushAt = 51200

func benchLines(b *testing.B) [][]byte {
	f, err := os.ReadFile(marsText)
	if err != nil {
		b.Skip("no Mars testdata")
	}
	var lines [][]byte
	s := bufio.NewScanner(bytes.NewReader(f))
	for s.Scan() {
		if bytes.HasPrefix(s.Bytes(), []byte("[I]")) {
			lines = append(lines, append(bytes.Clone(s.Bytes()), '\n'))
		}
	}
	return lines
}

// benchTestPub is the testdata's public key (never a real one).
const benchTestPub = "3108f6a59fcebc32fcc67c5307cdade439b2a8be7dfc1bfff37280afa4ba471b07b03a897b83199b5311362db259404679a40e3b997ab82cb44f8d605e361333"

func benchOptions(b *testing.B) map[string]Options {
	return map[string]Options{
		"zlib":      {Compression: Zlib},
		"zlib+mars": {Compression: Zlib, PublicKey: benchTestPub},
		"lz4":       {Compression: LZ4},
		"lz4+mars":  {Compression: LZ4, PublicKey: benchTestPub},
		"zlib+hpke": {Compression: Zlib, PublicKey: hpkeBenchPub(b)},
		"lz4+hpke":  {Compression: LZ4, PublicKey: hpkeBenchPub(b)},
		"zstd":      {Compression: Zstd},
		"zstd+mars": {Compression: Zstd, PublicKey: benchTestPub},
	}
}

// BenchmarkAppendLine measures one 177-byte line into a 150 KiB buffer,
// finishing blocks at Mars's 51 200-byte threshold, and reports the bytes
// each line costs on disk (header and tail shared over the block).
func BenchmarkAppendLine(b *testing.B) {
	lines := benchLines(b)
	for _, name := range []string{"zlib", "zlib+mars", "zlib+hpke", "lz4", "lz4+mars", "lz4+hpke", "zstd", "zstd+mars"} {
		o := benchOptions(b)[name]
		b.Run(name, func(b *testing.B) {
			bl, err := NewBuilder(o)
			if err != nil {
				b.Fatal(err)
			}
			perLine := benchBlocks(b, bl, lines, func(buf, line []byte) ([]byte, error) {
				return bl.AppendLine(buf, line)
			})
			b.ReportMetric(perLine/marsZlibBytesPerLine*100, "%-of-mars-zlib-size")
		})
	}
}

// benchBlocks appends lines with add into a 150 KiB buffer, finishing
// blocks at Mars's 51 200-byte threshold, and reports (and returns) the
// bytes each line costs on disk (header and tail shared over the block).
func benchBlocks(b *testing.B, bl *Builder, lines [][]byte, add func(buf, line []byte) ([]byte, error)) float64 {
	buf, _ := bl.Start(make([]byte, 0, 150<<10), 1, 0)
	var disk, n int64
	var err error
	b.ReportAllocs()
	b.SetBytes(int64(len(lines[0])))
	for i := 0; b.Loop(); i++ {
		if buf, err = add(buf, lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
		n++
		if len(buf) >= flushAt {
			buf = bl.Finish(buf, 0)
			disk += int64(len(buf))
			buf, _ = bl.Start(buf[:0], 1, 0)
		}
	}
	disk += int64(len(buf)) + 1
	perLine := float64(disk) / float64(n)
	b.ReportMetric(perLine, "disk-B/line")
	return perLine
}

// BenchmarkAppendSync measures one sync block (Mars sync mode, tips). With
// HPKE each sync block pays its own X25519 encapsulation.
func BenchmarkAppendSync(b *testing.B) {
	lines := benchLines(b)
	for _, name := range []string{"zlib", "zlib+mars", "zlib+hpke"} {
		o := benchOptions(b)[name]
		b.Run(name, func(b *testing.B) {
			bl, err := NewBuilder(o)
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 0, 4096)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if buf, err = bl.AppendSync(buf[:0], lines[i%len(lines)], 0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(buf)), "disk-B/line")
		})
	}
}
