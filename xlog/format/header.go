// Package format holds the on-disk vocabulary of xlog files: magic numbers,
// the 73-byte block header and the tail byte. It does no I/O and knows no
// codec; see FORMAT.md for the byte-by-byte layout of every block kind,
// Mars's included.
package format

import (
	"encoding/binary"
	"errors"
)

// Sizes and offsets of a block.
const (
	HeaderSize    = 73 // magic(1) seq(2) beginHour(1) endHour(1) length(4) key(64)
	KeySize       = 64 // client public key (Mars: X‖Y) or HPKE encapsulated key
	TailSize      = 1  // the 0x00 after the payload
	Tail          = 0x00
	OffSeq        = 1
	OffBeginHour  = 3
	OffEndHour    = 4
	OffLength     = 5
	OffKey        = 9
	BlockOverhead = HeaderSize + TailSize
	maxHour       = 23
)

// ErrShortHeader is returned by ParseHeader for fewer than HeaderSize bytes.
var ErrShortHeader = errors.New("format: header shorter than 73 bytes")

// ErrUnknownMagic is returned by ParseHeader when byte 0 is no known magic.
var ErrUnknownMagic = errors.New("format: unknown magic")

// Header is one block header. Multi-byte integers are little-endian, the
// byte order of every Mars target (Mars writes host order).
type Header struct {
	Magic     Magic
	Seq       uint16 // 0 for sync blocks; async: process-wide counter 1..65535
	BeginHour uint8  // local hour when the block was started
	EndHour   uint8  // local hour when the block was finished
	Length    uint32 // payload bytes, excluding header and tail
	Key       [KeySize]byte
}

// Append appends the 73 header bytes to b.
func (h *Header) Append(b []byte) []byte {
	b = append(b, byte(h.Magic))
	b = binary.LittleEndian.AppendUint16(b, h.Seq)
	b = append(b, h.BeginHour, h.EndHour)
	b = binary.LittleEndian.AppendUint32(b, h.Length)
	return append(b, h.Key[:]...)
}

// ParseHeader reads a header from the start of b. It checks only the size
// and the magic; whether the payload and tail follow is the reader's job.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < HeaderSize {
		return h, ErrShortHeader
	}
	h.Magic = Magic(b[0])
	if !h.Magic.Known() {
		return h, ErrUnknownMagic
	}
	h.Seq = binary.LittleEndian.Uint16(b[OffSeq:])
	h.BeginHour = b[OffBeginHour]
	h.EndHour = b[OffEndHour]
	h.Length = binary.LittleEndian.Uint32(b[OffLength:])
	copy(h.Key[:], b[OffKey:HeaderSize])
	return h, nil
}

// Length reads the payload length of the header at the start of hdr.
func Length(hdr []byte) uint32 { return binary.LittleEndian.Uint32(hdr[OffLength:]) }

// PutLength rewrites the payload length of the header at the start of hdr.
func PutLength(hdr []byte, n uint32) { binary.LittleEndian.PutUint32(hdr[OffLength:], n) }

// PutEndHour rewrites the end hour of the header at the start of hdr.
func PutEndHour(hdr []byte, hour uint8) { hdr[OffEndHour] = hour }

// ValidHour reports whether h is a local hour (0..23).
func ValidHour(h uint8) bool { return h <= maxHour }
