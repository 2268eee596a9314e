package block

import (
	"slices"
)

// zstd's Huffman-coded literals (RFC 8878 §4.2). A line's literals are too
// few to pay for a table each, so one table, built from the literals of
// the lines before, is described once in a frame and the following lines
// say "the previous table" (treeless literals). The table covers bytes
// 0–128 — the most a table described without FSE can, plenty for log text
// — and gives every one of them a code, so that any ASCII line encodes.

const (
	huffSymbols = 129 // bytes 0–128; the description lists 128 weights, the last is implied
	huffMaxBits = 11  // zstd's encoder limit
	// huffDescSize is the table description: a header byte and 128 4-bit weights.
	huffDescSize = 1 + 64
	// huffMaxLits is the most literals one stream with a 3-byte header holds.
	huffMaxLits = 1<<10 - 1
)

// huffTable is a canonical Huffman code for bytes 0–128.
type huffTable struct {
	code [huffSymbols]uint16
	bits [huffSymbols]uint8
}

// build makes the table from counts (each is taken as at least 1), limited
// to huffMaxBits by halving the counts until it fits.
func (t *huffTable) build(counts []uint32) {
	var c [huffSymbols]uint32
	for s := range c {
		c[s] = max(counts[s], 1)
	}
	for !huffLengths(&c, &t.bits) {
		for s := range c {
			c[s] = c[s]/2 + 1
		}
	}
	// Codes as zstd's HUF_buildCTable assigns them: the longest first, in
	// symbol order within a length.
	maxBits := slices.Max(t.bits[:])
	var perLen, next [huffMaxBits + 2]uint16
	for _, b := range t.bits {
		perLen[b]++
	}
	v := uint16(0)
	for n := maxBits; n > 0; n-- {
		next[n] = v
		v = (v + perLen[n]) >> 1
	}
	for s, b := range t.bits {
		t.code[s] = next[b]
		next[b]++
	}
}

// huffLengths sets the code lengths of a Huffman code for counts and
// reports whether none is longer than huffMaxBits.
func huffLengths(counts *[huffSymbols]uint32, lengths *[huffSymbols]uint8) bool {
	// Nodes 0..huffSymbols-1 are leaves, the rest internal, made in order of
	// weight: two queues (sorted leaves, then internal nodes as made) give
	// the two lightest at each step.
	type node struct {
		w      uint64
		parent int
	}
	var nodes [2 * huffSymbols]node
	var order [huffSymbols]int
	for s := range order {
		order[s] = s
		nodes[s].w = uint64(counts[s])
	}
	// Insertion sort, stable: 129 symbols once a frame, and no closure
	// for the heap.
	for i := 1; i < huffSymbols; i++ {
		for j := i; j > 0 && counts[order[j]] < counts[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	li, ni, made := 0, huffSymbols, huffSymbols
	pick := func() int {
		if li < huffSymbols && (ni == made || nodes[order[li]].w <= nodes[ni].w) {
			li++
			return order[li-1]
		}
		ni++
		return ni - 1
	}
	for made < 2*huffSymbols-1 {
		a, b := pick(), pick()
		nodes[made].w = nodes[a].w + nodes[b].w
		nodes[a].parent, nodes[b].parent = made, made
		made++
	}
	var depth [2 * huffSymbols]uint8
	for n := made - 2; n >= 0; n-- {
		depth[n] = depth[nodes[n].parent] + 1
	}
	ok := true
	for s := range lengths {
		lengths[s] = depth[s]
		ok = ok && depth[s] <= huffMaxBits
	}
	return ok
}

// size is the bytes lits take Huffman-coded (with the stream's end mark),
// or -1 when a byte has no code.
func (t *huffTable) size(lits []byte) int {
	n := 1
	for _, c := range lits {
		if c >= huffSymbols {
			return -1
		}
		n += int(t.bits[c])
	}
	return (n + 7) / 8
}

// appendDesc appends the table's description: weights written directly,
// 4 bits each, for bytes 0–127; byte 128's weight is implied.
func (t *huffTable) appendDesc(dst []byte) []byte {
	maxBits := slices.Max(t.bits[:])
	dst = append(dst, 127+huffSymbols-1)
	for s := 0; s < huffSymbols-1; s += 2 {
		dst = append(dst, (maxBits+1-t.bits[s])<<4|(maxBits+1-t.bits[s+1]))
	}
	return dst
}

// appendStream appends lits as one Huffman stream, coded last byte first
// since the decoder reads the stream backwards.
func (t *huffTable) appendStream(dst, lits []byte) []byte {
	w := bitWriter{dst: dst}
	for i := len(lits) - 1; i >= 0; i-- {
		c := lits[i]
		w.put(uint64(t.code[c]), int(t.bits[c]))
	}
	return closeStream(&w)
}
