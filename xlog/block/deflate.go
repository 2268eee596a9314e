package block

import (
	"encoding/binary"
	"math/bits"
)

// fixedDeflate is the zlib mode's encoder: each line
// becomes one deflate block with the fixed Huffman codes of RFC 1951
// §3.2.6, its matches found by the LZ4 matcher in the block's earlier text
// (up to deflate's 32 KiB), followed by a sync flush (an empty stored
// block: 00 00 FF FF) as Mars's Z_SYNC_FLUSH writes. The stream is the one
// Mars's decoders inflate. A general deflate encoder weighs a dynamic
// Huffman table at every flush, which for a 100–200-byte line never pays
// for its own description but cost two thirds of the CPU (zlib level 9 with
// Z_FIXED stores Mars's lines as small as with dynamic tables). The level
// sets how hard the matcher looks (deflateLevels).
type fixedDeflate struct {
	dict lz4Dict
}

// deflateWindow is how far back a deflate match may reach.
const deflateWindow = 32 << 10

// deflateLevels are the matcher settings of zlib levels 1–9, after zlib's
// own table (deflate.c configuration_table): longer chains and lazy
// matching find more of the earlier lines for more CPU.
var deflateLevels = [...]matchLimits{
	1: {chain: 1, insertMax: 16},
	2: {chain: 2, insertMax: 16},
	3: {chain: 4, insertMax: 16},
	4: {chain: 4, lazy: true, nice: 16, insertMax: 64},
	5: {chain: 8, lazy: true, nice: 16, insertMax: 64},
	6: {chain: 8, lazy: true, nice: 32},
	7: {chain: 16, lazy: true, nice: 64},
	8: {chain: 32, lazy: true, nice: 128},
	9: {chain: 64, lazy: true, nice: deflateMaxMatch},
}

// Deflate's limits (RFC 1951 §3.2.5).
const (
	deflateMaxMatch  = 258
	deflateMinMatch  = 3
	deflateMaxStored = 1<<16 - 1
)

func newFixedDeflate(level int) *fixedDeflate {
	if level == 0 {
		level = zlibLevel
	}
	l := deflateLevels[level]
	l.maxOffset = deflateWindow
	return &fixedDeflate{dict: newLZ4Dict(l)}
}

func (f *fixedDeflate) reset() { f.dict.reset() }

func (f *fixedDeflate) appendCompressed(dst, line []byte) []byte {
	start := len(dst)
	w := bitWriter{dst: dst}
	w.put(0b010, 3) // BFINAL 0, BTYPE 01: fixed codes
	for rest, first := line, true; first || len(rest) > 0; first = false {
		piece := rest[:min(len(rest), MaxChunk)]
		rest = rest[len(piece):]
		for _, s := range f.dict.parse(piece) {
			for _, c := range f.dict.hist[s.litStart:s.litEnd] {
				w.put(fixedLit[c].code, fixedLit[c].bits)
			}
			writeMatch(&w, s.offset, s.mlen)
		}
	}
	w.put(0, 7) // end of block: code 256 is seven 0 bits
	dst = w.syncFlush()
	if len(dst)-start <= storedSize(len(line)) {
		return dst
	}
	// Bytes 144–255 take 9 bits each: text that barely matches (UTF-8 of
	// most scripts) goes stored, so a line never grows beyond
	// compressBound. The history has the line all the same, as the
	// decoder's window will.
	dst = dst[:start]
	for rest, first := line, true; first || len(rest) > 0; first = false {
		piece := rest[:min(len(rest), deflateMaxStored)]
		rest = rest[len(piece):]
		dst = append(dst, 0) // BFINAL 0, BTYPE 00, then to the byte boundary
		dst = binary.LittleEndian.AppendUint16(dst, uint16(len(piece)))
		dst = binary.LittleEndian.AppendUint16(dst, ^uint16(len(piece)))
		dst = append(dst, piece...)
	}
	w = bitWriter{dst: dst}
	return w.syncFlush()
}

// storedSize is what a line of n bytes takes as stored blocks and the sync
// flush after them.
func storedSize(n int) int {
	const header = 5 // byte-aligned stored block header: 3 bits, padding, LEN, NLEN
	return n + header*max(1, (n+deflateMaxStored-1)/deflateMaxStored) + header
}

// writeMatch writes a match of mlen bytes offset back, as several deflate
// matches when it is longer than deflate allows.
func writeMatch(w *bitWriter, offset, mlen int) {
	for mlen > 0 {
		n := min(mlen, deflateMaxMatch)
		if rest := mlen - n; rest > 0 && rest < deflateMinMatch {
			n -= deflateMinMatch - rest // leave the last piece a legal length
		}
		lc := lengthCode(n)
		w.put(fixedLit[lc.sym].code, fixedLit[lc.sym].bits)
		w.put(uint64(lc.extra), lc.extraBits)
		dc := distCode(offset)
		w.put(uint64(bits.Reverse8(uint8(dc.sym))>>3), 5)
		w.put(uint64(dc.extra), dc.extraBits)
		mlen -= n
	}
}

// code is a deflate symbol with its extra bits.
type code struct {
	sym, extra, extraBits int
}

// lengthCode is the length symbol (257–285) for a match of n bytes (3–258).
func lengthCode(n int) code {
	v := n - deflateMinMatch
	switch {
	case n == deflateMaxMatch:
		return code{sym: 285}
	case v < 8:
		return code{sym: 257 + v}
	}
	l := bits.Len(uint(v)) - 1
	return code{sym: 257 + 4*(l-1) + (v>>(l-2))&3, extra: v & (1<<(l-2) - 1), extraBits: l - 2}
}

// distCode is the distance symbol (0–29) for an offset of 1–32768.
func distCode(d int) code {
	v := d - 1
	if v < 4 {
		return code{sym: v}
	}
	l := bits.Len(uint(v)) - 1
	return code{sym: 2*l + (v>>(l-1))&1, extra: v & (1<<(l-1) - 1), extraBits: l - 1}
}

// huffCode is a Huffman code, bit-reversed for the LSB-first bit writer.
type huffCode struct {
	code uint64
	bits int
}

// fixedLit holds the fixed literal/length codes (RFC 1951 §3.2.6).
var fixedLit = func() (t [288]huffCode) {
	for v := range t {
		var c, n int
		switch {
		case v < 144:
			c, n = 0x30+v, 8
		case v < 256:
			c, n = 0x190+v-144, 9
		case v < 280:
			c, n = v-256, 7
		default:
			c, n = 0xC0+v-280, 8
		}
		t[v] = huffCode{uint64(bits.Reverse16(uint16(c)) >> (16 - n)), n}
	}
	return t
}()

// bitWriter appends deflate's LSB-first bit stream to dst.
type bitWriter struct {
	dst  []byte
	acc  uint64
	nacc int
}

func (w *bitWriter) put(v uint64, n int) {
	w.acc |= v << w.nacc
	w.nacc += n
	if w.nacc >= 32 {
		w.dst = binary.LittleEndian.AppendUint32(w.dst, uint32(w.acc))
		w.acc >>= 32
		w.nacc -= 32
	}
}

// syncFlush ends with an empty stored block, which leaves the stream on a
// byte boundary, and returns the bytes.
func (w *bitWriter) syncFlush() []byte {
	w.put(0, 3) // BFINAL 0, BTYPE 00: stored
	for w.nacc > 0 {
		w.dst = append(w.dst, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
	return append(w.dst, 0, 0, 0xFF, 0xFF)
}
