package zstdread

import (
	"encoding/binary"
	"math/bits"
)

// backReader reads a zstd bitstream (RFC 8878 §4.1): written low bit
// first, it is read from its last bit back, starting below the 1 bit that
// marks where the last byte's padding begins. value holds in[pos:pos+8];
// consumed counts the bits of value already read, from the top.
type backReader struct {
	in       []byte
	pos      int
	value    uint64
	consumed uint
}

// init starts reading in; false if it is empty or lacks the end mark.
func (b *backReader) init(in []byte) bool {
	if len(in) == 0 || in[len(in)-1] == 0 {
		return false
	}
	b.in = in
	if len(in) >= 8 {
		b.pos = len(in) - 8
		b.value = binary.LittleEndian.Uint64(in[b.pos:])
		b.consumed = 0
	} else {
		// A short stream sits in the low bytes; the missing high ones count
		// as read.
		b.pos, b.value = 0, 0
		for i, c := range in {
			b.value |= uint64(c) << (8 * i)
		}
		b.consumed = uint(8-len(in)) * 8
	}
	b.consumed += uint(9 - bits.Len8(in[len(in)-1]))
	return true
}

// reload moves value back over the bytes read, so at least 57 bits are
// unread unless the stream's start is near.
func (b *backReader) reload() {
	if b.pos == 0 {
		return
	}
	n := min(int(b.consumed>>3), b.pos)
	b.pos -= n
	b.consumed -= uint(n) * 8
	b.value = binary.LittleEndian.Uint64(b.in[b.pos:])
}

// get reads n bits (n <= 56 since the last reload); past the stream's
// start it reads zeros, which overread then reports.
func (b *backReader) get(n uint8) uint32 {
	v := b.value << b.consumed >> 1 >> (63 - n)
	b.consumed += uint(n)
	return uint32(v)
}

// overread says more bits were read than the stream holds.
func (b *backReader) overread() bool { return b.consumed > 64 }

// done says every bit was read, no more.
func (b *backReader) done() bool { return b.pos == 0 && b.consumed == 64 }
