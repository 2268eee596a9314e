package block

import (
	"math/bits"
	"slices"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// The zstd sequence coding (RFC 8878 §3.1.1.3.2): literal lengths, match
// lengths and offsets as codes with extra bits, the codes FSE-coded with
// the format's predefined distributions or with tables the frame describes
// (zstdtables.go).

// fseTable is an FSE encoding table (zstd's FSE_buildCTable).
type fseTable struct {
	tableLog   uint
	stateTable []uint16
	sym        []fseSymbol
}

type fseSymbol struct {
	deltaNbBits    uint32
	deltaFindState int32
}

// zeroed returns s resized to n zero elements, reusing its storage when it
// is large enough.
func zeroed[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

func newFSETable(norm []int16, tableLog uint) *fseTable {
	t := &fseTable{}
	t.build(norm, tableLog)
	return t
}

// build makes t the encoding table of a normalised distribution (-1: a
// low-probability symbol), reusing its storage.
func (t *fseTable) build(norm []int16, tableLog uint) {
	size := 1 << tableLog
	t.tableLog = tableLog
	t.stateTable = zeroed(t.stateTable, size)
	t.sym = zeroed(t.sym, len(norm))
	var symbolsBuf [1 << zstdspec.MaxTableLog]uint8
	var cumul [zstdspec.MaxCodes + 1]int
	symbols := symbolsBuf[:size]
	for s, n := range norm {
		cumul[s+1] = cumul[s] + max(int(n), -int(n)) // a -1 symbol has one state
	}
	zstdspec.Spread(symbols, norm)
	for u, s := range symbols {
		t.stateTable[cumul[s]] = uint16(size + u)
		cumul[s]++
	}
	total := 0
	for s, n := range norm {
		switch n {
		case 0:
			t.sym[s] = fseSymbol{deltaNbBits: uint32(tableLog+1)<<16 - uint32(size)}
		case -1, 1:
			t.sym[s] = fseSymbol{uint32(tableLog)<<16 - uint32(size), int32(total - 1)}
			total++
		default:
			maxBitsOut := tableLog - uint(bits.Len32(uint32(n-1))-1)
			minStatePlus := uint32(n) << maxBitsOut
			t.sym[s] = fseSymbol{uint32(maxBitsOut)<<16 - minStatePlus, int32(total - int(n))}
			total += int(n)
		}
	}
}

// The predefined tables (RFC 8878 §3.1.1.3.2.2).
var (
	fseLitLen   = newFSETable(zstdspec.LitLenNorm, zstdspec.LitLenLog)
	fseMatchLen = newFSETable(zstdspec.MatchLenNorm, zstdspec.MatchLenLog)
	fseOffset   = newFSETable(zstdspec.OffsetNorm, zstdspec.OffsetLog)
)

// fseState is one FSE encoder state.
type fseState struct {
	t     *fseTable
	value uint32
}

func (s *fseState) init(t *fseTable, sym uint8) {
	tt := t.sym[sym]
	nb := (tt.deltaNbBits + 1<<15) >> 16
	v := nb<<16 - tt.deltaNbBits
	*s = fseState{t, uint32(t.stateTable[int32(v>>nb)+tt.deltaFindState])}
}

func (s *fseState) encode(w *bitWriter, sym uint8) {
	tt := s.t.sym[sym]
	nb := (s.value + tt.deltaNbBits) >> 16
	w.put(uint64(s.value&(1<<nb-1)), int(nb))
	s.value = uint32(s.t.stateTable[int32(s.value>>nb)+tt.deltaFindState])
}

func (s *fseState) flush(w *bitWriter) {
	w.put(uint64(s.value&(1<<s.t.tableLog-1)), int(s.t.tableLog))
}

// zstdSeq is one sequence as coded: literal length, match length and the
// offset value (1–3: a repeat offset, else the offset + 3), and their codes.
type zstdSeq struct {
	ll, ml, ofValue uint32
}

func (s zstdSeq) codes() [3]uint8 {
	return [3]uint8{zstdspec.LL: llCode(s.ll), zstdspec.OF: uint8(bits.Len32(s.ofValue) - 1), zstdspec.ML: mlCode(s.ml)}
}

// llCode is the literal-length code of ll (zstd's ZSTD_LLcode).
func llCode(ll uint32) uint8 {
	if ll < 16 {
		return uint8(ll)
	}
	return codeOf(zstdspec.LLBase[:], ll)
}

// mlCode is the match-length code of a match of ml bytes (ZSTD_MLcode).
func mlCode(ml uint32) uint8 {
	if ml < 35 {
		return uint8(ml - 3)
	}
	return codeOf(zstdspec.MLBase[:], ml)
}

// codeOf is the last code whose baseline is at most v.
func codeOf(base []uint32, v uint32) uint8 {
	c, _ := slices.BinarySearch(base, v+1)
	return uint8(c - 1)
}

// appendSequences appends the sequences section: count, the modes byte,
// the tables' descriptions if any, and the FSE bitstream, written last
// sequence first as the decoder reads it backwards. codes[k] are the
// sequences' codes of kind k, already counted in tabs[k].
func appendSequences(dst []byte, seqs []zstdSeq, codes *[3][]uint8, tabs *[3]seqTable) []byte {
	n := len(seqs)
	switch {
	case n < 128:
		dst = append(dst, byte(n))
	default: // a 64 KiB block has fewer than 0x7F00 sequences
		dst = append(dst, byte(n>>8)+0x80, byte(n))
	}
	if n == 0 {
		return dst
	}
	modes := len(dst)
	dst = append(dst, 0)
	var t [3]*fseTable
	for k := range tabs {
		var mode byte
		mode, t[k], dst = tabs[k].choose(dst, codes[k])
		dst[modes] |= mode << (6 - 2*k)
	}
	w := bitWriter{dst: dst}
	var ll, of, ml fseState
	ml.init(t[zstdspec.ML], codes[zstdspec.ML][n-1])
	of.init(t[zstdspec.OF], codes[zstdspec.OF][n-1])
	ll.init(t[zstdspec.LL], codes[zstdspec.LL][n-1])
	putExtras(&w, seqs[n-1], codes[zstdspec.LL][n-1], codes[zstdspec.ML][n-1], codes[zstdspec.OF][n-1])
	for i := n - 2; i >= 0; i-- {
		llc, mlc, ofc := codes[zstdspec.LL][i], codes[zstdspec.ML][i], codes[zstdspec.OF][i]
		of.encode(&w, ofc)
		ml.encode(&w, mlc)
		ll.encode(&w, llc)
		putExtras(&w, seqs[i], llc, mlc, ofc)
	}
	ml.flush(&w)
	of.flush(&w)
	ll.flush(&w)
	return closeStream(&w)
}

func putExtras(w *bitWriter, s zstdSeq, llc, mlc, ofc uint8) {
	w.put(uint64(s.ll-zstdspec.LLBase[llc]), int(zstdspec.LLExtra[llc]))
	w.put(uint64(s.ml-zstdspec.MLBase[mlc]), int(zstdspec.MLExtra[mlc]))
	w.put(uint64(s.ofValue-1<<ofc), int(ofc))
}

// closeStream ends a zstd bitstream: a 1 bit marks where its last byte's
// padding starts.
func closeStream(w *bitWriter) []byte {
	w.put(1, 1)
	return flushBytes(w)
}

// flushBytes writes out the bits left, the last byte padded with zeros.
func flushBytes(w *bitWriter) []byte {
	for w.nacc > 0 {
		w.dst = append(w.dst, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
	w.acc, w.nacc = 0, 0
	return w.dst
}
