package zstdread

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/mars-go/mars/xlog/block"
)

// fuzzSeedMax keeps seeds small: each input runs four encoders, so a
// large one makes the fuzzer's minimising slow.
const fuzzSeedMax = 1 << 10

// fuzzMaxOut bounds the text a fuzz input may decode to (a few bytes of
// RLE blocks make megabytes).
const fuzzMaxOut = 4 << 20

var errFull = errors.New("output limit")

type cappedBuffer struct{ bytes.Buffer }

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.Len()+len(p) > fuzzMaxOut {
		return 0, errFull
	}
	return c.Buffer.Write(p)
}

// fuzzSeeds adds zstd frames of Mars, of our writer and of klauspost.
func fuzzSeeds(f *testing.F, encoders []*zstd.Encoder) {
	file, err := os.ReadFile(marsZstd + ".xlog")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range payloads(f, file) {
		f.Add(p[:min(len(p), fuzzSeedMax)], uint8(0))
	}
	frames, _ := writerFrames(f, 6, 20, 10)
	for _, fr := range frames {
		f.Add(fr, uint8(1))
	}
	for i, e := range encoders {
		f.Add(e.EncodeAll(samples()["text"][:fuzzSeedMax], nil), uint8(i))
		f.Add(e.EncodeAll(samples()["skewed"][:fuzzSeedMax], nil), uint8(i))
	}
}

// klauspostEncoders are klauspost's encoders at its four levels, half of
// them adding checksums.
func klauspostEncoders(f *testing.F) []*zstd.Encoder {
	levels := []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression, zstd.SpeedBestCompression}
	encoders := make([]*zstd.Encoder, len(levels))
	for i, l := range levels {
		var err error
		if encoders[i], err = zstd.NewWriter(nil, zstd.WithEncoderLevel(l), zstd.WithEncoderConcurrency(1), zstd.WithEncoderCRC(i%2 == 0)); err != nil {
			f.Fatal(err)
		}
	}
	return encoders
}

// FuzzDecode: any input decodes without panic, within bounded memory and
// output, and where klauspost's decoder also reads it whole, to the same
// text.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f, klauspostEncoders(f))
	ref, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<20), zstd.WithDecoderMaxMemory(fuzzMaxOut))
	if err != nil {
		f.Fatal(err)
	}
	defer ref.Close()
	d := Decoder{MaxWindow: 1 << 20}
	f.Fuzz(func(t *testing.T, in []byte, _ uint8) {
		var got cappedBuffer
		if err := d.Decode(&got, in); err != nil {
			return
		}
		if cap(d.hist) > 2*(1<<20+blockSizeMax) {
			t.Fatalf("kept %d bytes for a window of at most 1 MiB", cap(d.hist))
		}
		if want, err := ref.DecodeAll(in, nil); err == nil && !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("klauspost reads %d bytes, we read %d", len(want), got.Len())
		}
	})
}

// FuzzRoundTrip: any text, compressed by klauspost at one of its levels
// and by our writer (a line per block, as xlog writes), decodes back to
// itself.
func FuzzRoundTrip(f *testing.F) {
	encoders := klauspostEncoders(f)
	fuzzSeeds(f, encoders)
	builder, err := block.NewBuilder(block.Options{Compression: block.Zstd})
	if err != nil {
		f.Fatal(err)
	}
	buf := make([]byte, 0, 150<<10)
	var d Decoder
	f.Fuzz(func(t *testing.T, text []byte, level uint8) {
		if len(text) > 64<<10 {
			return // the writer's buffer is 150 KiB
		}
		var got bytes.Buffer
		frame := encoders[int(level)%len(encoders)].EncodeAll(text, nil)
		if err := d.Decode(&got, frame); err != nil || !bytes.Equal(got.Bytes(), text) {
			t.Fatalf("klauspost level %d frame: %d of %d bytes, %v", level%4, got.Len(), len(text), err)
		}
		buf, err = builder.Start(buf[:0], 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range bytes.SplitAfter(text, []byte("\n")) {
			if buf, err = builder.AppendLine(buf, l); err != nil {
				t.Fatal(err)
			}
		}
		buf = builder.Finish(buf, 1)
		got.Reset()
		if err := d.Decode(&got, payloads(t, buf)[0]); err != ErrTruncated || !bytes.Equal(got.Bytes(), text) {
			t.Fatalf("writer frame: %d of %d bytes, %v", got.Len(), len(text), err)
		}
	})
}
