package decode

// DefaultMaxBlock is the largest payload a block may claim. Mars's buffer
// is 150 KiB and sync lines are under 16 KiB;
// a length beyond this is damage, and the cap bounds the decoder's
// memory.
const DefaultMaxBlock = 16 << 20

// Internal limits.
const (
	// readChunk is the least the window asks the reader for at a time.
	readChunk = 64 << 10
	// maxEmptyReads is how many (0, nil) reads in a row we accept, as
	// bufio does.
	maxEmptyReads = 100
	// lz4Dict is how much earlier block text an LZ4 record may refer to
	// (xlog/format/FORMAT.md).
	lz4Dict = 64 << 10
	// maxTEACache bounds the per-session keys kept (TEA keys, one ECDH
	// each; HPKE sync keys, one decapsulation each).
	maxTEACache = 64
	// outBuffer is the write buffer in front of the caller's writer.
	outBuffer = 64 << 10
)
