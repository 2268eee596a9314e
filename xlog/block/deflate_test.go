package block

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// inflatePrefix inflates a raw-deflate stream that was never finished, as
// Mars's decoders do: everything up to the end of the input.
func inflatePrefix(t testing.TB, stream []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(stream)))
	if err != nil && err != io.ErrUnexpectedEOF {
		t.Fatalf("inflate: %v", err)
	}
	return out
}

// checkLines feeds lines one by one to a compressor of kind c and checks,
// after each, that the stream so far decodes (with a decoder other than
// the encoder's author) to exactly the lines so far, which is what a crash
// right after that line leaves, and that the line stayed within
// compressBound. It returns the stream.
func checkLines(t testing.TB, comp compressor, c Compression, lines [][]byte, decode func(testing.TB, []byte) []byte) []byte {
	t.Helper()
	return checkMoreLines(t, comp, c, nil, nil, lines, decode)
}

// checkMoreLines is checkLines for a stream that already holds text.
func checkMoreLines(t testing.TB, comp compressor, c Compression, stream, want []byte, lines [][]byte, decode func(testing.TB, []byte) []byte) []byte {
	t.Helper()
	for i, l := range lines {
		before := len(stream)
		stream = comp.appendCompressed(stream, l)
		if grew, bound := len(stream)-before, compressBound(c, len(l)); grew > bound {
			t.Fatalf("line %d (%d bytes) took %d bytes, bound %d", i, len(l), grew, bound)
		}
		want = append(want, l...)
		if got := decode(t, stream); !bytes.Equal(got, want) {
			t.Fatalf("after line %d: decoded %d bytes, want %d", i, len(got), len(want))
		}
	}
	return stream
}

// deflateFramings are the zlib mode's framings: a sync flush per line
// (HPKE), one block open across lines (no key), and that with TEA's 8-byte
// groups.
var deflateFramings = []deflateFraming{{}, {open: true}, {open: true, group: 8}}

// checkFixedDeflate checks the zlib mode's lines with the standard
// library's inflate in every framing: each line ends on a sync flush, or
// leaves its partial last byte where the framing allows it.
func checkFixedDeflate(t testing.TB, level int, lines [][]byte) {
	t.Helper()
	for _, fr := range deflateFramings {
		checkFraming(t, level, fr, lines)
	}
}

func checkFraming(t testing.TB, level int, fr deflateFraming, lines [][]byte) {
	t.Helper()
	f := newFixedDeflate(level, fr)
	checkLines(t, f, Zlib, lines, func(t testing.TB, stream []byte) []byte {
		switch {
		case !fr.open && !bytes.HasSuffix(stream, []byte{0, 0, 0xFF, 0xFF}):
			t.Fatalf("%+v: a line does not end on a sync flush", fr)
		case f.size != len(stream):
			t.Fatalf("%+v: stream of %d bytes counted as %d", fr, len(stream), f.size)
		case f.carry() > 0 && fr.group > 0 && len(stream)%fr.group == 0:
			t.Fatalf("%+v: the partial byte ends a sealed group", fr)
		}
		return inflatePrefix(t, stream)
	})
}

func TestFixedDeflateRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var lines [][]byte
	for i := range 300 {
		l := []byte("[I][2026-12-07 +0.0 10:40:00.123][4242, 4243][bench][x.c:42, writer][req=")
		l = append(l, []byte(strings.Repeat("0123456789abcdef", r.IntN(4)))...)
		for range r.IntN(40) {
			l = append(l, byte('a'+r.IntN(26)))
		}
		if i%7 == 0 {
			l = append(l, "é中文"...) // bytes 144–255 cost 9 bits
		}
		lines = append(lines, append(l, '\n'))
	}
	// The framing does not depend on the level: every level in the
	// default framing, every framing at the default level.
	for level := range deflateLevels {
		checkFraming(t, level, deflateFraming{open: true}, lines)
	}
	checkFixedDeflate(t, 0, lines)
}

// Matches longer than deflate's 258 bytes are split into legal lengths.
func TestFixedDeflateLongMatches(t *testing.T) {
	var lines [][]byte
	for _, n := range []int{258, 259, 260, 261, 516, 517, 1000, 70000} {
		lines = append(lines, bytes.Repeat([]byte{'x'}, n), []byte(strings.Repeat("ab", n/2)))
	}
	checkFixedDeflate(t, 0, lines)
}

// Text that barely matches and is mostly bytes ≥ 144 is stored rather than
// grow past compressBound; so are lines longer than one stored block.
func TestFixedDeflateStoresIncompressibleLines(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var lines [][]byte
	for _, n := range []int{0, 1, 200, 5000, 70000, 140000} {
		l := make([]byte, n)
		for i := range l {
			l[i] = byte(144 + r.IntN(112))
		}
		lines = append(lines, l)
	}
	checkFixedDeflate(t, 0, lines)
}

func TestDeflateCodes(t *testing.T) {
	for _, c := range []struct {
		n    int
		want code
	}{
		{3, code{257, 0, 0}}, {10, code{264, 0, 0}}, {11, code{265, 0, 1}}, {12, code{265, 1, 1}},
		{19, code{269, 0, 2}}, {227, code{284, 0, 5}}, {257, code{284, 30, 5}}, {258, code{285, 0, 0}},
	} {
		if got := lengthCode(c.n); got != c.want {
			t.Errorf("lengthCode(%d) = %+v, want %+v", c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		d    int
		want code
	}{
		{1, code{0, 0, 0}}, {4, code{3, 0, 0}}, {5, code{4, 0, 1}}, {6, code{4, 1, 1}}, {7, code{5, 0, 1}},
		{25, code{9, 0, 3}}, {24577, code{29, 0, 13}}, {32768, code{29, 8191, 13}},
	} {
		if got := distCode(c.d); got != c.want {
			t.Errorf("distCode(%d) = %+v, want %+v", c.d, got, c.want)
		}
	}
}

// FuzzFixedDeflate: any sequence of lines inflates back, line by line.
func FuzzFixedDeflate(f *testing.F) {
	f.Add(uint8(6), []byte("[I][hello\n"), []byte("[I][hello again\n"), []byte{0xff, 0x90, 0})
	f.Fuzz(func(t *testing.T, level uint8, a, b, c []byte) {
		checkFixedDeflate(t, int(level)%len(deflateLevels), [][]byte{a, b, a, c, b, bytes.Repeat(c, 5)})
	})
}

// In an open block a line costs its symbols only: a line that repeats the
// one before is one match (25 bits; 35 when TEA needs an empty block),
// where a block of its own and a sync flush after it took 9 bytes.
func TestOpenBlockLineCostsItsSymbolsOnly(t *testing.T) {
	line := []byte("[I][2026-12-07 +0.0 10:40:00.123][4242, 4243][bench][x.c:42, writer][req=0123456789 ok]\n")
	for _, fr := range deflateFramings[1:] {
		f := newFixedDeflate(0, fr)
		stream := f.appendCompressed(nil, line)
		for i := range 16 {
			before := len(stream)
			stream = f.appendCompressed(stream, line)
			if grew := len(stream) - before; grew > 5 {
				t.Fatalf("%+v: repeat %d grew the stream by %d bytes", fr, i, grew)
			}
		}
		if got := inflatePrefix(t, stream); !bytes.Equal(got, bytes.Repeat(line, 17)) {
			t.Fatalf("%+v: decoded %q", fr, got)
		}
	}
}
