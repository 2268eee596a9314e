package block

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// unzstdPrefix decodes an unterminated zstd frame as Mars's decoders do:
// everything up to the end of the input.
func unzstdPrefix(t testing.TB, stream []byte) []byte {
	t.Helper()
	d, err := zstd.NewReader(bytes.NewReader(stream), zstd.WithDecoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out, err := io.ReadAll(d)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("zstd: %v after %d bytes", err, len(out))
	}
	return out
}

// checkZstd checks the zstd mode's lines with klauspost's decoder.
func checkZstd(t testing.TB, z *zstdLines, lines [][]byte) []byte {
	t.Helper()
	return checkLines(t, z, Zstd, lines, unzstdPrefix)
}

// logLines are log-like lines: a fixed prefix, repeated tokens, random
// words and now and then non-ASCII text.
func logLines(seed uint64, n int) [][]byte {
	r := rand.New(rand.NewPCG(seed, 7))
	var lines [][]byte
	for i := range n {
		l := []byte("[I][2026-12-07 +0.0 10:40:00.123][4242, 4243][bench][x.c:42, writer][req=")
		l = append(l, []byte(strings.Repeat("0123456789abcdef", r.IntN(4)))...)
		for range r.IntN(40) {
			l = append(l, byte('a'+r.IntN(26)))
		}
		if i%7 == 0 {
			l = append(l, "é中文"...)
		}
		lines = append(lines, append(l, '\n'))
	}
	return lines
}

func TestZstdLinesRoundTrip(t *testing.T) {
	lines := logLines(3, 400)
	for _, level := range []int{0, 1, 3, 9, MaxZstdLevel} {
		z := newZstd(level)
		checkZstd(t, z, lines)
		// A new frame after reset starts with the table the last frame's
		// literals built.
		z.reset()
		checkZstd(t, z, lines[:50])
	}
}

// Every kind of block shows up and decodes: raw, Huffman with and without
// the table description, raw literals, long matches, lines longer than a
// zstd block, empty lines.
func TestZstdLinesEdgeCases(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	noise := func(n int, lo, span int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(lo + r.IntN(span))
		}
		return b
	}
	lines := [][]byte{{}, []byte("a"), noise(200, 0, 256)}
	lines = append(lines, logLines(9, 60)...)
	for _, n := range []int{3, 4, 5, 131, 258, 1000, 1023, 1024, 5000, 70000, 140000} {
		lines = append(lines, bytes.Repeat([]byte{'x'}, n), noise(n, 'a', 16), noise(n, 0, 256), noise(n, 128, 128))
	}
	lines = append(lines, logLines(10, 60)...)
	checkZstd(t, newZstd(0), lines)
}

// The log-like lines take about what the zlib mode takes (their random
// letters leave the matcher little): tables described once per frame leave
// little per line.
func TestZstdLinesCompress(t *testing.T) {
	lines := logLines(11, 2000)
	z := newZstd(0)
	var stream []byte
	text := 0
	for _, l := range lines {
		stream = z.appendCompressed(stream, l)
		text += len(l)
	}
	f := newFixedDeflate(0, deflateFraming{})
	var deflated []byte
	for _, l := range lines {
		deflated = f.appendCompressed(deflated, l)
	}
	if len(stream) > len(deflated)*21/20 {
		t.Errorf("zstd %d bytes, zlib %d, text %d", len(stream), len(deflated), text)
	}
	if got := unzstdPrefix(t, stream); len(got) != text {
		t.Fatalf("decoded %d bytes of %d", len(got), text)
	}
}

// The reference decoder (the zstd command, whose library Mars's decoder
// is) reads the unterminated frame up to its last line.
func TestZstdLinesReferenceDecoder(t *testing.T) {
	bin, err := exec.LookPath("zstd")
	if err != nil {
		t.Skip("no zstd command")
	}
	lines := logLines(12, 1500)
	lines = append(lines, bytes.Repeat([]byte("é"), 3000))
	z := newZstd(0)
	var stream, want []byte
	for i, l := range lines {
		stream = z.appendCompressed(stream, l)
		want = append(want, l...)
		if i%250 != 0 && i != len(lines)-1 {
			continue
		}
		cmd := exec.Command(bin, "-d", "-c", "-q")
		cmd.Stdin = bytes.NewReader(stream)
		var out bytes.Buffer
		cmd.Stdout = &out
		// It reports the frame as truncated, which it is.
		_ = cmd.Run()
		if !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("after line %d: zstd -d gave %d bytes, want %d", i, out.Len(), len(want))
		}
	}
}

// FuzzZstdLines: any sequence of lines decodes back, line by line, also
// after log lines that built the writer's own tables.
func FuzzZstdLines(f *testing.F) {
	f.Add(uint8(3), []byte("[I][hello\n"), []byte("[I][hello again\n"), []byte{0xff, 0x90, 0})
	prime := logLines(13, 150)
	f.Fuzz(func(t *testing.T, level uint8, a, b, c []byte) {
		z := newZstd(int(level) % (MaxZstdLevel + 1))
		var stream, text []byte
		for _, l := range prime {
			stream = z.appendCompressed(stream, l)
			text = append(text, l...)
		}
		lines := [][]byte{a, b, a, c, b, bytes.Repeat(c, 5)}
		for range 8 {
			lines = append(lines, a, b)
		}
		checkMoreLines(t, z, Zstd, stream, text, lines, unzstdPrefix)
	})
}

// A new frame rebuilds the tables in place: a logger's heap, which the
// other modes leave alone once open, does not grow garbage with zstd
// (garbage raised the process's peak RSS by the GC's 4 MB minimum heap).
func TestZstdLinesFrameAllocs(t *testing.T) {
	lines := logLines(14, 500)
	z := newZstd(0)
	var stream []byte
	frame := func() {
		z.reset()
		stream = stream[:0]
		for _, l := range lines {
			stream = z.appendCompressed(stream, l)
		}
	}
	frame()
	frame()
	if n := testing.AllocsPerRun(5, frame); n != 0 {
		t.Errorf("%.1f allocations per frame", n)
	}
}

// TestZstdDefaultLevelSkipsHashingInsideLongMatches: up to the default
// level a match over zstdInsertMax bytes is not hashed inside; above it,
// every position is, so that higher levels keep finding more.
func TestZstdDefaultLevelSkipsHashingInsideLongMatches(t *testing.T) {
	for level, want := range map[int]int{0: zstdInsertMax, zstdLevel: zstdInsertMax, zstdLevel + 1: 0, MaxZstdLevel: 0} {
		if got := newZstd(level).dict.limits.insertMax; got != want {
			t.Errorf("level %d: insertMax %d, want %d", level, got, want)
		}
	}
}
