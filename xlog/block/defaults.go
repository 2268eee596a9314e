package block

import "github.com/klauspost/compress/zstd"

// zlibLevel: Mars hard-wires level 9. The level is not part of the format — any raw-deflate stream with a
// sync flush per line decodes with Mars's decoders — so we take
// klauspost/compress/flate at level 6: with a flush after every ~100-byte line
// it is about 3x faster than compress/flate at 9 (2.2 µs against 7.5 µs per
// line, BenchmarkAppendLine/zlib) for 3 % more bytes on disk (22.07 against
// Mars's 21.40 B/line; the issue allows 15 %).
const zlibLevel = 6

// Mars's zstd settings: windowLog 16 and a
// configurable level (6 in the reference runs). With a flush per line,
// klauspost's default level stores Mars's benchmark lines as small as its
// "better" level (23.5 B/line against Mars's 26.7) at half the CPU and a
// third of the memory (1.4 MB per builder), so we use it.
const (
	zstdWindow = 64 << 10
	zstdLevel  = zstd.SpeedDefault
)

// Limits of the block layout.
const (
	// MaxChunk is the largest piece of a line (LZ4 records) or of a
	// compressed stream (HPKE records) one length-prefixed record carries:
	// lengths are uint16 (FORMAT.md).
	MaxChunk = 1<<16 - 1 - hpkeTag
	// BoundLine is the line length MaxLineOverhead is computed for: Mars
	// cuts messages at 16 KiB, we allow 64 KiB.
	BoundLine = 64 << 10
	hpkeTag   = 16
)
