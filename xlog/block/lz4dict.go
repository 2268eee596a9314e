package block

import (
	"encoding/binary"
	"math/bits"
)

// LZ4 block-format limits (lz4_Block_format.md).
const (
	lz4MinMatch    = 4
	lz4LastLits    = 5  // the last 5 bytes of a block are always literals
	lz4MFLimit     = 12 // a match may not start in the last 12 bytes
	lz4MaxOffset   = 1<<16 - 1
	lz4Window      = 64 << 10 // history the decoder keeps as dictionary
	lz4HashLog     = 14
	lz4HashShift   = 32 - lz4HashLog
	lz4HashMul     = 2654435761
	lz4HistCompact = 2 * lz4Window // compact the history beyond this
)

// lz4Dict compresses each line as one LZ4 block whose matches may reach
// back into the block's earlier lines (up to 64 KiB), as LZ4's streaming
// mode does. A lone 177-byte log line barely compresses; against the lines
// before it, it shrinks several times. github.com/pierrec/lz4/v4 decodes
// such blocks (UncompressBlockWithDict) but has no compressor taking a
// dictionary, hence this small greedy one. The history lives in the
// builder's memory only, never in the crash-safe buffer. The zlib mode's
// deflate encoder (deflate.go) parses with the same matcher.
type lz4Dict struct {
	hist   []byte // the block's text so far (at least the last 64 KiB)
	base   int    // stream position of hist[0]
	hashed int    // stream positions below this are in table
	low    int    // hist positions below this are not matched (a Parser's floor)
	table  [1 << lz4HashLog]int32
	prev   []int32    // with limits.chain > 1: the previous position of the same hash, by position mod its length
	seqs   []sequence // the last parse
	limits matchLimits
}

// matchLimits are a format's rules for where matches may be, and how hard
// to look for them.
type matchLimits struct {
	maxOffset int  // farthest a match may reach back
	lastLits  int  // the piece's last bytes are always literals
	mfLimit   int  // a match may not start in the piece's last mfLimit bytes
	chain     int  // candidates tried per position (1: the latest only)
	nice      int  // a match this long ends the search (0: no limit)
	lazy      bool // a match starting one byte later may win (zlib's lazy matching)
	insertMax int  // positions inside a longer match are not hashed (0: all are)
}

var lz4Limits = matchLimits{maxOffset: lz4MaxOffset, lastLits: lz4LastLits, mfLimit: lz4MFLimit, chain: 1}

// sequence is a run of literals hist[litStart:litEnd] followed by a match of
// mlen bytes offset back (mlen 0: the piece's last literals).
type sequence struct {
	litStart, litEnd int
	offset, mlen     int
}

// prevLen is the length of lz4Dict.prev: a power of two covering the
// window, so that a chain never reaches a slot that was reused.
const prevLen = lz4Window

func newLZ4Dict(l matchLimits) lz4Dict {
	z := lz4Dict{hist: make([]byte, 0, lz4HistCompact+MaxChunk), limits: l}
	if l.chain > 1 {
		z.prev = make([]int32, prevLen)
	}
	return z
}

func (z *lz4Dict) reset() {
	z.hist, z.base, z.hashed = z.hist[:0], 0, 0
	z.table = [1 << lz4HashLog]int32{}
}

func lz4Hash(v uint32) uint32 { return v * lz4HashMul >> lz4HashShift }

// compress appends piece to the history and appends its LZ4 block to dst:
// parse's greedy case (limits.chain 1) in one loop, which LZ4's speed is.
func (z *lz4Dict) compress(dst, piece []byte) []byte {
	start := z.appendHist(piece)
	h, end := z.hist, len(z.hist)
	anchor, i := start, start
	for i+lz4MFLimit <= end {
		v := binary.LittleEndian.Uint32(h[i:])
		slot := &z.table[lz4Hash(v)]
		ref := int(*slot) - 1 - z.base
		*slot = int32(i + z.base + 1)
		if ref < 0 || i-ref > lz4MaxOffset || binary.LittleEndian.Uint32(h[ref:]) != v {
			i++
			continue
		}
		m := lz4MinMatch + matchLen(h[ref+lz4MinMatch:], h[i+lz4MinMatch:end-lz4LastLits])
		dst = lz4Sequence(dst, h[anchor:i], i-ref, m)
		// Like LZ4's own fast mode, hash only the match's last positions:
		// hashing all of a 150-byte match made up most of the CPU, and the
		// next line finds the same text through its start anyway.
		for p := max(i+1, i+m-2); p < i+m && p+lz4MinMatch <= end; p++ {
			z.table[lz4Hash(binary.LittleEndian.Uint32(h[p:]))] = int32(p + z.base + 1)
		}
		i += m
		anchor = i
	}
	z.hashed = z.base + max(i, end-lz4MinMatch+1)
	for p := i; p+lz4MinMatch <= end; p++ {
		z.table[lz4Hash(binary.LittleEndian.Uint32(h[p:]))] = int32(p + z.base + 1)
	}
	return lz4Sequence(dst, h[anchor:end], 0, 0)
}

// appendHist appends piece to the history, first dropping what is beyond
// the window, and returns where piece starts in it. Positions of the
// previous piece that lacked 4 following bytes are hashed now.
func (z *lz4Dict) appendHist(piece []byte) int {
	if len(z.hist) > lz4HistCompact {
		drop := len(z.hist) - lz4Window
		z.hist = z.hist[:copy(z.hist, z.hist[drop:])]
		z.base += drop
	}
	start := len(z.hist)
	z.hist = append(z.hist, piece...)
	z.hashUpTo(min(start, len(z.hist)-lz4MinMatch+1))
	return start
}

// parse appends piece (at most MaxChunk bytes) to the history and splits it
// into sequences, which stay valid until the next call.
func (z *lz4Dict) parse(piece []byte) []sequence {
	return z.parseFrom(z.appendHist(piece))
}

// parseFrom splits hist[start:] into sequences, which stay valid until the
// next call.
func (z *lz4Dict) parseFrom(start int) []sequence {
	lim := &z.limits
	end := len(z.hist)
	stop, matchEnd := end-max(lim.mfLimit, lz4MinMatch), end-lim.lastLits
	z.seqs = z.seqs[:0]
	anchor, i := start, start
	for i <= stop {
		off, m := z.longest(i, matchEnd)
		if m == 0 {
			i++
			continue
		}
		if lim.lazy && i < stop && (lim.nice == 0 || m < lim.nice) {
			if off2, m2 := z.longest(i+1, matchEnd); m2 > m {
				i, off, m = i+1, off2, m2
			}
		}
		z.seqs = append(z.seqs, sequence{anchor, i, off, m})
		if lim.insertMax > 0 && m > lim.insertMax {
			// zlib's max_insert_length: the inside of a long match is
			// not worth hashing, as in compress.
			z.hashed = max(z.hashed, z.base+i+m-2)
		}
		i += m
		anchor = i
	}
	z.hashUpTo(end - lz4MinMatch + 1)
	return append(z.seqs, sequence{anchor, end, 0, 0})
}

// hashUpTo enters the history positions below p into table (and prev).
// Stream positions are stored +1 so that 0 means empty.
func (z *lz4Dict) hashUpTo(p int) {
	for q := max(z.hashed-z.base, 0); q < p; q++ {
		slot := &z.table[lz4Hash(binary.LittleEndian.Uint32(z.hist[q:]))]
		if z.prev != nil {
			z.prev[(q+z.base)&(prevLen-1)] = *slot
		}
		*slot = int32(q + z.base + 1)
	}
	z.hashed = max(z.hashed, p+z.base)
}

// longest finds the longest match for history position i, ending by
// matchEnd, among limits.chain candidates, and hashes position i.
func (z *lz4Dict) longest(i, matchEnd int) (offset, mlen int) {
	if z.hashed-z.base < i {
		z.hashUpTo(i)
	}
	h := z.hist
	v := binary.LittleEndian.Uint32(h[i:])
	slot := &z.table[lz4Hash(v)]
	cand := int(*slot) // stream position + 1
	if z.hashed-z.base == i {
		if z.prev != nil {
			z.prev[(i+z.base)&(prevLen-1)] = *slot
		}
		*slot = int32(i + z.base + 1)
		z.hashed++
	}
	for depth := z.limits.chain; depth > 0 && cand > 0; depth-- {
		ref := cand - 1 - z.base
		if ref < z.low || ref >= i || i-ref > z.limits.maxOffset {
			break
		}
		// A candidate that differs at the best length so far cannot beat it.
		if h[ref+mlen] == h[i+mlen] && binary.LittleEndian.Uint32(h[ref:]) == v {
			if m := lz4MinMatch + matchLen(h[ref+lz4MinMatch:], h[i+lz4MinMatch:matchEnd]); m > mlen {
				offset, mlen = i-ref, m
				if i+m == matchEnd || m >= z.limits.nice && z.limits.nice > 0 {
					break
				}
			}
		}
		if z.prev == nil {
			break
		}
		next := int(z.prev[(cand-1)&(prevLen-1)])
		if next >= cand { // a slot from before the last reset
			break
		}
		cand = next
	}
	return offset, mlen
}

// matchLen counts the equal leading bytes of a and b (b is the shorter).
func matchLen(a, b []byte) int {
	n := 0
	for len(b)-n >= 8 {
		x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:])
		if x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// lz4Sequence appends one sequence: token, literal run, and unless
// mlen == 0 (the last sequence) the offset and match length.
func lz4Sequence(dst, lits []byte, offset, mlen int) []byte {
	ll := len(lits)
	ml := 0
	if mlen > 0 {
		ml = mlen - lz4MinMatch
	}
	dst = append(dst, byte(min(ll, 15)<<4|min(ml, 15)))
	dst = lz4Length(dst, ll)
	dst = append(dst, lits...)
	if mlen == 0 {
		return dst
	}
	dst = binary.LittleEndian.AppendUint16(dst, uint16(offset))
	return lz4Length(dst, ml)
}

// lz4Length appends the extra length bytes of a nibble that saturated.
func lz4Length(dst []byte, n int) []byte {
	if n < 15 {
		return dst
	}
	for n -= 15; n >= 255; n -= 255 {
		dst = append(dst, 255)
	}
	return append(dst, byte(n))
}
