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
// builder's memory only, never in the crash-safe buffer.
type lz4Dict struct {
	hist   []byte // the block's text so far (at least the last 64 KiB)
	base   int    // stream position of hist[0]
	hashed int    // stream positions below this are in table
	table  [1 << lz4HashLog]int32
}

func (z *lz4Dict) reset() {
	z.hist, z.base, z.hashed = z.hist[:0], 0, 0
	z.table = [1 << lz4HashLog]int32{}
}

func lz4Hash(v uint32) uint32 { return v * lz4HashMul >> lz4HashShift }

// compress appends piece to the history and appends its LZ4 block to dst.
// Stream positions are stored +1 in table so that 0 means empty.
func (z *lz4Dict) compress(dst, piece []byte) []byte {
	if len(z.hist) > lz4HistCompact {
		drop := len(z.hist) - lz4Window
		z.hist = z.hist[:copy(z.hist, z.hist[drop:])]
		z.base += drop
	}
	start := len(z.hist)
	z.hist = append(z.hist, piece...)
	h, end := z.hist, len(z.hist)
	// Hash the tail of the previous piece now that 4 bytes follow it.
	for p := max(z.hashed-z.base, 0); p < start && p+lz4MinMatch <= end; p++ {
		z.table[lz4Hash(binary.LittleEndian.Uint32(h[p:]))] = int32(p + z.base + 1)
	}
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
		for p := i + 1; p < i+m && p+lz4MinMatch <= end; p++ {
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
