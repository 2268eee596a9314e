package format

// Magic is the first byte of a block. It says how the payload is built:
// sync (one clear record) or async (a stream of many lines), which codec
// and which crypt. Mars's values come from its log_magic_num.h; ours
// start at 0x20, outside the 0x01..0x0D range Mars's decoders scan for, so
// an old decoder skips our blocks as damage instead of mis-decoding them.
type Magic byte

// Mars magics (log_magic_num.h).
const (
	// MagicSyncZlib is a clear-text sync block written while a key is set.
	MagicSyncZlib Magic = 0x06
	// MagicAsyncZlib is an async raw-deflate block, TEA-encrypted.
	MagicAsyncZlib Magic = 0x07
	// MagicSyncNoCryptZlib is a clear-text sync block, no key.
	MagicSyncNoCryptZlib Magic = 0x08
	// MagicAsyncNoCryptZlib is an async raw-deflate block, no key.
	MagicAsyncNoCryptZlib Magic = 0x09
	// MagicSyncZstd is a clear-text sync block (zstd mode, key set).
	MagicSyncZstd Magic = 0x0A
	// MagicSyncNoCryptZstd is a clear-text sync block (zstd mode, no key).
	MagicSyncNoCryptZstd Magic = 0x0B
	// MagicAsyncZstd is an async unterminated zstd frame, TEA-encrypted.
	MagicAsyncZstd Magic = 0x0C
	// MagicAsyncNoCryptZstd is an async unterminated zstd frame, no key.
	MagicAsyncNoCryptZstd Magic = 0x0D
)

// Our magics (documented byte by byte in FORMAT.md).
const (
	// MagicAsyncLZ4 is an async block of length-prefixed LZ4 records, no key.
	MagicAsyncLZ4 Magic = 0x20
	// MagicAsyncLZ4TEA is MagicAsyncLZ4 with Mars's ECDH + TEA over the payload.
	MagicAsyncLZ4TEA Magic = 0x21
	// MagicAsyncZlibHPKE is a raw-deflate stream cut into HPKE-sealed records.
	MagicAsyncZlibHPKE Magic = 0x22
	// MagicAsyncLZ4HPKE is an LZ4 record stream cut into HPKE-sealed records.
	MagicAsyncLZ4HPKE Magic = 0x23
	// MagicAsyncZstdHPKE is a zstd frame cut into HPKE-sealed records.
	MagicAsyncZstdHPKE Magic = 0x25
	// MagicSyncHPKE is a sync block whose one line is sealed with the
	// session's HPKE-exported sync key (no compression): unlike Mars, our
	// sync blocks never hold clear text when a key is set.
	MagicSyncHPKE Magic = 0x24
)

// Codec is how an async payload is compressed.
type Codec uint8

// Codecs.
const (
	CodecNone Codec = iota // clear text (sync blocks)
	CodecZlib              // raw deflate stream, never finished
	CodecZstd              // zstd frame flushed per line, never ended
	CodecLZ4               // length-prefixed LZ4 block per line
)

// Crypt is how a payload is encrypted.
type Crypt uint8

// Crypts.
const (
	CryptNone Crypt = iota
	CryptTEA        // Mars: secp256k1 ECDH + 16-round TEA, whole 8-byte groups
	CryptHPKE       // ours: HPKE-sealed length-prefixed records
)

// Info describes what a magic promises about its block.
type Info struct {
	Sync  bool  // one record, seq 0 (Mars "sync" blocks, tips, markers)
	Codec Codec // compression of the payload
	Crypt Crypt // encryption of the payload
}

// infos is indexed by magic so that the decoder's byte-by-byte resync scan
// costs one array load per byte.
var infos = [256]struct {
	Info
	ok bool
}{
	MagicSyncZlib:         {Info{Sync: true}, true},
	MagicAsyncZlib:        {Info{Codec: CodecZlib, Crypt: CryptTEA}, true},
	MagicSyncNoCryptZlib:  {Info{Sync: true}, true},
	MagicAsyncNoCryptZlib: {Info{Codec: CodecZlib}, true},
	MagicSyncZstd:         {Info{Sync: true}, true},
	MagicSyncNoCryptZstd:  {Info{Sync: true}, true},
	MagicAsyncZstd:        {Info{Codec: CodecZstd, Crypt: CryptTEA}, true},
	MagicAsyncNoCryptZstd: {Info{Codec: CodecZstd}, true},
	MagicAsyncLZ4:         {Info{Codec: CodecLZ4}, true},
	MagicAsyncLZ4TEA:      {Info{Codec: CodecLZ4, Crypt: CryptTEA}, true},
	MagicAsyncZlibHPKE:    {Info{Codec: CodecZlib, Crypt: CryptHPKE}, true},
	MagicAsyncLZ4HPKE:     {Info{Codec: CodecLZ4, Crypt: CryptHPKE}, true},
	MagicAsyncZstdHPKE:    {Info{Codec: CodecZstd, Crypt: CryptHPKE}, true},
	MagicSyncHPKE:         {Info{Sync: true, Crypt: CryptHPKE}, true},
}

// Known reports whether m is a magic this package can describe.
func (m Magic) Known() bool {
	return infos[m].ok
}

// Info returns what m promises; ok is false for an unknown magic.
func (m Magic) Info() (Info, bool) {
	return infos[m].Info, infos[m].ok
}

// AsyncMagic returns the magic of an async block with codec c and crypt k,
// or ok=false when no magic has that combination.
func AsyncMagic(c Codec, k Crypt) (Magic, bool) {
	for m, i := range infos {
		if i.ok && !i.Sync && i.Codec == c && i.Crypt == k {
			return Magic(m), true
		}
	}
	return 0, false
}
