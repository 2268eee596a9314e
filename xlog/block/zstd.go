package block

import (
	"encoding/binary"
	"math/bits"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// zstdLines is Mars's zstd mode: one frame per block with a 64 KiB
// window, each line one zstd block ending on a byte boundary, and the
// frame never ended (no last-block flag, no checksum) — Mars's decoders
// and ours read it as a truncated frame, so a crash loses at most the line
// being written. klauspost's encoder flushed per line rebuilt its coding
// tables for every line, which never pays for a 100–200-byte line; here a
// line's matches (found by the matcher the zlib and lz4 modes share, in the
// frame's earlier lines, repeat offsets first) and literals are coded with
// FSE and Huffman tables built from the lines before and described once a
// frame (zstdtables.go, zstdhuff.go; the predefined FSE tables until enough
// lines were seen). A line that does not compress goes as a raw block.
type zstdLines struct {
	dict  lz4Dict
	rep   [3]uint32 // the repeat offsets, as the decoder keeps them
	open  bool      // the frame header is written
	seqs  []zstdSeq
	codes [3][]uint8 // the sequences' codes by kind (zstdspec.LL, zstdspec.OF, zstdspec.ML)
	lits  []byte
	block []byte // the line's compressed block, before it is chosen over raw
	tabs  [3]seqTable

	huff      huffTable
	huffStats codeStats // the literals seen, for the next table
	huffReady bool      // the table is built
	huffSent  bool      // the table is described in this frame
}

// zstdDecoderState is what a block tells the decoder beyond its text: a
// raw block instead leaves it as it was.
type zstdDecoderState struct {
	rep      [3]uint32
	huffSent bool
	tables   [3]uint32 // the tables' generations
}

func (z *zstdLines) decoderState() zstdDecoderState {
	return zstdDecoderState{z.rep, z.huffSent, [3]uint32{z.tabs[0].decoder, z.tabs[1].decoder, z.tabs[2].decoder}}
}

func (z *zstdLines) setDecoderState(s zstdDecoderState) {
	z.rep, z.huffSent = s.rep, s.huffSent
	for k := range z.tabs {
		z.tabs[k].decoder = s.tables[k]
	}
}

// Frame and block layout (RFC 8878 §3.1.1).
const (
	// zstdFrameDesc: no content size, not single-segment, no checksum, no
	// dictionary; then the window descriptor for 64 KiB (exponent 6).
	zstdFrameDesc  = 0x00
	zstdWindowDesc = (16 - zstdspec.MinWindowLog) << 3
	zstdMinMatch   = 4
	zstdInsertMax  = 64 // see newZstd
)

// zstdLevels maps zstd's levels 1–22 onto the matcher's settings
// (deflateLevels): the format's levels differ in how hard they look.
var zstdLevels = [MaxZstdLevel + 1]int{0, 1, 3, 6, 6, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}

func newZstd(level int) *zstdLines {
	if level == 0 {
		level = zstdLevel
	}
	l := deflateLevels[zstdLevels[level]]
	l.maxOffset = lz4MaxOffset
	if level <= zstdLevel && l.insertMax == 0 {
		// Up to the default level, positions inside a match over 64 bytes
		// are not hashed, as on the lower levels: on log lines it cost no
		// bytes (23.83 a line against 23.85) and 6–14 % of the CPU.
		l.insertMax = zstdInsertMax
	}
	z := &zstdLines{dict: newLZ4Dict(l), huffStats: codeStats{counts: make([]uint32, 256)}}
	for k, predef := range [3]*fseTable{zstdspec.LL: fseLitLen, zstdspec.OF: fseOffset, zstdspec.ML: fseMatchLen} {
		z.tabs[k] = newSeqTable(predef, zstdspec.Codes[k], uint(zstdspec.MaxLog[k]))
	}
	z.reset()
	return z
}

// reset starts a new frame; the Huffman table is rebuilt from the literals
// seen, which then count half, so the table follows the log's text.
func (z *zstdLines) reset() {
	z.dict.reset()
	z.rep = [3]uint32{1, 4, 8}
	z.open, z.huffSent = false, false
	if z.huffStats.counted > 0 {
		z.rebuildHuff()
	}
	for k := range z.tabs {
		z.tabs[k].newFrame()
	}
}

// carry: every line ends on a byte boundary.
func (z *zstdLines) carry() int { return 0 }

func (z *zstdLines) rebuildHuff() {
	z.huff.build(z.huffStats.counts)
	z.huffStats.built()
	z.huffReady, z.huffSent = true, false
}

func (z *zstdLines) appendCompressed(dst, line []byte) []byte {
	if !z.open {
		dst = binary.LittleEndian.AppendUint32(dst, zstdspec.Magic)
		dst = append(dst, zstdFrameDesc, zstdWindowDesc)
		z.open = true
	}
	for len(line) > 0 {
		// MaxChunk is below the 64 KiB a block of this window may hold.
		piece := line[:min(len(line), MaxChunk)]
		line = line[len(piece):]
		dst = z.appendBlock(dst, piece)
	}
	return dst
}

// appendBlock appends piece as one block, compressed or raw.
func (z *zstdLines) appendBlock(dst, piece []byte) []byte {
	if z.huffStats.due() {
		z.rebuildHuff()
	}
	saved := z.decoderState()
	z.parse(piece)
	for _, c := range z.lits {
		z.huffStats.add(c)
	}
	for k := range z.codes {
		z.codes[k] = z.codes[k][:0]
	}
	for _, q := range z.seqs {
		for k, c := range q.codes() {
			z.codes[k] = append(z.codes[k], c)
			z.tabs[k].stats.add(c)
		}
	}
	b := z.appendLiterals(z.block[:0])
	b = appendSequences(b, z.seqs, &z.codes, &z.tabs)
	z.block = b
	if len(b) < len(piece) {
		dst = appendBlockHeader(dst, zstdspec.BlockCompressed, len(b))
		return append(dst, b...)
	}
	// The decoder applies no sequences for a raw block: its repeat offsets
	// and tables stay as they were (the history has the line all the
	// same, as the decoder's window will).
	z.setDecoderState(saved)
	dst = appendBlockHeader(dst, zstdspec.BlockRaw, len(piece))
	return append(dst, piece...)
}

func appendBlockHeader(dst []byte, kind, size int) []byte {
	h := uint32(size<<3 | kind<<1) // last-block flag never set
	return append(dst, byte(h), byte(h>>8), byte(h>>16))
}

// appendLiterals appends the literals section: Huffman-coded when that is
// smaller (describing the table if this frame has not seen it yet), else
// raw.
func (z *zstdLines) appendLiterals(dst []byte) []byte {
	n := len(z.lits)
	raw := n + 1
	if n > 31 {
		raw = n + 2
	}
	if z.huffReady && n <= huffMaxLits {
		if hs := z.huff.size(z.lits); hs > 0 {
			desc := 0
			if !z.huffSent {
				desc = huffDescSize
			}
			if comp := desc + hs; comp <= huffMaxLits && 3+comp < raw {
				kind := uint32(3) // treeless: the frame's table
				if !z.huffSent {
					kind = 2
				}
				h := kind | uint32(n)<<4 | uint32(comp)<<14 // one stream, 10-bit sizes
				dst = append(dst, byte(h), byte(h>>8), byte(h>>16))
				if !z.huffSent {
					dst = z.huff.appendDesc(dst)
					z.huffSent = true
				}
				return z.huff.appendStream(dst, z.lits)
			}
		}
	}
	switch {
	case n <= 31:
		dst = append(dst, byte(n<<3))
	case n <= 4095:
		dst = append(dst, byte(n<<4|1<<2), byte(n>>4))
	default:
		dst = append(dst, byte(n<<4|3<<2), byte(n>>4), byte(n>>12))
	}
	return append(dst, z.lits...)
}

// parse appends piece to the history and splits it into z.seqs and
// z.lits, trying the repeat offsets before the matcher's candidates and
// keeping the repeat offsets as the decoder will.
func (z *zstdLines) parse(piece []byte) {
	d := &z.dict
	start := d.appendHist(piece)
	h, end := d.hist, len(d.hist)
	stop := end - zstdMinMatch
	z.seqs, z.lits = z.seqs[:0], z.lits[:0]
	anchor, i := start, start
	for i <= stop {
		off, m := z.best(i, anchor, end)
		if m == 0 {
			i++
			continue
		}
		if d.limits.lazy && i < stop && (d.limits.nice == 0 || m < d.limits.nice) {
			if off2, m2 := z.best(i+1, anchor, end); m2 > 0 && z.gain(off2, m2, false) > z.gain(off, m, i == anchor)+4 { // 4: the literal it adds
				i, off, m = i+1, off2, m2
			}
		}
		z.lits = append(z.lits, h[anchor:i]...)
		z.seqs = append(z.seqs, zstdSeq{ll: uint32(i - anchor), ml: uint32(m), ofValue: z.offsetValue(uint32(off), i == anchor)})
		if d.limits.insertMax > 0 && m > d.limits.insertMax {
			d.hashed = max(d.hashed, d.base+i+m-2)
		}
		i += m
		anchor = i
	}
	d.hashUpTo(end - lz4MinMatch + 1)
	z.lits = append(z.lits, h[anchor:end]...)
}

// best is the longer of the matcher's match at i and the longest repeat
// offset match; a repeat wins a tie, being far cheaper to code.
func (z *zstdLines) best(i, anchor, end int) (offset, mlen int) {
	offset, mlen = z.dict.longest(i, end)
	h := z.dict.hist
	for _, r := range z.repCodes(i == anchor) {
		ref := i - int(r)
		if r == 0 || ref < 0 || r > lz4MaxOffset {
			continue
		}
		if m := matchLen(h[ref:], h[i:end]); m >= zstdMinMatch && m >= mlen {
			offset, mlen = int(r), m
		}
	}
	return offset, mlen
}

// gain is zstd's lazy-matching estimate of a match's worth: its length
// against the bits of its offset code.
func (z *zstdLines) gain(off, m int, ll0 bool) int {
	v := uint32(off) + 3
	for k, r := range z.repCodes(ll0) {
		if uint32(off) == r {
			v = uint32(k + 1)
			break
		}
	}
	return 4*m - bits.Len32(v)
}

// repCodes are the offsets the repeat codes 1–3 stand for (RFC 8878
// §3.1.2.5): with no literals before the match (ll0) they shift by one,
// the last being rep[0]-1.
func (z *zstdLines) repCodes(ll0 bool) [3]uint32 {
	r := z.rep
	if ll0 {
		return [3]uint32{r[1], r[2], r[0] - 1}
	}
	return r
}

// offsetValue codes a match offset and updates the repeat offsets as the
// decoder will.
func (z *zstdLines) offsetValue(off uint32, ll0 bool) uint32 {
	code, idx := uint32(0), 3 // idx: which of rep is used (3: a new offset)
	for k, r := range z.repCodes(ll0) {
		if off == r {
			code, idx = uint32(k+1), k
			if ll0 {
				idx++
			}
			break
		}
	}
	r := &z.rep
	switch idx {
	case 0:
	case 1:
		r[0], r[1] = r[1], r[0]
	case 2:
		r[0], r[1], r[2] = r[2], r[0], r[1]
	default:
		r[0], r[1], r[2] = off, r[0], r[1]
	}
	if code == 0 {
		return off + 3
	}
	return code
}
