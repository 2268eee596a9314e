package zstdread

import (
	"encoding/binary"
	"errors"
	"math/bits"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// FSE tables (RFC 8878 §4.1): read from a frame's description or built
// from the format's predefined distributions.

// fseEntry is one decoding state: the symbol it gives, and the next state
// as base plus nbBits read from the stream.
type fseEntry struct {
	base   uint16
	sym    uint8
	nbBits uint8
}

// fseTable is an FSE decoding table of 1<<log states.
type fseTable struct {
	log     uint8
	entries []fseEntry
}

var (
	errNCount = errors.New("zstd: bad FSE table description")
	errFSE    = errors.New("zstd: FSE distribution does not fill its table")
)

// readNCount reads a table description (zstd's FSE_readNCount) of at most
// maxSym+1 symbols and accuracy maxLog into norm, returning the counts,
// the accuracy log and the bytes used.
func readNCount(in []byte, norm *[zstdspec.MaxCodes + 1]int16, maxSym int, maxLog uint8) ([]int16, uint8, int, error) {
	var r fwdReader
	r.in = in
	log := uint8(r.peek()&0xF) + 5
	r.skip(4)
	if log > maxLog {
		return nil, 0, 0, errNCount
	}
	remaining := int32(1)<<log + 1
	threshold := int32(1) << log
	nbBits := uint(log) + 1
	sym := 0
	prev0 := false
	for remaining > 1 && sym <= maxSym {
		if prev0 {
			n0 := sym
			for r.peek()&0xFFFF == 0xFFFF {
				n0 += 24
				r.skip(16)
				if r.past() {
					return nil, 0, 0, errNCount
				}
			}
			for r.peek()&3 == 3 {
				n0 += 3
				r.skip(2)
			}
			n0 += int(r.peek() & 3)
			r.skip(2)
			if n0 > maxSym {
				return nil, 0, 0, errNCount
			}
			for ; sym < n0; sym++ {
				norm[sym] = 0
			}
		}
		maxV := 2*threshold - 1 - remaining
		v := int32(r.peek())
		var count int32
		if v&(threshold-1) < maxV {
			count = v & (threshold - 1)
			r.skip(nbBits - 1)
		} else {
			count = v & (2*threshold - 1)
			if count >= threshold {
				count -= maxV
			}
			r.skip(nbBits)
		}
		count--
		remaining -= max(count, -count)
		if remaining < 1 {
			return nil, 0, 0, errNCount
		}
		norm[sym] = int16(count)
		sym++
		prev0 = count == 0
		for remaining < threshold {
			nbBits--
			threshold >>= 1
		}
		if r.past() {
			return nil, 0, 0, errNCount
		}
	}
	if remaining != 1 || r.past() {
		return nil, 0, 0, errNCount
	}
	return norm[:sym], log, int(r.bit+7) / 8, nil
}

// fwdReader reads bits low first from the front of in, zeros past its end.
type fwdReader struct {
	in  []byte
	bit uint
}

// peek returns the next 32 bits or more.
func (r *fwdReader) peek() uint32 {
	i := int(r.bit >> 3)
	var w [8]byte
	if i < len(r.in) {
		copy(w[:], r.in[i:])
	}
	return uint32(binary.LittleEndian.Uint64(w[:]) >> (r.bit & 7))
}

func (r *fwdReader) skip(n uint) { r.bit += n }

// past says bits beyond in were used.
func (r *fwdReader) past() bool { return int(r.bit) > 8*len(r.in) }

// build makes t the decoding table of the distribution norm (zstd's
// FSE_buildDTable); -1 is a symbol of less than one state.
func (t *fseTable) build(norm []int16, log uint8) error {
	size := 1 << log
	if cap(t.entries) < size {
		t.entries = make([]fseEntry, 1<<zstdspec.MaxTableLog)
	}
	t.log, t.entries = log, t.entries[:size]
	var next [zstdspec.MaxCodes + 1]uint16
	for s, n := range norm {
		next[s] = uint16(max(n, -n)) // a -1 symbol has one state
	}
	var symbols [1 << zstdspec.MaxTableLog]uint8
	if !zstdspec.Spread(symbols[:size], norm) {
		return errFSE
	}
	for i := range t.entries {
		e := &t.entries[i]
		e.sym = symbols[i]
		n := next[e.sym]
		next[e.sym]++
		e.nbBits = log - uint8(bits.Len16(n)-1)
		e.base = n<<e.nbBits - uint16(size)
	}
	return nil
}

// fseState is one decoding state in a table.
type fseState struct {
	t     *fseTable
	state uint16
}

func (s *fseState) init(t *fseTable, br *backReader) {
	s.t = t
	s.state = uint16(br.get(t.log))
}

func (s *fseState) sym() uint8 { return s.t.entries[s.state].sym }

func (s *fseState) update(br *backReader) {
	e := s.t.entries[s.state]
	s.state = e.base + uint16(br.get(e.nbBits))
}
