// Package zstdspec holds the fixed tables of the zstd format (RFC 8878)
// that its writer (xlog/block) and its reader (xlog/internal/zstdread)
// must agree on.
package zstdspec

// Frame and block layout (RFC 8878 §3.1.1).
const (
	Magic        = 0xFD2FB528 // a frame's first four bytes, little-endian
	MinWindowLog = 10         // the window descriptor's exponent counts from 1 KiB
)

// Block types of a block header.
const (
	BlockRaw = iota
	BlockRLE
	BlockCompressed
	BlockReserved
)

// Literal-length and match-length codes' baselines and extra bits
// (RFC 8878 §3.1.1.3.2.1.1).
var (
	LLBase = [36]uint32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536}
	LLExtra = [36]uint8{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	MLBase = [53]uint32{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
		19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
		35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539}
	MLExtra = [53]uint8{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
)

// Sequence code kinds, in the order of the sequences section's modes byte
// (RFC 8878 §3.1.1.3.2.1).
const (
	LL = iota // literal lengths
	OF        // offsets
	ML        // match lengths
)

// Table modes of the modes byte.
const (
	ModePredefined = iota
	ModeRLE
	ModeCompressed
	ModeRepeat
)

// The largest accuracy log and number of codes of any sequence table, for
// sizing arrays.
const (
	MaxTableLog = 9
	MaxCodes    = len(MLBase) // match lengths have the most codes
)

// Each kind's number of codes and the largest accuracy log its tables may
// have.
var (
	Codes  = [3]int{LL: len(LLBase), OF: 32, ML: len(MLBase)}
	MaxLog = [3]uint8{LL: 9, OF: 8, ML: 9}
)

// The predefined distributions of the sequence codes (RFC 8878 §3.1.1.3.2.2) and
// their accuracy logs; -1 is a symbol of less than one state.
var (
	LitLenNorm = []int16{4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1,
		2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1}
	MatchLenNorm = []int16{1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1,
		-1, -1, -1, -1, -1}
	OffsetNorm = []int16{1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1}
)

// Accuracy logs of the predefined distributions.
const (
	LitLenLog   = 6
	MatchLenLog = 6
	OffsetLog   = 5
)

// Spread lays the symbols of the normalised distribution norm (-1: a symbol
// of less than one state) over the len(symbols) states of an FSE table
// (RFC 8878 §4.1.1), writing the symbol of each state: the writer's and the
// reader's tables must agree on it state by state. len(symbols) is a power
// of two. It reports whether the counts filled the table exactly.
func Spread(symbols []uint8, norm []int16) bool {
	size := len(symbols)
	mask := size - 1
	high := size - 1 // the -1 symbols take the last states
	for s, n := range norm {
		if n == -1 {
			symbols[high] = uint8(s)
			high--
		}
	}
	step := size>>1 + size>>3 + 3
	pos := 0
	for s, n := range norm {
		for range max(n, 0) {
			symbols[pos] = uint8(s)
			pos = (pos + step) & mask
			for pos > high {
				pos = (pos + step) & mask
			}
		}
	}
	return pos == 0
}
