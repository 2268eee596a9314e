package zstdread

import (
	"errors"
	"slices"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// The sequences section (RFC 8878 §3.1.1.3.2): literal lengths, offsets
// and match lengths as FSE-coded codes plus extra bits.

var (
	errSeqHeader = errors.New("zstd: bad sequences section header")
	errSeqRepeat = errors.New("zstd: sequence table repeated before any was used")
	errSeqStream = errors.New("zstd: bad sequences bitstream")
)

// The predefined tables (RFC 8878 §3.1.1.3.2.2).
var predefined = [3]*fseTable{
	zstdspec.LL: mustTable(zstdspec.LitLenNorm, zstdspec.LitLenLog),
	zstdspec.OF: mustTable(zstdspec.OffsetNorm, zstdspec.OffsetLog),
	zstdspec.ML: mustTable(zstdspec.MatchLenNorm, zstdspec.MatchLenLog),
}

func mustTable(norm []int16, log uint8) *fseTable {
	t := new(fseTable)
	if err := t.build(norm, log); err != nil {
		panic(err)
	}
	return t
}

// seqState is what sequences carry from block to block in a frame: the
// tables a later block may repeat and the repeat offsets.
type seqState struct {
	tables [3]fseTable  // described or RLE tables
	cur    [3]*fseTable // the tables in use (nil: none yet)
	rep    [3]uint32    // the repeat offsets
	norm   [zstdspec.MaxCodes + 1]int16
}

func (s *seqState) newFrame() {
	s.cur = [3]*fseTable{}
	s.rep = [3]uint32{1, 4, 8}
}

// sequence is one decoded sequence: literals to copy, then a match.
type sequence struct {
	ll, ml, offset uint32
}

// readHeader reads the number of sequences and the tables, returning the
// bytes they used.
func (s *seqState) readHeader(in []byte) (n, used int, err error) {
	if len(in) == 0 {
		return 0, 0, errSeqHeader
	}
	switch b := int(in[0]); {
	case b < 128:
		n, used = b, 1
	case b < 255:
		if len(in) < 2 {
			return 0, 0, errSeqHeader
		}
		n, used = (b-128)<<8|int(in[1]), 2
	default:
		if len(in) < 3 {
			return 0, 0, errSeqHeader
		}
		n, used = int(in[1])|int(in[2])<<8+0x7F00, 3
	}
	if n == 0 {
		if used != len(in) {
			return 0, 0, errSeqHeader
		}
		return 0, used, nil
	}
	if len(in) < used+1 {
		return 0, 0, errSeqHeader
	}
	modes := in[used]
	used++
	if modes&3 != 0 {
		return 0, 0, errSeqHeader
	}
	for k := range 3 {
		switch modes >> (6 - 2*k) & 3 {
		case zstdspec.ModePredefined:
			s.cur[k] = predefined[k]
		case zstdspec.ModeRLE:
			if len(in) <= used || int(in[used]) >= zstdspec.Codes[k] {
				return 0, 0, errSeqHeader
			}
			t := &s.tables[k]
			if cap(t.entries) == 0 {
				t.entries = make([]fseEntry, 1<<zstdspec.MaxTableLog)
			}
			t.log, t.entries = 0, t.entries[:1]
			t.entries[0] = fseEntry{sym: in[used]}
			s.cur[k] = t
			used++
		case zstdspec.ModeCompressed:
			counts, log, m, err := readNCount(in[used:], &s.norm, zstdspec.Codes[k]-1, zstdspec.MaxLog[k])
			if err != nil {
				return 0, 0, err
			}
			if err := s.tables[k].build(counts, log); err != nil {
				return 0, 0, err
			}
			s.cur[k] = &s.tables[k]
			used += m
		case zstdspec.ModeRepeat:
			if s.cur[k] == nil {
				return 0, 0, errSeqRepeat
			}
		}
	}
	return n, used, nil
}

// offset turns an offset value into an offset, keeping the repeat offsets
// (RFC 8878 §3.1.2.5): 1–3 name a repeat offset, shifted by one when the sequence
// has no literals.
func (s *seqState) offset(v, ll uint32) uint32 {
	if v > 3 {
		s.rep[2], s.rep[1], s.rep[0] = s.rep[1], s.rep[0], v-3
		return v - 3
	}
	if ll == 0 {
		v++
	}
	var o uint32
	switch v {
	case 1:
		return s.rep[0]
	case 2:
		o = s.rep[1]
		s.rep[1] = s.rep[0]
	case 3:
		o = s.rep[2]
		s.rep[2] = s.rep[1]
		s.rep[1] = s.rep[0]
	default: // 4: rep[0]-1, where zstd makes 0 into 1
		o = max(s.rep[0]-1, 1)
		s.rep[2] = s.rep[1]
		s.rep[1] = s.rep[0]
	}
	s.rep[0] = o
	return o
}

// sequences decodes the n sequences of in's bitstream into seqs.
func (s *seqState) sequences(in []byte, n int, seqs []sequence) ([]sequence, error) {
	var br backReader
	if !br.init(in) {
		return nil, errSeqStream
	}
	var ll, of, ml fseState
	ll.init(s.cur[zstdspec.LL], &br)
	of.init(s.cur[zstdspec.OF], &br)
	ml.init(s.cur[zstdspec.ML], &br)
	seqs = slices.Grow(seqs, n)
	for i := range n {
		br.reload()
		ofc, mlc, llc := of.sym(), ml.sym(), ll.sym()
		v := uint32(1)<<ofc + br.get(ofc)
		q := sequence{ml: zstdspec.MLBase[mlc] + br.get(zstdspec.MLExtra[mlc])}
		br.reload()
		q.ll = zstdspec.LLBase[llc] + br.get(zstdspec.LLExtra[llc])
		q.offset = s.offset(v, q.ll)
		seqs = append(seqs, q)
		if i < n-1 {
			ll.update(&br)
			ml.update(&br)
			of.update(&br)
		}
	}
	if !br.done() { // past the stream's start, reads gave zeros
		return nil, errSeqStream
	}
	return seqs, nil
}
