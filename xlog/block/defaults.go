package block

// zlibLevel: Mars hard-wires level 9. The level is not part of the format —
// any raw-deflate stream decodes with Mars's decoders — so the default
// trades a few bytes for CPU: level 6 takes
// half of level 9's time for 2 % more bytes on Mars's benchmark lines
// (15.8 against 15.5 a line; BenchmarkAppendLine/zlib).
const zlibLevel = 6

// zstdLevel is zstd's default level, which Mars uses when given 0 (Mars's
// own default is 6). The format does not record the level; here it sets
// how hard the matcher looks (zstdLevels).
const zstdLevel = 3

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
