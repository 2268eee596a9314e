// Package block builds xlog blocks: the header, a payload compressed (and
// encrypted) line by line straight into the caller's buffer, and the tail.
// It is the contract between the logger (which owns the buffer, the seq
// counter and the clock) and the on-disk format (xlog/format).
//
// Crash safety: after every call the bytes in dst are a header whose length
// field covers a payload that decodes to the lines added so far, so a
// buffer found after a crash can be turned into a complete block by Recover.
// When a key is set, no plaintext line ever reaches dst.
package block

import (
	"errors"
	"fmt"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// Compression selects the codec of async blocks.
type Compression int

// Compressions.
const (
	// Zlib is Mars-compatible: one raw deflate stream per block, which
	// Mars's own decoders read. Mars deflates at level 9 with a sync flush
	// after every line; ours codes lines with the fixed Huffman codes at
	// level 6 by default, in one block kept open across the lines
	// (zlibLevel, fixedDeflate).
	Zlib Compression = iota
	// LZ4 is ours: one length-prefixed LZ4 block per line (FORMAT.md). Much
	// faster to write, larger on disk; only our decoder reads it.
	LZ4
	// Zstd is Mars-compatible: one unterminated zstd frame per block, a
	// 64 KiB window, flushed per line.
	Zstd
)

func (c Compression) String() string {
	switch c {
	case Zlib:
		return "zlib"
	case LZ4:
		return "lz4"
	case Zstd:
		return "zstd"
	}
	return fmt.Sprintf("Compression(%d)", int(c))
}

// Options choose the block kind for one appender open.
type Options struct {
	// Compression of async blocks. Default Zlib.
	Compression Compression
	// Level is the compression level: 0 for the codec's default, zlib 1–9
	// (default 6), zstd 1–22 as zstd numbers them (default 3); LZ4 has no
	// levels and takes only 0.
	Level int
	// PublicKey is "" for no encryption, 128 hex chars (X‖Y) for Mars's
	// secp256k1 + TEA, or "x25519:<hex>" (as `mars xlog keygen --kind hpke`
	// prints) for HPKE-sealed records.
	PublicKey string
}

// Errors.
var (
	// ErrFull means the line (or a new block) does not fit in cap(dst). The
	// block is unchanged and can still be finished.
	ErrFull = errors.New("block: buffer full")
	// ErrNoBlock means AppendLine or Finish was called with no open block.
	ErrNoBlock = errors.New("block: no open block")
)

// Level ranges.
const (
	MaxZlibLevel = 9
	MaxZstdLevel = 22
)

// checkLevel rejects a level the codec does not have.
func checkLevel(c Compression, level int) error {
	top := 0
	switch c {
	case Zlib:
		top = MaxZlibLevel
	case Zstd:
		top = MaxZstdLevel
	}
	if level < 0 || level > top {
		return fmt.Errorf("block: %v has no compression level %d (0 = default, at most %d)", c, level, top)
	}
	return nil
}

// magics returns the async and sync magics for an option set.
func magics(c Compression, k crypt.Kind) (async, sync format.Magic, err error) {
	codec := format.CodecZlib
	sync = format.MagicSyncNoCryptZlib
	switch c {
	case Zlib:
	case LZ4:
		codec = format.CodecLZ4
	case Zstd:
		codec, sync = format.CodecZstd, format.MagicSyncNoCryptZstd
	default:
		return 0, 0, fmt.Errorf("block: unknown compression %d", int(c))
	}
	var fk format.Crypt
	switch k {
	case crypt.KindMars:
		fk, sync = format.CryptTEA, format.MagicSyncZlib
		if c == Zstd {
			sync = format.MagicSyncZstd
		}
	case crypt.KindHPKE:
		fk, sync = format.CryptHPKE, format.MagicSyncHPKE
	}
	async, ok := format.AsyncMagic(codec, fk)
	if !ok {
		return 0, 0, fmt.Errorf("block: no format for %v with %v keys", c, k)
	}
	return async, sync, nil
}
