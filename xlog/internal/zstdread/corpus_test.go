package zstdread

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/format"
)

// marsZstd is a file Mars's own xlog wrote in zstd mode (level 6), and
// its text.
const marsZstd = "../../../testdata/mars-xlog/zstd"

// logLine is a typical formatted xlog line of about 177 bytes.
func logLine(i int) []byte {
	return fmt.Appendf(nil, "[I][2026-11-29 +0.0 12:33:24.330][27513, 27517][bench][bench.cc:41, worker][t=0 seq=%07d h=%08x action=upload_chunk status=ok retry=0 region=ap-south net=wifi\n", i, uint32(i+1)*2654435761)
}

// payloads returns the payloads of the xlog blocks in file.
func payloads(t testing.TB, file []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(file) >= format.HeaderSize {
		h, err := format.ParseHeader(file)
		if err != nil {
			t.Fatal(err)
		}
		end := format.HeaderSize + int(h.Length)
		out = append(out, file[format.HeaderSize:end])
		file = file[end+1:] // the tail byte
	}
	return out
}

// writerFrames returns the frames our writer makes of lines lines at the
// given level, a frame per block of blockLines lines, and their text. Half
// the lines come from the "text" sample and some are random letters, whose
// literals make the writer code them with Huffman tables.
func writerFrames(t testing.TB, level, lines, blockLines int) (frames [][]byte, text []byte) {
	t.Helper()
	b, err := block.NewBuilder(block.Options{Compression: block.Zstd, Level: level})
	if err != nil {
		t.Fatal(err)
	}
	varied := bytes.SplitAfter(samples()["text"], []byte("\n"))
	r := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 0, 150<<10)
	for i := 0; i < lines; i += blockLines {
		if buf, err = b.Start(buf[:0], uint16(i/blockLines+1), 1); err != nil {
			t.Fatal(err)
		}
		for j := i; j < min(i+blockLines, lines); j++ {
			l := logLine(j)
			switch {
			case j%50 == 7:
				l = make([]byte, 300)
				for k := range l {
					l[k] = 'a' + byte(r.IntN(26))
				}
			case j%2 == 1:
				l = varied[j%len(varied)]
			}
			if buf, err = b.AppendLine(buf, l); err != nil {
				t.Fatal(err)
			}
			text = append(text, l...)
		}
		buf = b.Finish(buf, 1)
		frames = append(frames, bytes.Clone(payloads(t, buf)[0]))
	}
	return frames, text
}

// klauspostFlushed returns a frame klauspost writes with a 64 KiB window
// when flushed per line, as Mars's zstd mode does, and its text.
func klauspostFlushed(t testing.TB, level zstd.EncoderLevel, lines int) (frame, text []byte) {
	t.Helper()
	var out bytes.Buffer
	enc, err := zstd.NewWriter(&out, zstd.WithEncoderLevel(level), zstd.WithWindowSize(64<<10), zstd.WithEncoderConcurrency(1), zstd.WithEncoderCRC(false))
	if err != nil {
		t.Fatal(err)
	}
	for i := range lines {
		l := logLine(i)
		text = append(text, l...)
		enc.Write(l)
		enc.Flush()
	}
	enc.Close()
	return out.Bytes(), text
}

// TestMarsFrames: the frames Mars's xlog wrote (never ended) decode to its
// text, each cut at its end.
func TestMarsFrames(t *testing.T) {
	file, err := os.ReadFile(marsZstd + ".xlog")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(marsZstd + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	var d Decoder
	var got bytes.Buffer
	for _, p := range payloads(t, file) {
		if err := d.Decode(&got, p); err != ErrTruncated {
			t.Fatalf("Mars frame: %v, want ErrTruncated (never ended)", err)
		}
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("decoded %d bytes, want %d", got.Len(), len(want))
	}
}

// TestWriterFrames: our writer's frames at each level decode to their text.
func TestWriterFrames(t *testing.T) {
	var d Decoder
	for _, level := range []int{1, 3, 6, 19} {
		frames, want := writerFrames(t, level, 3000, 700)
		var got bytes.Buffer
		for _, f := range frames {
			if err := d.Decode(&got, f); err != ErrTruncated {
				t.Fatalf("level %d: %v, want ErrTruncated (never ended)", level, err)
			}
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("level %d: decoded %d bytes, want %d", level, got.Len(), len(want))
		}
	}
}

// TestEveryModeIsCovered: the frames of Mars, of our writer and of
// klauspost use between them every block, literals and sequences mode,
// and each decodes to its text (TestMarsFrames, TestWriterFrames,
// TestMatchesKlauspost), so every mode is checked against real encoders.
func TestEveryModeIsCovered(t *testing.T) {
	file, err := os.ReadFile(marsZstd + ".xlog")
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]int{}
	add := func(name string, frame []byte) {
		for k, n := range census(walk(t, frame)) {
			all[k] += n
			all[name+": "+k] += n
		}
	}
	for _, p := range payloads(t, file) {
		add("mars", p)
	}
	frames, _ := writerFrames(t, 6, 3000, 700)
	for _, f := range frames {
		add("writer", f)
	}
	for _, level := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression, zstd.SpeedBestCompression} {
		f, _ := klauspostFlushed(t, level, 2000)
		add("klauspost flushed", f)
		for name, text := range samples() {
			enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(level), zstd.WithEncoderConcurrency(1))
			add("klauspost "+name, enc.EncodeAll(text, nil))
		}
	}
	for _, mode := range []string{"block raw", "block rle", "block compressed",
		"literals raw", "literals huffman", "literals treeless", // RLE literals: TestModes
		"huffman 1 streams", "huffman 4 streams", "huffman weights direct", "huffman weights fse",
		"no sequences",
		"ll predefined", "ll rle", "ll fse", "ll repeat",
		"of predefined", "of rle", "of fse", "of repeat",
		"ml predefined", "ml rle", "ml fse", "ml repeat"} {
		if all[mode] == 0 {
			t.Errorf("no frame uses %q", mode)
		}
	}
	if t.Failed() || testing.Verbose() {
		for k, n := range all {
			t.Logf("%-50s %d", k, n)
		}
	}
}
