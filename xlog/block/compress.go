package block

import (
	"encoding/binary"
	"github.com/klauspost/compress/flate"
)

// compressor turns one line into the next piece of the block's payload
// stream. A new block starts with reset.
type compressor interface {
	reset()
	// appendCompressed appends the compressed form of line to dst; it adds
	// at most compressBound(c, len(line)) bytes.
	appendCompressed(dst, line []byte) []byte
}

func newCompressor(c Compression, level int) (compressor, error) {
	switch c {
	case LZ4:
		return newLZ4(), nil
	case Zstd:
		return newZstd(level)
	}
	return newZlib(level), nil
}

// compressBound is the most bytes a compressor of kind c adds for an
// n-byte line.
func compressBound(c Compression, n int) int {
	switch c {
	case LZ4:
		// Stored pieces are never larger than the line, plus each record's
		// header.
		return n + lz4RecordHeader*(n/MaxChunk+1)
	case Zstd:
		// A zstd block is never larger than a raw block (3-byte header per
		// 128 KiB), plus the frame header on the first line.
		return n + n/64 + 64
	}
	// Deflate never does worse than stored blocks (5 bytes per block of at
	// most 64 KiB), plus the empty stored block of the
	// sync flush and a partial byte; n/64 leaves a wide margin.
	return n + n/64 + 64
}

// sliceWriter lets flate write straight into a reused slice.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// zlibCompressor is Mars's zlib mode: one raw-deflate stream per block,
// level 9, and a sync flush after each line, so every line ends on a byte
// boundary followed by 00 00 FF FF. The stream
// is never finished; the next block starts a new one.
type zlibCompressor struct {
	fw  *flate.Writer
	out sliceWriter
}

func newZlib(level int) *zlibCompressor {
	if level == 0 {
		level = zlibLevel
	}
	z := &zlibCompressor{}
	// NewWriter fails only for a bad level, and checkLevel let only 1–9 through.
	z.fw, _ = flate.NewWriter(&z.out, level)
	return z
}

func (z *zlibCompressor) reset() { z.fw.Reset(&z.out) }

func (z *zlibCompressor) appendCompressed(dst, line []byte) []byte {
	z.out.b = dst
	// Writes into sliceWriter cannot fail.
	_, _ = z.fw.Write(line)
	_ = z.fw.Flush()
	dst, z.out.b = z.out.b, nil
	return dst
}

// lz4Compressor writes one record per line (per 64 KiB piece of a longer
// line): u16 compressed length, u16 raw length, then an LZ4 block that may
// refer back into the block's earlier text; a compressed length of 0 means
// the raw bytes follow stored. See FORMAT.md.
type lz4Compressor struct {
	dict lz4Dict
	tmp  []byte
}

// lz4RecordHeader is the u16 compressed length + u16 raw length.
const lz4RecordHeader = 4

// newLZ4 allocates the history once at its largest (compaction threshold
// plus one piece), so AppendLine never allocates.
func newLZ4() *lz4Compressor {
	l := &lz4Compressor{}
	l.dict.hist = make([]byte, 0, lz4HistCompact+MaxChunk)
	return l
}

func (l *lz4Compressor) reset() { l.dict.reset() }

func (l *lz4Compressor) appendCompressed(dst, line []byte) []byte {
	for first := true; first || len(line) > 0; first = false {
		piece := line[:min(len(line), MaxChunk)]
		line = line[len(piece):]
		l.tmp = l.dict.compress(l.tmp[:0], piece)
		stored := len(l.tmp) >= len(piece)
		n := len(l.tmp)
		if stored {
			n = 0
		}
		dst = binary.LittleEndian.AppendUint16(dst, uint16(n))
		dst = binary.LittleEndian.AppendUint16(dst, uint16(len(piece)))
		if stored {
			dst = append(dst, piece...)
		} else {
			dst = append(dst, l.tmp...)
		}
	}
	return dst
}
