package zstdread

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// blockInfo is what a test learns of a block without decoding it: its
// kinds, and where it ends in the input.
type blockInfo struct {
	kind    int // zstdspec.BlockRaw, BlockRLE, BlockCompressed
	lits    int // litsRaw...litsTreeless (compressed blocks)
	streams int // Huffman streams: 1 or 4
	fseDesc bool
	seqs    int
	modes   [3]int // the sequence tables' modes (when seqs > 0)
	end     int    // the offset just past the block in the input
}

// walk lists the blocks of the frames in in (no skippable frames, no
// dictionaries); a frame may be cut after any whole block.
func walk(t testing.TB, in []byte) []blockInfo {
	t.Helper()
	var out []blockInfo
	p := 0
	for p < len(in) {
		if binary.LittleEndian.Uint32(in[p:]) != zstdspec.Magic {
			t.Fatalf("walk: no frame at %d", p)
		}
		desc := in[p+4]
		single := desc&0x20 != 0
		n := 1 + [4]int{0, 2, 4, 8}[desc>>6]
		if single && desc>>6 == 0 {
			n++
		}
		if !single {
			n++
		}
		p += 4 + n
		for last := false; !last; {
			if p == len(in) {
				return out // a frame never ended
			}
			h := uint32(in[p]) | uint32(in[p+1])<<8 | uint32(in[p+2])<<16
			b := blockInfo{kind: int(h >> 1 & 3)}
			last = h&1 != 0
			size := int(h >> 3)
			body := in[p+3:]
			p += 3
			switch b.kind {
			case zstdspec.BlockRLE:
				p++
			case zstdspec.BlockRaw:
				p += size
			case zstdspec.BlockCompressed:
				b.lits, b.streams = int(body[0]&3), 1
				var lsize int
				format := int(body[0] >> 2 & 3)
				if b.lits < litsCompressed {
					lsize = [4]int{1, 2, 1, 3}[format]
					if b.lits == litsRaw {
						var v int
						for i := range lsize {
							v |= int(body[i]) << (8 * i)
						}
						lsize += v >> [4]int{3, 4, 3, 4}[format]
					} else {
						lsize++
					}
				} else {
					hdr, bits := [4]int{3, 3, 4, 5}[format], [4]uint{10, 10, 14, 18}[format]
					var v uint64
					for i := range hdr {
						v |= uint64(body[i]) << (8 * i)
					}
					lsize = hdr + int(v>>(4+bits)&(1<<bits-1))
					if format > 0 {
						b.streams = 4
					}
					b.fseDesc = b.lits == litsCompressed && body[hdr] < 128
				}
				s := body[lsize:size]
				switch {
				case s[0] < 128:
					b.seqs, s = int(s[0]), s[1:]
				case s[0] < 255:
					b.seqs, s = int(s[0]-128)<<8|int(s[1]), s[2:]
				default:
					b.seqs, s = int(s[1])|int(s[2])<<8+0x7F00, s[3:]
				}
				if b.seqs > 0 {
					for k := range 3 {
						b.modes[k] = int(s[0] >> (6 - 2*k) & 3)
					}
				}
				p += size
			}
			b.end = p
			out = append(out, b)
		}
		if desc&4 != 0 {
			p += 4
		}
	}
	return out
}

// census names the modes the blocks use, for checking that a corpus
// covers every one.
func census(blocks []blockInfo) map[string]int {
	c := map[string]int{}
	for _, b := range blocks {
		c[[]string{"block raw", "block rle", "block compressed"}[b.kind]]++
		if b.kind != zstdspec.BlockCompressed {
			continue
		}
		c[[]string{"literals raw", "literals rle", "literals huffman", "literals treeless"}[b.lits]]++
		if b.lits >= litsCompressed {
			c[fmt.Sprintf("huffman %d streams", b.streams)]++
			if b.lits == litsCompressed {
				c[map[bool]string{false: "huffman weights direct", true: "huffman weights fse"}[b.fseDesc]]++
			}
		}
		if b.seqs == 0 {
			c["no sequences"]++
			continue
		}
		for k, m := range b.modes {
			c[fmt.Sprintf("%s %s", []string{"ll", "of", "ml"}[k], []string{"predefined", "rle", "fse", "repeat"}[m])]++
		}
	}
	return c
}
