package zstdread

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/mars-go/mars/xlog/block"
)

// benchLines is the size of the benchmark's log: a million lines of about
// 177 bytes, in frames of 2 000 lines (an xlog block's worth).
const (
	benchLines      = 1_000_000
	benchFrameLines = 2000
)

type benchCorpus struct {
	frames [][]byte
	text   int64
}

var (
	benchOnce    sync.Once
	benchCorpora map[string]benchCorpus
)

// corpora makes the benchmark's frames once: our writer's, klauspost's
// flushed per line with a 64 KiB window (as Mars writes), and klauspost's
// whole frame of the entire text at its default level.
func corpora(b *testing.B) map[string]benchCorpus {
	benchOnce.Do(func() {
		writer, err := block.NewBuilder(block.Options{Compression: block.Zstd})
		if err != nil {
			b.Fatal(err)
		}
		flushed, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithWindowSize(64<<10), zstd.WithEncoderConcurrency(1), zstd.WithEncoderCRC(false))
		if err != nil {
			b.Fatal(err)
		}
		whole, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
		if err != nil {
			b.Fatal(err)
		}
		var w, f benchCorpus
		var all []byte
		buf := make([]byte, 0, 150<<10)
		var out bytes.Buffer
		for i := 0; i < benchLines; i += benchFrameLines {
			buf, _ = writer.Start(buf[:0], 1, 1)
			out.Reset()
			flushed.Reset(&out)
			for j := i; j < i+benchFrameLines; j++ {
				l := logLine(j)
				if buf, err = writer.AppendLine(buf, l); err != nil {
					b.Fatal(err)
				}
				flushed.Write(l)
				flushed.Flush()
				all = append(all, l...)
			}
			buf = writer.Finish(buf, 1)
			w.frames = append(w.frames, bytes.Clone(payloads(b, buf)[0]))
			f.frames = append(f.frames, bytes.Clone(out.Bytes()))
		}
		w.text, f.text = int64(len(all)), int64(len(all))
		benchCorpora = map[string]benchCorpus{
			"writer":            w,
			"klauspost-flushed": f,
			"klauspost-whole":   {[][]byte{whole.EncodeAll(all, nil)}, int64(len(all))},
		}
	})
	return benchCorpora
}

// BenchmarkDecode1MLines decodes a million log lines with our decoder and
// with klauspost's streaming decoder as xlog/decode used it; MB/s counts
// text.
func BenchmarkDecode1MLines(b *testing.B) {
	for _, name := range []string{"writer", "klauspost-flushed", "klauspost-whole"} {
		b.Run(name+"/ours", func(b *testing.B) {
			c := corpora(b)[name]
			var d Decoder
			b.SetBytes(c.text)
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range c.frames {
					if err := d.Decode(io.Discard, f); err != nil && err != ErrTruncated {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(name+"/klauspost", func(b *testing.B) {
			c := corpora(b)[name]
			zd, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(DefaultMaxWindow))
			if err != nil {
				b.Fatal(err)
			}
			defer zd.Close()
			var br bytes.Reader
			copyBuf := make([]byte, 32<<10)
			b.SetBytes(c.text)
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range c.frames {
					br.Reset(f)
					if err := zd.Reset(&br); err != nil {
						b.Fatal(err)
					}
					if _, err := io.CopyBuffer(io.Discard, zd, copyBuf); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
