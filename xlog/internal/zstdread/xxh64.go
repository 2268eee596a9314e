package zstdread

import (
	"encoding/binary"
	"math/bits"
)

// xxh64 is XXH64 with seed 0, the hash of zstd's content checksum.
type xxh64 struct {
	v     [4]uint64
	total uint64
	buf   [32]byte
	nbuf  int
}

const (
	prime1 uint64 = 11400714785074694791
	prime2 uint64 = 14029467366897019727
	prime3 uint64 = 1609587929392839161
	prime4 uint64 = 9650029242287828579
	prime5 uint64 = 2870177450012600261
)

func (h *xxh64) reset() {
	p1, p2 := prime1, prime2 // variables: the sums wrap
	*h = xxh64{v: [4]uint64{p1 + p2, p2, 0, -p1}}
}

func xxRound(acc, in uint64) uint64 {
	return bits.RotateLeft64(acc+in*prime2, 31) * prime1
}

func xxMerge(acc, v uint64) uint64 {
	return (acc^xxRound(0, v))*prime1 + prime4
}

func (h *xxh64) write(p []byte) {
	h.total += uint64(len(p))
	if h.nbuf > 0 {
		n := copy(h.buf[h.nbuf:], p)
		h.nbuf += n
		p = p[n:]
		if h.nbuf < 32 {
			return
		}
		h.stripes(h.buf[:])
		h.nbuf = 0
	}
	n := len(p) &^ 31
	h.stripes(p[:n])
	h.nbuf = copy(h.buf[:], p[n:])
}

func (h *xxh64) stripes(p []byte) {
	v0, v1, v2, v3 := h.v[0], h.v[1], h.v[2], h.v[3]
	for ; len(p) >= 32; p = p[32:] {
		v0 = xxRound(v0, binary.LittleEndian.Uint64(p))
		v1 = xxRound(v1, binary.LittleEndian.Uint64(p[8:]))
		v2 = xxRound(v2, binary.LittleEndian.Uint64(p[16:]))
		v3 = xxRound(v3, binary.LittleEndian.Uint64(p[24:]))
	}
	h.v = [4]uint64{v0, v1, v2, v3}
}

func (h *xxh64) sum() uint64 {
	var acc uint64
	if h.total >= 32 {
		v := h.v
		acc = bits.RotateLeft64(v[0], 1) + bits.RotateLeft64(v[1], 7) + bits.RotateLeft64(v[2], 12) + bits.RotateLeft64(v[3], 18)
		for _, x := range v {
			acc = xxMerge(acc, x)
		}
	} else {
		acc = prime5
	}
	acc += h.total
	p := h.buf[:h.nbuf]
	for ; len(p) >= 8; p = p[8:] {
		acc ^= xxRound(0, binary.LittleEndian.Uint64(p))
		acc = bits.RotateLeft64(acc, 27)*prime1 + prime4
	}
	if len(p) >= 4 {
		acc ^= uint64(binary.LittleEndian.Uint32(p)) * prime1
		acc = bits.RotateLeft64(acc, 23)*prime2 + prime3
		p = p[4:]
	}
	for _, c := range p {
		acc ^= uint64(c) * prime5
		acc = bits.RotateLeft64(acc, 11) * prime1
	}
	acc ^= acc >> 33
	acc *= prime2
	acc ^= acc >> 29
	acc *= prime3
	acc ^= acc >> 32
	return acc
}
