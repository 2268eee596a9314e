package block

import (
	"github.com/klauspost/compress/zstd"
)

// zstdCompressor is Mars's zstd mode: one
// frame per block with a 64 KiB window, each line flushed as its own zstd
// block so it ends on a byte boundary, and the frame never ended (no
// last-block flag, no checksum) — Mars's decoders and ours read it as a
// truncated frame. klauspost/compress/zstd with concurrency 1 encodes in
// the caller's goroutine and keeps the history across the frame's blocks.
type zstdCompressor struct {
	enc *zstd.Encoder
	out sliceWriter
}

func newZstd(level int) (*zstdCompressor, error) {
	enc := zstdLevel
	if level != 0 {
		// klauspost has four speeds; zstd's 1–22 map onto them.
		enc = zstd.EncoderLevelFromZstd(level)
	}
	z := &zstdCompressor{}
	w, err := zstd.NewWriter(&z.out,
		zstd.WithEncoderConcurrency(1),
		zstd.WithWindowSize(zstdWindow),
		zstd.WithEncoderLevel(enc),
		zstd.WithEncoderCRC(false),
		zstd.WithLowerEncoderMem(true),
	)
	if err != nil {
		return nil, err
	}
	z.enc = w
	return z, nil
}

func (z *zstdCompressor) reset() { z.enc.Reset(&z.out) }

func (z *zstdCompressor) appendCompressed(dst, line []byte) []byte {
	z.out.b = dst
	// Writes into sliceWriter cannot fail.
	_, _ = z.enc.Write(line)
	_ = z.enc.Flush()
	dst, z.out.b = z.out.b, nil
	return dst
}

// sliceWriter lets the encoder write straight into a reused slice.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
