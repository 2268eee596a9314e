package block

import (
	"encoding/binary"
)

// compressor turns one line into the next piece of the block's payload
// stream. A new block starts with reset.
type compressor interface {
	reset()
	// carry is how many bytes at the end of the stream so far the next
	// line rewrites (the zlib mode's partial last byte; 0 or 1).
	carry() int
	// appendCompressed appends the compressed form of line to dst, whose
	// last carry() bytes it overwrites; dst grows by at most
	// compressBound(c, len(line)) bytes.
	appendCompressed(dst, line []byte) []byte
}

// newCompressor makes the codec; zlib keeps its block open across lines
// when the crypter lets the payload's last byte be rewritten.
func newCompressor(c Compression, level int, cr crypter) (compressor, error) {
	switch c {
	case LZ4:
		return newLZ4(), nil
	case Zstd:
		return newZstd(level), nil
	}
	open, group := cr.rewritable()
	return newFixedDeflate(level, deflateFraming{open: open, group: group}), nil
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
	// fixedDeflate stores a line that would come out larger than stored
	// blocks (5 bytes per block of at most 64 KiB, plus the end of the open
	// block or the empty stored block of the sync flush, plus an empty
	// block before a TEA group's end); n/64 leaves a wide margin.
	return n + n/64 + 64
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
	return &lz4Compressor{dict: newLZ4Dict(lz4Limits)}
}

func (l *lz4Compressor) reset()     { l.dict.reset() }
func (l *lz4Compressor) carry() int { return 0 }

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
