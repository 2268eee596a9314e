package wire

import "encoding/binary"

// PeekSeq names the seq of a packet whose 20 header bytes have arrived but
// whose body has not, so that a receive timeout can be charged to the right
// task. ok is false while the
// header is incomplete or invalid.
func (m Mars) PeekSeq(b []byte) (seq uint32, ok bool) {
	if _, err := m.parseHeader(b); err != nil {
		return 0, false
	}
	return binary.BigEndian.Uint32(b[12:16]), true
}
