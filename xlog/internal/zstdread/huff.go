package zstdread

import (
	"encoding/binary"
	"errors"
	"math/bits"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// Huffman-coded literals (RFC 8878 §4.2).

const (
	huffMaxBits    = 11 // the longest code the format allows
	huffMaxSymbols = 256
	huffWeightLog  = 6 // the accuracy of FSE-coded weights
)

var (
	errHuffDesc   = errors.New("zstd: bad Huffman table description")
	errHuffStream = errors.New("zstd: bad Huffman stream")
)

// huffEntry decodes the codes whose first bits index it: the symbol and
// the code's length.
type huffEntry struct {
	sym    uint8
	nbBits uint8
}

// huffTable is a Huffman decoding table indexed by the next maxBits bits.
type huffTable struct {
	maxBits uint8
	entries [1 << huffMaxBits]huffEntry
	weights [huffMaxSymbols]uint8 // scratch for reading a description
	fse     fseTable              // scratch for FSE-coded weights
}

// read reads a table description (RFC 8878 §4.2.1) and returns the bytes it used.
func (t *huffTable) read(in []byte) (int, error) {
	if len(in) == 0 {
		return 0, errHuffDesc
	}
	h := int(in[0])
	var n, used int
	if h >= 128 { // weights 4 bits each
		n = h - 127
		used = 1 + (n+1)/2
		if len(in) < used {
			return 0, errHuffDesc
		}
		for i := range n {
			b := in[1+i/2]
			if i%2 == 0 {
				t.weights[i] = b >> 4
			} else {
				t.weights[i] = b & 15
			}
		}
	} else {
		used = 1 + h
		if len(in) < used {
			return 0, errHuffDesc
		}
		var err error
		if n, err = t.readFSEWeights(in[1:used]); err != nil {
			return 0, err
		}
	}
	return used, t.build(t.weights[:n])
}

// readFSEWeights decodes FSE-coded weights with two interleaved states, as
// zstd's FSE_decompress does: until the stream is overread, then one more
// from the other state.
func (t *huffTable) readFSEWeights(in []byte) (int, error) {
	var norm [zstdspec.MaxCodes + 1]int16
	counts, log, used, err := readNCount(in, &norm, huffMaxBits+1, huffWeightLog)
	if err != nil || used >= len(in) {
		return 0, errHuffDesc
	}
	if err := t.fse.build(counts, log); err != nil {
		return 0, err
	}
	var br backReader
	if !br.init(in[used:]) {
		return 0, errHuffDesc
	}
	var s1, s2 fseState
	s1.init(&t.fse, &br)
	s2.init(&t.fse, &br)
	n := 0
	const maxN = huffMaxSymbols - 1
	for {
		if n > maxN-2 {
			return 0, errHuffDesc
		}
		br.reload()
		t.weights[n] = s1.sym()
		s1.update(&br)
		n++
		if br.overread() {
			t.weights[n] = s2.sym()
			return n + 1, nil
		}
		if n > maxN-2 {
			return 0, errHuffDesc
		}
		t.weights[n] = s2.sym()
		s2.update(&br)
		n++
		if br.overread() {
			t.weights[n] = s1.sym()
			return n + 1, nil
		}
	}
}

// build makes the table from the weights of all symbols but the last,
// whose weight is what fills the code space.
func (t *huffTable) build(w []uint8) error {
	total := uint32(0)
	for _, x := range w {
		if x > huffMaxBits {
			return errHuffDesc
		}
		if x > 0 {
			total += 1 << (x - 1)
		}
	}
	if total == 0 {
		return errHuffDesc
	}
	maxBits := uint8(bits.Len32(total)) // the power of two above total
	if maxBits > huffMaxBits {
		return errHuffDesc
	}
	rest := uint32(1)<<maxBits - total
	if rest&(rest-1) != 0 {
		return errHuffDesc
	}
	last := uint8(bits.Len32(rest)) // its weight: log2(rest)+1
	t.maxBits = maxBits
	// Codes go in order of weight, lightest (longest) first, by symbol
	// within a weight; a code of weight x covers 1<<(x-1) entries.
	var start [huffMaxBits + 2]uint32
	for _, x := range w {
		if x > 0 {
			start[x] += 1 << (x - 1)
		}
	}
	start[last] += 1 << (last - 1)
	pos := uint32(0)
	for x := 1; x <= huffMaxBits; x++ {
		pos, start[x] = pos+start[x], pos
	}
	fill := func(s int, x uint8) {
		e := huffEntry{sym: uint8(s), nbBits: maxBits + 1 - x}
		n := uint32(1) << (x - 1)
		for i := start[x]; i < start[x]+n; i++ {
			t.entries[i] = e
		}
		start[x] += n
	}
	for s, x := range w {
		if x > 0 {
			fill(s, x)
		}
	}
	fill(len(w), last)
	return nil
}

// decodeStream decodes one stream of len(out) literals.
func (t *huffTable) decodeStream(out, in []byte) error {
	var br backReader
	if !br.init(in) {
		return errHuffStream
	}
	shift := 64 - uint(t.maxBits)
	e := &t.entries
	i := 0
	// Five codes of up to 11 bits fit in the bits a reload gives.
	for ; i+5 <= len(out); i += 5 {
		br.reload()
		if br.consumed > 64-5*huffMaxBits {
			break // near the stream's start
		}
		for k := range 5 {
			d := e[br.value<<br.consumed>>shift]
			out[i+k] = d.sym
			br.consumed += uint(d.nbBits)
		}
	}
	return t.decodeTail(out[i:], &br)
}

// decodeTail decodes the last literals of a stream one reload each, and
// checks the stream ends with them.
func (t *huffTable) decodeTail(out []byte, br *backReader) error {
	shift := 64 - uint(t.maxBits)
	for i := range out {
		br.reload()
		d := t.entries[br.peekTable(shift)]
		out[i] = d.sym
		br.consumed += uint(d.nbBits)
	}
	if !br.done() {
		return errHuffStream
	}
	return nil
}

// peekTable returns the next 64-shift bits as a table index, zeros past
// the stream's start.
func (b *backReader) peekTable(shift uint) uint64 {
	return b.value << b.consumed >> shift
}

// decodeLiterals decodes n literals from one stream or four.
func (t *huffTable) decodeLiterals(out, in []byte, four bool) error {
	if !four {
		return t.decodeStream(out, in)
	}
	if len(in) < 6 {
		return errHuffStream
	}
	seg := (len(out) + 3) / 4
	if 3*seg > len(out) {
		return errHuffStream
	}
	var br [4]backReader
	rest := in[6:]
	for k := range br {
		size := len(rest)
		if k < 3 {
			size = int(binary.LittleEndian.Uint16(in[2*k:]))
			if size > len(rest) {
				return errHuffStream
			}
		}
		if !br[k].init(rest[:size]) {
			return errHuffStream
		}
		rest = rest[size:]
	}
	o0, o1, o2, o3 := out[:seg], out[seg:2*seg], out[2*seg:3*seg], out[3*seg:]
	b0, b1, b2, b3 := &br[0], &br[1], &br[2], &br[3]
	shift := 64 - uint(t.maxBits)
	e := &t.entries
	i := 0
	// The four streams in turn, so their table look-ups overlap; the last
	// is the shortest.
	for ; i+5 <= len(o3); i += 5 {
		b0.reload()
		b1.reload()
		b2.reload()
		b3.reload()
		if max(b0.consumed, b1.consumed, b2.consumed, b3.consumed) > 64-5*huffMaxBits {
			break
		}
		for k := range 5 {
			d0 := e[b0.value<<b0.consumed>>shift]
			d1 := e[b1.value<<b1.consumed>>shift]
			d2 := e[b2.value<<b2.consumed>>shift]
			d3 := e[b3.value<<b3.consumed>>shift]
			o0[i+k], o1[i+k], o2[i+k], o3[i+k] = d0.sym, d1.sym, d2.sym, d3.sym
			b0.consumed += uint(d0.nbBits)
			b1.consumed += uint(d1.nbBits)
			b2.consumed += uint(d2.nbBits)
			b3.consumed += uint(d3.nbBits)
		}
	}
	for k, o := range [4][]byte{o0, o1, o2, o3} {
		if err := t.decodeTail(o[i:], &br[k]); err != nil {
			return err
		}
	}
	return nil
}
