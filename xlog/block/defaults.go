package block

import "github.com/klauspost/compress/zstd"

// zlibLevel is hard-wired to 9 in Mars (reference/mars-xlog.md §0 fact 3,
// §2.5); compress/flate's BestCompression is the same level.
const zlibLevel = 9

// Mars's zstd settings (reference/mars-xlog.md §2.5): windowLog 16 and a
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
	// cuts messages at 16 KiB (reference/mars-xlog.md §4.1), we allow 64 KiB.
	BoundLine = 64 << 10
	hpkeTag   = 16
)
