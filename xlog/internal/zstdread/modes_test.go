package zstdread

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// Hand-made frames for the modes real encoders rarely use and for each
// error, small enough to check byte by byte.

// frameOf is a frame header (64 KiB window, no size, no checksum) and blocks.
func frameOf(blocks ...[]byte) []byte {
	f := []byte{0x28, 0xB5, 0x2F, 0xFD, 0x00, 6 << 3}
	for _, b := range blocks {
		f = append(f, b...)
	}
	return f
}

// blk is a block header and its content; size is the header's size field.
func blk(last bool, kind, size int, content ...byte) []byte {
	h := size<<3 | kind<<1
	if last {
		h |= 1
	}
	return append([]byte{byte(h), byte(h >> 8), byte(h >> 16)}, content...)
}

// compressed is a compressed block of the given content.
func compressed(last bool, content ...byte) []byte {
	return blk(last, zstdspec.BlockCompressed, len(content), content...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// abWeights is a Huffman table description, weights written directly:
// 'a' (97) and the implied 'b' each get a 1-bit code, 'a' = 0.
func abWeights() []byte {
	d := make([]byte, 1+49)
	d[0] = 127 + 98
	d[1+97/2] = 1 // symbol 97 is the low nibble of its byte
	return d
}

// huffHeader is a Huffman literals header with 10-bit sizes.
func huffHeader(kind, format, regen, comp int) []byte {
	h := kind | format<<2 | regen<<4 | comp<<14
	return []byte{byte(h), byte(h >> 8), byte(h >> 16)}
}

// rleSeqs are three sequences of RLE tables whose codes take no bits: 3
// literals, then 4 bytes at the first repeat offset (1 at a frame's
// start); bitstream: just the end mark.
var rleSeqs = []byte{3, zstdspec.ModeRLE<<6 | zstdspec.ModeRLE<<4 | zstdspec.ModeRLE<<2, 3, 0, 1, 0x01}

func TestModes(t *testing.T) {
	abba := cat(huffHeader(litsCompressed, 0, 4, 1+49+1), abWeights(), []byte{0x16})
	cases := []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		{"raw block", frameOf(blk(true, zstdspec.BlockRaw, 3, 'a', 'b', 'c')), "abc", nil},
		{"rle block", frameOf(blk(true, zstdspec.BlockRLE, 1000, 'x')), strings.Repeat("x", 1000), nil},
		{"empty raw block", frameOf(blk(true, zstdspec.BlockRaw, 0)), "", nil},
		{"raw literals, 1-byte header", frameOf(compressed(true, cat([]byte{5 << 3}, []byte("hello"), []byte{0})...)), "hello", nil},
		{"raw literals, 2-byte header", frameOf(compressed(true, cat([]byte{(100&15)<<4 | 1<<2, 100 >> 4}, bytes.Repeat([]byte("y"), 100), []byte{0})...)),
			strings.Repeat("y", 100), nil},
		{"raw literals, 3-byte header", frameOf(compressed(true, cat([]byte{(5000&15)<<4 | 3<<2, 5000 >> 4 & 0xFF, 5000 >> 12}, bytes.Repeat([]byte("z"), 5000), []byte{0})...)),
			strings.Repeat("z", 5000), nil},
		{"rle literals", frameOf(compressed(true, 20<<3|litsRLE, 'q', 0)), strings.Repeat("q", 20), nil},
		{"huffman literals, one stream", frameOf(compressed(true, cat(abba, []byte{0})...)), "abba", nil},
		{"treeless literals repeat the table", frameOf(compressed(false, cat(abba, []byte{0})...),
			compressed(true, cat(huffHeader(litsTreeless, 0, 4, 1), []byte{0x16, 0})...)), "abbaabba", nil},
		{"huffman literals, four streams", frameOf(compressed(false, cat(abba, []byte{0})...),
			compressed(true, cat(huffHeader(litsTreeless, 1, 8, 10), []byte{1, 0, 1, 0, 1, 0, 0x05, 0x06, 0x05, 0x06, 0})...)), "abbaabbaabba", nil},
		{"rle sequences", frameOf(compressed(true, cat([]byte{9 << 3}, []byte("abcdefghi"), rleSeqs)...)), "abccccc" + "defffff" + "ghiiiii", nil},
		{"repeated tables and offsets", frameOf(compressed(false, cat([]byte{6 << 3}, []byte("abcdef"), []byte{2}, rleSeqs[1:])...),
			compressed(true, cat([]byte{4 << 3}, []byte("wxyz"), []byte{1, 0xFC, 0x01})...)), "abcccccdefffff" + "wxyyyyyz", nil},
		{"literals after the sequences", frameOf(compressed(true, cat([]byte{5 << 3}, []byte("abcde"), []byte{1, 0x54, 3, 0, 1, 0x01})...)), "abcccccde", nil},
		{"skippable frame", cat([]byte{0x5A, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, 9, 9}, frameOf(blk(true, zstdspec.BlockRaw, 1, '!'))), "!", nil},
		{"two frames", cat(frameOf(blk(true, zstdspec.BlockRaw, 1, '1')), frameOf(blk(true, zstdspec.BlockRaw, 1, '2'))), "12", nil},
		{"single segment with size", []byte{0x28, 0xB5, 0x2F, 0xFD, 0x20, 2, 0x11, 0, 0, 'h', 'i'}, "hi", nil},

		{"reserved block type", frameOf(blk(true, zstdspec.BlockReserved, 0)), "", errReserved},
		{"reserved header bit", []byte{0x28, 0xB5, 0x2F, 0xFD, 0x08, 6 << 3}, "", errReserved},
		{"dictionary", []byte{0x28, 0xB5, 0x2F, 0xFD, 0x01, 6 << 3, 7}, "", errDictionary},
		{"not zstd", []byte("hello world"), "", errMagic},
		{"garbage after a frame", cat(frameOf(blk(true, zstdspec.BlockRaw, 1, '1')), []byte("junk")), "1", errMagic},
		{"cut header", []byte{0x28, 0xB5, 0x2F, 0xFD, 0x20}, "", ErrTruncated},
		{"content size short", []byte{0x28, 0xB5, 0x2F, 0xFD, 0x20, 3, 0x09, 0, 0, 'h'}, "h", errSize},
		{"content size exceeded", []byte{0x28, 0xB5, 0x2F, 0xFD, 0x20, 1, 0x11, 0, 0, 'h', 'i'}, "", errBlockSize},
		{"treeless first", frameOf(compressed(true, cat(huffHeader(litsTreeless, 0, 4, 1), []byte{0x16, 0})...)), "", errNoTable},
		{"repeat first", frameOf(compressed(true, 0, 1, 0xFC, 0x01)), "", errSeqRepeat},
		{"offset before the start", frameOf(compressed(true, 0, 1, 0x54, 0, 0, 1, 0x01)), "", errOffset},
		{"too few literals", frameOf(compressed(true, cat([]byte{2 << 3}, []byte("ab"), rleSeqs)...)), "", errTooFew},
		{"sequence bits left over", frameOf(compressed(true, cat([]byte{9 << 3}, []byte("abcdefghi"), rleSeqs[:5], []byte{0x03})...)), "", errSeqStream},
		{"huffman bits left over", frameOf(compressed(true, cat(huffHeader(litsCompressed, 0, 3, 1+49+1), abWeights(), []byte{0x16, 0})...)), "", errHuffStream},
		{"no end mark", frameOf(compressed(true, cat([]byte{9 << 3}, []byte("abcdefghi"), rleSeqs[:5], []byte{0x00})...)), "", errSeqStream},
		{"cut frame", frameOf(blk(false, zstdspec.BlockRaw, 1, '1'), blk(true, zstdspec.BlockRaw, 5, '2')), "1", ErrTruncated},
	}
	var d Decoder
	for _, c := range cases {
		var out bytes.Buffer
		err := d.Decode(&out, c.in)
		if !errors.Is(err, c.err) || out.String() != c.want {
			t.Errorf("%s: got %q, %v; want %q, %v", c.name, out.String(), err, c.want, c.err)
		}
	}
}

// TestBlockSizeLimits: a block may not exceed the window or 128 KiB, nor
// decode to more.
func TestBlockSizeLimits(t *testing.T) {
	window := func(log int) []byte { return []byte{0x28, 0xB5, 0x2F, 0xFD, 0x00, byte(log-10) << 3} }
	// 4000 sequences of 34 bytes at the repeat offsets 4 and 1: 136 000 bytes.
	long := compressed(true, 0, 128+15, 160, 0x54, 0, 0, 31, 0x01)
	cases := []struct {
		name string
		in   []byte
		err  error
	}{
		{"a block of the window", cat(window(10), blk(true, zstdspec.BlockRLE, 1024, 'x')), nil},
		{"a block over the window", cat(window(10), blk(true, zstdspec.BlockRLE, 1025, 'x')), errBlockSize},
		{"a block of 128 KiB", cat(window(20), blk(true, zstdspec.BlockRLE, 128<<10, 'x')), nil},
		{"a block over 128 KiB", cat(window(20), blk(true, zstdspec.BlockRLE, 128<<10+1, 'x')), errBlockSize},
		{"literals over 128 KiB", cat(window(20), compressed(true, (128<<10+1)&15<<4|3<<2, (128<<10+1)>>4&0xFF, (128<<10+1)>>12)), errLits},
		{"sequences over 128 KiB", cat(window(20), blk(false, zstdspec.BlockRaw, 4, 'a', 'b', 'c', 'd'), long), errTooLarge},
	}
	var d Decoder
	for _, c := range cases {
		if _, err := decodeAll(t, &d, c.in); err != c.err {
			t.Errorf("%s: %v, want %v", c.name, err, c.err)
		}
	}
}

// TestWindowLimit: a frame asking for a window over MaxWindow is refused
// before anything is allocated for it.
func TestWindowLimit(t *testing.T) {
	d := Decoder{MaxWindow: 1 << 20}
	over := []byte{0x28, 0xB5, 0x2F, 0xFD, 0x00, (21 - 10) << 3}
	if _, err := decodeAll(t, &d, cat(over, blk(true, zstdspec.BlockRaw, 1, 'x'))); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("2 MiB window with a 1 MiB limit: %v", err)
	}
	single := []byte{0x28, 0xB5, 0x2F, 0xFD, 0x80 | 0x20, 0, 0, 0x20, 0} // 2 MiB content in one segment
	if _, err := decodeAll(t, &d, single); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("single segment of 2 MiB with a 1 MiB limit: %v", err)
	}
	huge := []byte{0x28, 0xB5, 0x2F, 0xFD, 0x00, 0xFF}
	var fresh Decoder
	if _, err := decodeAll(t, &fresh, cat(huge, blk(true, zstdspec.BlockRaw, 1, 'x'))); err == nil {
		t.Fatal("the largest window descriptor was accepted")
	}
	if fresh.hist != nil || d.hist != nil {
		t.Fatal("a window was allocated for a refused frame")
	}
}

// TestMemoryStaysNearTheWindow: a long frame keeps about twice its window,
// whatever its length.
func TestMemoryStaysNearTheWindow(t *testing.T) {
	var d Decoder
	frame := []byte{0x28, 0xB5, 0x2F, 0xFD, 0x00, (20 - 10) << 3} // 1 MiB
	for range 200 {
		frame = append(frame, blk(false, zstdspec.BlockRLE, 128<<10, 'x')...)
	}
	n := 0
	err := d.Decode(writerFunc(func(p []byte) { n += len(p) }), frame)
	if err != ErrTruncated || n != 200*128<<10 {
		t.Fatalf("%d bytes, %v", n, err)
	}
	if c := cap(d.hist); c > 2*(1<<20+blockSizeMax) {
		t.Fatalf("kept %d bytes for a 1 MiB window", c)
	}
}

type writerFunc func([]byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }

// TestChecksum: klauspost's checksums are checked; a wrong one is an error
// after the text is written.
func TestChecksum(t *testing.T) {
	text := samples()["text"][:50000]
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderCRC(true))
	frame := enc.EncodeAll(text, nil)
	var d Decoder
	if got, err := decodeAll(t, &d, frame); err != nil || !bytes.Equal(got, text) {
		t.Fatalf("good checksum: %v", err)
	}
	frame[len(frame)-1] ^= 1
	if got, err := decodeAll(t, &d, frame); err != errChecksum || !bytes.Equal(got, text) {
		t.Fatalf("bad checksum: %d bytes, %v", len(got), err)
	}
	if _, err := decodeAll(t, &d, frame[:len(frame)-2]); err != ErrTruncated {
		t.Fatalf("cut checksum: %v", err)
	}
}
