package block

import (
	"fmt"
	"sync/atomic"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// Builder writes blocks of one kind. Make one per appender open (Mars does
// one ECDH per open); it is not safe for concurrent use.
type Builder struct {
	async, sync format.Magic
	compression Compression
	level       int        // 0 = the codec's default
	comp        compressor // made at the first Start: sync-only builders never need one
	crypt       crypter
	syncCrypt   crypter // HPKE: sync blocks seal with the session's sync key
	syncKey     [format.KeySize]byte
	open        bool
	start       int    // offset of the open block's header in dst
	scratch     []byte // the current line, compressed
	hdr         format.Header

	// With Parsers (parse.go): lines come parsed, in Place order.
	parsers bool
	floor   atomic.Uint64 // packed generation and position parses must not reach below
	lastGen uint64        // Place of the last line appended; 0: none since Start or a record
	lastEnd int
	lit     [1]sequence
}

// parsedCoder is a compressor that also writes lines parsed by a Parser.
type parsedCoder interface {
	// appendParsed is appendCompressed for line coded as seqs over text.
	appendParsed(dst, line, text []byte, seqs []sequence) []byte
}

// NewBuilder checks the options and, with a Mars key, makes this open's
// ephemeral key and TEA key.
func NewBuilder(o Options) (*Builder, error) {
	kind, err := crypt.PublicKeyKind(o.PublicKey)
	if err != nil {
		return nil, err
	}
	b := &Builder{}
	if b.async, b.sync, err = magics(o.Compression, kind); err != nil {
		return nil, err
	}
	if err = checkLevel(o.Compression, o.Level); err != nil {
		return nil, err
	}
	b.compression, b.level = o.Compression, o.Level
	switch kind {
	case crypt.KindNone:
		b.crypt, b.syncCrypt = noCrypt{}, noCrypt{}
	case crypt.KindMars:
		pub, err := crypt.ParseMarsPublicKey(o.PublicKey)
		if err != nil {
			return nil, err
		}
		s, err := crypt.NewMarsSession(pub)
		if err != nil {
			return nil, fmt.Errorf("block: mars key agreement: %w", err)
		}
		b.crypt, b.syncCrypt = &teaCrypt{s: s}, noCrypt{}
		b.syncKey = s.ClientKey // Mars puts the client key in sync headers too
	case crypt.KindHPKE:
		pk, err := crypt.ParseHPKEPublicKey(o.PublicKey)
		if err != nil {
			return nil, err
		}
		if b.crypt, err = newHPKECrypt(pk); err != nil {
			return nil, err
		}
		if b.syncCrypt, err = newHPKESyncCrypt(pk); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Start appends the header of a new async block (length 0, begin and end
// hour = hour) to dst and opens it. It never grows dst beyond cap(dst):
// ErrFull if the header, the tail and the final record cannot fit. With
// HPKE every block gets a fresh context (a new X25519 encapsulation). With
// a Mars key the last bytes of cap(dst) are kept for a journal that Recover
// reads; blocks never reach them.
func (b *Builder) Start(dst []byte, seq uint16, hour uint8) ([]byte, error) {
	reserve := b.crypt.journalSize()
	if cap(dst)-len(dst) < format.BlockOverhead+b.crypt.finishReserve()+reserve {
		return dst, ErrFull
	}
	clear(dst[cap(dst)-reserve : cap(dst)]) // a journal of the block before is void
	if b.comp == nil {
		c, err := newCompressor(b.compression, b.level, b.crypt)
		if err != nil {
			return dst, fmt.Errorf("block: start: %w", err)
		}
		b.comp = c
	}
	h := &b.hdr
	*h = format.Header{Magic: b.async, Seq: seq, BeginHour: hour, EndHour: hour}
	if err := b.crypt.begin(b.async, seq, &h.Key); err != nil {
		return dst, fmt.Errorf("block: start: %w", err)
	}
	b.comp.reset()
	b.start, b.open = len(dst), true
	b.lastGen = 0
	return h.Append(dst), nil
}

// AppendLine compresses (and encrypts) one formatted line into the open
// block at the end of dst and updates the header's length in place, so
// that at every return dst holds a header and a decodable payload. dst must
// be the slice the previous Start/AppendLine returned (or one with the same
// start and bytes). It never grows dst beyond cap(dst): when the worst case
// for the line does not fit it returns dst unchanged and ErrFull, and the
// block stays valid for more (shorter) lines or Finish.
//
// Crash safety: until the length is updated, Recover on dst[:cap(dst)]
// returns the block as it was before the call (TEA blocks: through the
// journal at the end of cap(dst), see teaCrypt.appendChunk).
func (b *Builder) AppendLine(dst, line []byte) ([]byte, error) {
	out, err := b.appendUncommitted(dst, line)
	if err != nil {
		return dst, err
	}
	b.commit(out)
	return out, nil
}

// appendUncommitted is AppendLine up to the length update: the line is in
// dst but not yet part of the block that Recover sees.
func (b *Builder) appendUncommitted(dst, line []byte) ([]byte, error) {
	if !b.open {
		return dst, ErrNoBlock
	}
	if b.parsers {
		// The builder's history does not follow a stream of parsed lines:
		// a record goes as literals and breaks the run of places.
		b.lastGen = 0
		return b.appendCoded(dst, line, line, b.literal(0, len(line)))
	}
	return b.appendCoded(dst, line, nil, nil)
}

// appendCoded appends line, coded as seqs over text or, with text nil or
// a codec that codes every line itself (zstd), compressed in the builder's
// own history; it leaves the length alone.
func (b *Builder) appendCoded(dst, line, text []byte, seqs []sequence) ([]byte, error) {
	need := b.MaxAppend(len(line))
	if cap(dst)-len(dst) < need {
		return dst, ErrFull
	}
	// A carried byte (the zlib stream's partial last byte, never in a
	// sealed TEA group) is rewritten with more bits set: until the length
	// below grows, the old prefix still decodes to the same lines.
	back := b.comp.carry()
	b.scratch = append(b.scratch[:0], dst[len(dst)-back:]...)
	if pc, ok := b.comp.(parsedCoder); ok && text != nil {
		b.scratch = pc.appendParsed(b.scratch, line, text, seqs)
	} else {
		b.scratch = b.comp.appendCompressed(b.scratch, line)
	}
	payloadStart := b.start + format.HeaderSize
	b.crypt.keepTail(dst[:cap(dst)], dst[payloadStart:])
	out, err := b.crypt.appendChunk(dst[:len(dst)-back], payloadStart, b.scratch)
	if err != nil {
		return dst, fmt.Errorf("block: seal: %w", err)
	}
	return out, nil
}

// commit makes the bytes of the open block in dst count: one store of the
// header's length.
func (b *Builder) commit(dst []byte) {
	format.PutLength(dst[b.start:], uint32(len(dst)-b.start-format.HeaderSize))
}

// Finish closes the open block: final record (HPKE), end hour, tail 0x00.
// The room for these was reserved by Start and AppendLine, so Finish never
// grows dst beyond cap(dst). Without an open block it returns dst as is.
func (b *Builder) Finish(dst []byte, hour uint8) []byte {
	if !b.open {
		return dst
	}
	dst = b.crypt.finish(dst)
	hdr := dst[b.start:]
	format.PutLength(hdr, uint32(len(dst)-b.start-format.HeaderSize))
	format.PutEndHour(hdr, hour)
	b.open = false
	return append(dst, format.Tail)
}

// MaxLineOverhead is the most bytes AppendLine may need beyond the line's
// own length, for lines up to BoundLine bytes, including the reserve for
// Finish. A buffer needs at least format.HeaderSize + this + the line.
func (b *Builder) MaxLineOverhead() int {
	return b.MaxAppend(BoundLine) - BoundLine
}

// MaxAppend is the room AppendLine requires for an n-byte line.
func (b *Builder) MaxAppend(n int) int {
	return b.crypt.overhead(compressBound(b.compression, n)) + b.crypt.finishReserve() + b.crypt.journalSize() + format.TailSize
}

// AppendSync appends a complete sync block holding line: Mars's sync mode,
// tips and markers. Mars keeps these in clear text even with a key (magic
// 0x06, client key in the header); with an HPKE key the
// line is sealed (MagicSyncHPKE). Unlike the async path, it appends with
// Go's append and may grow dst.
func (b *Builder) AppendSync(dst, line []byte, hour uint8) ([]byte, error) {
	h := &b.hdr // a field, so the header does not escape per call
	*h = format.Header{Magic: b.sync, BeginHour: hour, EndHour: hour, Key: b.syncKey}
	if err := b.syncCrypt.begin(b.sync, 0, &h.Key); err != nil {
		return dst, fmt.Errorf("block: sync: %w", err)
	}
	start := len(dst)
	dst = h.Append(dst)
	dst, err := b.syncCrypt.appendChunk(dst, start+format.HeaderSize, line)
	if err != nil {
		return dst[:start], fmt.Errorf("block: sync: %w", err)
	}
	dst = b.syncCrypt.finish(dst)
	format.PutLength(dst[start:], uint32(len(dst)-start-format.HeaderSize))
	return append(dst, format.Tail), nil
}
