package crypt

import "encoding/binary"

// Mars's TEA parameters.
const (
	teaDelta  = 0x9E3779B9
	teaRounds = 16 // Mars uses 16 cycles, not the usual 32
	// teaSumEnd is delta·rounds mod 2³², where decryption starts.
	teaSumEnd = (teaDelta * teaRounds) & 0xFFFFFFFF
	// TEABlockSize is the TEA block: two little-endian uint32 words.
	TEABlockSize = 8
	// TEAKeySize is the key: four little-endian uint32 words.
	TEAKeySize = 16
)

// TEA is Mars's 16-round TEA in ECB mode over little-endian word pairs.
//
// golang.org/x/crypto/tea does not fit: it reads key and block words
// big-endian (Mars reads them in host order, little-endian on every target),
// so each 8-byte group would need two byte swaps around a cipher.Block call.
// Written here it is ten lines, allocation-free and easy to check against
// Mars's tea.c.
type TEA struct{ k [4]uint32 }

// NewTEA returns the cipher for a 16-byte key read as four LE words.
func NewTEA(key [TEAKeySize]byte) TEA {
	var t TEA
	for i := range t.k {
		t.k[i] = binary.LittleEndian.Uint32(key[4*i:])
	}
	return t
}

// EncryptGroups encrypts every whole 8-byte group of b in place and leaves
// the last len(b)%8 bytes alone, as Mars does.
func (t *TEA) EncryptGroups(b []byte) {
	k0, k1, k2, k3 := t.k[0], t.k[1], t.k[2], t.k[3]
	for ; len(b) >= TEABlockSize; b = b[TEABlockSize:] {
		v0 := binary.LittleEndian.Uint32(b)
		v1 := binary.LittleEndian.Uint32(b[4:])
		var sum uint32
		for range teaRounds {
			sum += teaDelta
			v0 += ((v1 << 4) + k0) ^ (v1 + sum) ^ ((v1 >> 5) + k1)
			v1 += ((v0 << 4) + k2) ^ (v0 + sum) ^ ((v0 >> 5) + k3)
		}
		binary.LittleEndian.PutUint32(b, v0)
		binary.LittleEndian.PutUint32(b[4:], v1)
	}
}

// DecryptGroups reverses EncryptGroups in place.
func (t *TEA) DecryptGroups(b []byte) {
	k0, k1, k2, k3 := t.k[0], t.k[1], t.k[2], t.k[3]
	for ; len(b) >= TEABlockSize; b = b[TEABlockSize:] {
		v0 := binary.LittleEndian.Uint32(b)
		v1 := binary.LittleEndian.Uint32(b[4:])
		sum := uint32(teaSumEnd)
		for range teaRounds {
			v1 -= ((v0 << 4) + k2) ^ (v0 + sum) ^ ((v0 >> 5) + k3)
			v0 -= ((v1 << 4) + k0) ^ (v1 + sum) ^ ((v1 >> 5) + k1)
			sum -= teaDelta
		}
		binary.LittleEndian.PutUint32(b, v0)
		binary.LittleEndian.PutUint32(b[4:], v1)
	}
}
