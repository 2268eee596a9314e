package block

import (
	"math/bits"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// Adaptive tables for the zstd writer. A table described in a block stays
// the decoder's until the frame ends (a later block says "repeat"), so a
// frame describes each table once, built from the codes of the lines
// before; a line that needs a code the table lacks describes a new one.

// codeStats counts the symbols a table is built from. The counts halve at
// each build, so a table follows the log's text.
type codeStats struct {
	counts  []uint32
	counted uint32 // the counts' sum
	builtAt uint32 // counted after the last build
}

func (c *codeStats) add(sym uint8) {
	c.counts[sym]++
	c.counted++
}

// due says a table built now would be worth describing again mid-frame:
// early in a log the last one was built from few lines.
func (c *codeStats) due() bool { return c.counted-c.builtAt > c.builtAt*4+1024 }

// built halves the counts after a table was built from them.
func (c *codeStats) built() {
	c.counted = 0
	for i, n := range c.counts {
		c.counts[i] = n / 2
		c.counted += n / 2
	}
	c.builtAt = c.counted
}

// seqTable is the coding of one of the sequence codes (literal length,
// offset, match length): the predefined distribution until enough codes
// were seen, then one built from them.
type seqTable struct {
	predef  *fseTable
	maxLog  uint // the format's largest accuracy log for this code
	stats   codeStats
	norm    []int16 // the built distribution (nil: none yet)
	table   fseTable
	gen     uint32 // counts the builds: table's generation (0: none yet)
	decoder uint32 // the generation a repeat would use in this frame (0: none)
}

// seqTableMinCodes is how many codes a built table needs; before, the
// predefined one is cheaper than a description.
const seqTableMinCodes = 256

func newSeqTable(predef *fseTable, symbols int, maxLog uint) seqTable {
	return seqTable{predef: predef, maxLog: maxLog, stats: codeStats{counts: make([]uint32, symbols)}}
}

// newFrame forgets what the decoder knew and rebuilds from the codes seen.
func (s *seqTable) newFrame() {
	s.decoder = 0
	if s.stats.counted >= seqTableMinCodes {
		s.build()
	}
}

func (s *seqTable) build() {
	var log uint
	s.norm, log = normalize(s.stats.counts, s.maxLog, s.norm)
	s.table.build(s.norm, log)
	s.gen++
	s.stats.built()
}

// choose picks the mode for a block whose codes are codes (already
// counted), appending a description when the mode needs one.
func (s *seqTable) choose(dst []byte, codes []uint8) (mode byte, t *fseTable, out []byte) {
	if s.gen == 0 || !s.covers(codes) || s.stats.due() {
		if s.stats.counted < seqTableMinCodes {
			s.decoder = 0
			return zstdspec.ModePredefined, s.predef, dst
		}
		s.build()
	}
	if s.decoder == s.gen {
		return zstdspec.ModeRepeat, &s.table, dst
	}
	s.decoder = s.gen
	return zstdspec.ModeCompressed, &s.table, appendNCount(dst, s.norm, s.table.tableLog)
}

func (s *seqTable) covers(codes []uint8) bool {
	for _, c := range codes {
		if int(c) >= len(s.norm) || s.norm[c] == 0 {
			return false
		}
	}
	return true
}

// normalize scales counts to a distribution summing to a power of two (at
// most 1<<maxLog) in which every seen symbol keeps at least 1, trimmed
// after the last seen symbol, and its log. It reuses norm's storage.
func normalize(counts []uint32, maxLog uint, norm []int16) ([]int16, uint) {
	seen, last, total := 0, 0, uint64(0)
	for s, c := range counts {
		if c > 0 {
			seen, last, total = seen+1, s, total+uint64(c)
		}
	}
	// Room for twice the symbols seen: the ones cost at most half.
	log := min(max(uint(bits.Len(uint(seen)))+1, 5), maxLog)
	size := 1 << log
	norm = zeroed(norm, last+1)
	rest := size - seen
	left, top := rest, 0
	for s, c := range counts[:last+1] {
		if c == 0 {
			continue
		}
		n := int(uint64(c) * uint64(rest) / total)
		norm[s] = int16(1 + n)
		left -= n
		if c > counts[top] {
			top = s
		}
	}
	norm[top] += int16(left)
	return norm, log
}

// appendNCount appends an FSE table description (RFC 8878 §4.1.1, zstd's
// FSE_writeNCount).
func appendNCount(dst []byte, norm []int16, log uint) []byte {
	w := bitWriter{dst: dst}
	w.put(uint64(log-5), 4)
	remaining := 1<<log + 1
	threshold := 1 << log
	nbBits := int(log) + 1
	prev0 := false
	for s := 0; s < len(norm) && remaining > 1; {
		if prev0 {
			start := s
			for s < len(norm) && norm[s] == 0 {
				s++
			}
			for ; s >= start+24; start += 24 {
				w.put(0xFFFF, 16)
			}
			for ; s >= start+3; start += 3 {
				w.put(3, 2)
			}
			w.put(uint64(s-start), 2)
		}
		count := int(norm[s])
		s++
		maxV := 2*threshold - 1 - remaining
		remaining -= max(count, -count)
		count++
		if count >= threshold {
			count += maxV
		}
		n := nbBits
		if count < maxV {
			n--
		}
		w.put(uint64(count), n)
		prev0 = count == 1
		for remaining < threshold {
			nbBits--
			threshold >>= 1
		}
	}
	return flushBytes(&w)
}
