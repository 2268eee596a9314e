package block

import (
	"encoding/binary"
	"math/bits"
)

// fixedDeflate is the zlib mode's encoder: it codes lines with the fixed
// Huffman codes of RFC 1951 §3.2.6, their matches found by the LZ4 matcher
// in the block's earlier text (up to deflate's 32 KiB). A general deflate
// encoder weighs a dynamic Huffman table at every flush, which for a
// 100–200-byte line never pays for its own description but cost two thirds
// of the CPU (zlib level 9 with Z_FIXED stores Mars's lines as small as
// with dynamic tables). The level sets how hard the matcher looks
// (deflateLevels).
//
// Framing (deflateFraming): Mars ends every line with a sync flush (an
// empty stored block, 00 00 FF FF), some 5–6 bytes of framing a line with
// the fixed block around it. Where the payload's last byte may be rewritten,
// one fixed block instead stays open across the lines of an xlog block:
// a line adds only its symbols, and the stream ends on the partial byte
// holding the last line's final bits, which the next line rewrites
// (carry). Every complete symbol of a stream cut there inflates (zlib's
// inflate, which Mars's decoders call, outputs them and waits for more);
// the partial byte's zero padding is either a prefix of a 7-bit code or,
// exactly 7 bits, the end-of-block code — neither outputs anything. The
// stream is never finished, like Mars's.
type fixedDeflate struct {
	dict    lz4Dict
	framing deflateFraming
	inBlock bool // a fixed-code block is open
	part    byte // the stream's last byte, while partial
	npart   int  // bits of part in use; 0: the stream ends on a byte boundary
	size    int  // stream bytes so far, part included
}

// deflateFraming is how lines are framed in the stream.
type deflateFraming struct {
	// open keeps one block open across lines instead of a sync flush after
	// each (the stream's last byte is rewritten by the next line).
	open bool
	// group: the payload's whole groups of this many bytes are
	// sealed in place (TEA), so the partial byte must never be the last of
	// a group; 0 for none.
	group int
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

func newFixedDeflate(level int, framing deflateFraming) *fixedDeflate {
	if level == 0 {
		level = zlibLevel
	}
	l := deflateLevels[level]
	l.maxOffset = deflateWindow
	return &fixedDeflate{dict: newLZ4Dict(l), framing: framing}
}

func (f *fixedDeflate) reset() {
	f.dict.reset()
	f.inBlock, f.part, f.npart, f.size = false, 0, 0, 0
}

func (f *fixedDeflate) carry() int {
	if f.npart > 0 {
		return 1
	}
	return 0
}

// Deflate block headers (BFINAL 0) and the end-of-block code.
const (
	fixedBlockHeader  = 0b010 // BTYPE 01: fixed codes
	storedBlockHeader = 0b000 // BTYPE 00: stored
	headerBits        = 3
	endOfBlockBits    = 7 // code 256 is seven 0 bits
)

func (f *fixedDeflate) appendCompressed(dst, line []byte) []byte {
	return f.appendParsed(dst, line, nil, nil)
}

// appendParsed is appendCompressed for a line already parsed into seqs
// over text (a Parser's work); with text nil the line is parsed here, in
// the compressor's own history.
func (f *fixedDeflate) appendParsed(dst, line, text []byte, seqs []sequence) []byte {
	carry := f.carry()
	start := len(dst) - carry
	wasIn := f.inBlock
	w := f.resume(dst[:start])
	if !wasIn {
		w.put(fixedBlockHeader, headerBits)
	}
	if text != nil {
		writeSequences(&w, text, seqs)
	} else {
		for rest, first := line, true; first || len(rest) > 0; first = false {
			piece := rest[:min(len(rest), MaxChunk)]
			rest = rest[len(piece):]
			writeSequences(&w, f.dict.hist, f.dict.parse(piece))
		}
	}
	f.inBlock = true
	if !f.framing.open {
		w.put(0, endOfBlockBits)
		w.syncFlush()
		f.inBlock = false
	}
	if w.size()-start > f.storedCost(wasIn, len(line)) {
		// Bytes 144–255 take 9 bits each: text that barely matches (UTF-8
		// of most scripts) goes stored, so a line never grows beyond
		// compressBound. The history has the line all the same, as the
		// decoder's window will.
		w = f.resume(dst[:start])
		if wasIn {
			w.put(0, endOfBlockBits)
		}
		for rest, first := line, true; first || len(rest) > 0; first = false {
			piece := rest[:min(len(rest), deflateMaxStored)]
			rest = rest[len(piece):]
			w.put(storedBlockHeader, headerBits)
			w.align()
			w.dst = binary.LittleEndian.AppendUint16(w.dst, uint16(len(piece)))
			w.dst = binary.LittleEndian.AppendUint16(w.dst, ^uint16(len(piece)))
			w.dst = append(w.dst, piece...)
		}
		f.inBlock = false
		if !f.framing.open {
			w.syncFlush()
		}
	}
	if g := f.framing.group; g > 0 && w.nacc%8 != 0 && (f.size-carry+w.size()-start)%g == 0 {
		// The partial byte would end a group that is sealed once whole:
		// an empty block (end of block, new header: 10 bits) moves it on.
		w.put(0, endOfBlockBits)
		w.put(fixedBlockHeader, headerBits)
	}
	dst, f.npart = w.end()
	f.part = 0
	if f.npart > 0 {
		f.part = dst[len(dst)-1]
	}
	f.size += len(dst) - start - carry
	return dst
}

// resume starts a bit writer at the end of dst, which ends just before the
// stream's partial byte: the writer starts with its bits.
func (f *fixedDeflate) resume(dst []byte) bitWriter {
	return bitWriter{dst: dst, acc: uint64(f.part), nacc: f.npart}
}

// storedCost is what a line of n bytes takes as stored blocks, counted
// like the fixed-code attempt: from the stream's partial byte, with the end
// of the open block before them and the sync flush after them as framed.
func (f *fixedDeflate) storedCost(inBlock bool, n int) int {
	const header = 5 // byte-aligned stored block header: 3 bits, padding, LEN, NLEN
	bits := f.npart + headerBits
	if inBlock {
		bits += endOfBlockBits
	}
	cost := (bits+7)/8 + header - 1 + n + header*(max(1, (n+deflateMaxStored-1)/deflateMaxStored)-1)
	if !f.framing.open {
		cost += header // the sync flush's empty stored block
	}
	return cost
}

// writeSequences codes seqs, whose literals are in text, with the fixed
// codes.
func writeSequences(w *bitWriter, text []byte, seqs []sequence) {
	for _, s := range seqs {
		for _, c := range text[s.litStart:s.litEnd] {
			w.put(fixedLit[c].code, fixedLit[c].bits)
		}
		writeMatch(w, s.offset, s.mlen)
	}
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

// size is the length of dst once the bits are written out.
func (w *bitWriter) size() int { return len(w.dst) + (w.nacc+7)/8 }

// align writes the bits out, padding the last byte with zeros.
func (w *bitWriter) align() {
	w.dst, _ = w.end()
	w.acc, w.nacc = 0, 0
}

// end writes the bits out and returns the bytes and how many bits of the
// last one are in use (0: all of it).
func (w *bitWriter) end() ([]byte, int) {
	for ; w.nacc >= 8; w.nacc -= 8 {
		w.dst = append(w.dst, byte(w.acc))
		w.acc >>= 8
	}
	if w.nacc > 0 {
		w.dst = append(w.dst, byte(w.acc))
	}
	return w.dst, w.nacc
}

// syncFlush ends with an empty stored block, which leaves the stream on a
// byte boundary.
func (w *bitWriter) syncFlush() {
	w.put(storedBlockHeader, headerBits)
	w.align()
	w.dst = append(w.dst, 0, 0, 0xFF, 0xFF)
}
