package block

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"testing"

	"github.com/mars-go/mars/xlog/format"
)

// zlibPrefixScript inflates length-prefixed raw-deflate streams as Mars's
// Python decoder does (zlib.decompressobj(-15).decompress(data): all the
// output of a stream that is never finished) and answers, per stream, the
// output's length and whether it is a prefix of the text given first; a
// stream zlib rejects answers 0xFFFFFFFF.
const zlibPrefixScript = `
import struct, sys, zlib
inp = sys.stdin.buffer.read()
def take(i):
    n, = struct.unpack_from('<I', inp, i)
    return inp[i+4:i+4+n], i+4+n
text, i = take(0)
res = []
while i < len(inp):
    s, i = take(i)
    try:
        out = zlib.decompressobj(-15).decompress(s)
        res.append(struct.pack('<IB', len(out), out == text[:len(out)]))
    except zlib.error:
        res.append(struct.pack('<IB', 0xFFFFFFFF, 0))
sys.stdout.buffer.write(b''.join(res))
`

// zlibPrefixLens inflates each stream with the system's zlib (Python's
// zlib module is zlib itself, which Mars's C and Python decoders call) and
// returns how many bytes of text each decodes to. It fails the test when
// zlib rejects a stream or decodes one to anything but a prefix of text.
func zlibPrefixLens(t *testing.T, text []byte, streams [][]byte) []int {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 (its zlib module is the reference inflate)")
	}
	in := binary.LittleEndian.AppendUint32(nil, uint32(len(text)))
	in = append(in, text...)
	for _, s := range streams {
		in = binary.LittleEndian.AppendUint32(in, uint32(len(s)))
		in = append(in, s...)
	}
	cmd := exec.Command(py, "-c", zlibPrefixScript)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 zlib: %v", err)
	}
	if len(out) != 5*len(streams) {
		t.Fatalf("python3 zlib answered %d bytes for %d streams", len(out), len(streams))
	}
	lens := make([]int, len(streams))
	for i := range streams {
		n := binary.LittleEndian.Uint32(out[5*i:])
		if n == 0xFFFFFFFF {
			t.Fatalf("stream %d (%d bytes): zlib error", i, len(streams[i]))
		}
		if out[5*i+4] != 1 {
			t.Fatalf("stream %d (%d bytes): zlib decodes %d bytes that are not the text's", i, len(streams[i]), n)
		}
		lens[i] = int(n)
	}
	return lens
}

// zlibTestLines are log lines, some of them with text stored rather than
// coded (bytes ≥ 144), an empty line and a line longer than a stored block.
func zlibTestLines() [][]byte {
	lines := logLines(21, 160)
	r := rand.New(rand.NewPCG(8, 9))
	for _, at := range []int{3, 40, 41, 90} {
		l := make([]byte, 300)
		for i := range l {
			l[i] = byte(144 + r.IntN(112))
		}
		lines[at] = l
	}
	lines[60] = nil
	lines = append(lines, bytes.Repeat([]byte("é"), 40000))
	return append(lines, logLines(22, 20)...)
}

// zlibPayload is what Mars's decoders inflate: the payload with its whole
// 8-byte groups decrypted (TEA), the rest as it is.
func zlibPayload(b *Builder, blk []byte) []byte {
	p := bytes.Clone(blk[format.HeaderSize:])
	if t, ok := b.crypt.(*teaCrypt); ok {
		t.s.Cipher.DecryptGroups(p[:len(p)&^7])
	}
	return p
}

// zlibPrefixes collects the streams real zlib must decode after each line
// added to a zlib block: the payload so far, to exactly the text so far,
// and with clear text also the crash window's (the old length over the new
// bytes), to exactly the text before the line.
type zlibPrefixes struct {
	text    []byte
	streams [][]byte
	want    []int // text length each stream must decode to exactly
}

// added records line, just appended to dst, whose payload was before long.
func (z *zlibPrefixes) added(b *Builder, dst []byte, before int, line []byte, clear bool) {
	if clear {
		z.streams = append(z.streams, bytes.Clone(dst[format.HeaderSize:before]))
		z.want = append(z.want, len(z.text))
	}
	z.text = append(z.text, line...)
	z.streams = append(z.streams, zlibPayload(b, dst))
	z.want = append(z.want, len(z.text))
}

// check has real zlib decode the streams, failing with name on a wrong
// length, and returns what it decodes of extra, streams checked by the caller.
func (z *zlibPrefixes) check(t *testing.T, name string, extra ...[]byte) []int {
	t.Helper()
	got := zlibPrefixLens(t, z.text, append(z.streams, extra...))
	for i, w := range z.want {
		if got[i] != w {
			t.Fatalf("%s stream %d: zlib decodes %d bytes, want %d", name, i, got[i], w)
		}
	}
	return got[len(z.want):]
}

// TestZlibBlocksInflateWithSystemZlib: real zlib, as Mars's decoders run
// it, reads our zlib blocks (no key, Mars key) after every line to exactly
// the lines so far; a block cut at any byte decodes to a prefix of the text
// holding every line whose bytes are before the cut; and, without a key,
// a crash after a line rewrote the partial last byte but before the length
// grew leaves a block that still decodes to exactly the earlier lines.
func TestZlibBlocksInflateWithSystemZlib(t *testing.T) {
	lines := zlibTestLines()
	for _, key := range []string{"", benchTestPub} {
		b, err := NewBuilder(Options{PublicKey: key})
		if err != nil {
			t.Fatal(err)
		}
		dst, _ := b.Start(make([]byte, 0, 1<<20), 1, 0)
		var z zlibPrefixes
		ends := []int{0}
		for _, l := range lines {
			before := len(dst)
			if dst, err = b.AppendLine(dst, l); err != nil {
				t.Fatal(err)
			}
			z.added(b, dst, before, l, key == "")
			ends = append(ends, len(dst)-format.HeaderSize)
		}
		// A cut at every byte of the first lines' payload, and at a
		// stride after.
		final := zlibPayload(b, dst)
		if bytes.Contains(final, []byte{0, 0, 0xff, 0xff}) {
			t.Fatalf("key %.6q: a sync flush in the block; the lines should share open deflate blocks", key)
		}
		var cuts []int
		var cutStreams [][]byte
		for c := 1; c < len(final); c += 1 + c/2000*50 {
			cuts = append(cuts, c)
			cutStreams = append(cutStreams, final[:c])
		}
		got := z.check(t, fmt.Sprintf("key %.6q", key), cutStreams...)
		line := 0
		for i, c := range cuts {
			for line+1 < len(ends) && ends[line+1] <= c {
				line++
			}
			textEnd := 0
			for _, l := range lines[:line] {
				textEnd += len(l)
			}
			if got[i] < textEnd {
				t.Fatalf("key %.6q cut at %d: zlib decodes %d bytes, want at least the %d of %d whole lines", key, c, got[i], textEnd, line)
			}
		}
	}
}
