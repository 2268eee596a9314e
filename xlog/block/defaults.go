package block

import "github.com/klauspost/compress/zstd"

// zlibLevel: Mars hard-wires level 9. The level is not part of the format —
// any raw-deflate stream with a sync flush per line decodes with Mars's
// decoders — so the default trades a few bytes for CPU: level 6 takes
// half of level 9's time for 3 % (Mars's benchmark lines) to 7 % (make
// bench-xlog's) more bytes (BenchmarkAppendLine/zlib).
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
