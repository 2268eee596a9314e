package wire

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Mars is the default codec: the Mars 20-byte header. The zero
// MaxPacket means [DefaultMaxPacket]. A Mars value is immutable and safe for
// concurrent use.
type Mars struct {
	// ClientVersion is written in every header and required on receive.
	ClientVersion uint32
	// MaxPacket caps head_length + body_length on receive. Default 1 MiB.
	MaxPacket uint32
}

// NewMars returns the default codec for clientVersion, with the 1 MiB limit.
func NewMars(clientVersion uint32) Codec {
	return Mars{ClientVersion: clientVersion}
}

// header is the decoded fixed part of a Mars packet.
type header struct {
	headLen, version, cmdID, seq, bodyLen uint32
}

func (m Mars) maxPacket() uint64 {
	if m.MaxPacket == 0 {
		return DefaultMaxPacket
	}
	return uint64(m.MaxPacket)
}

// Append writes the 20-byte header and the body. It never limits the size
// beyond what the 32-bit length field holds: Mars has no send-side limit.
func (m Mars) Append(dst []byte, p Packet) ([]byte, error) {
	if uint64(len(p.Body)) > math.MaxUint32-HeaderLen {
		return dst, fmt.Errorf("%w: body of %d bytes", ErrTooLarge, len(p.Body))
	}
	dst = binary.BigEndian.AppendUint32(dst, HeaderLen)
	dst = binary.BigEndian.AppendUint32(dst, m.ClientVersion)
	dst = binary.BigEndian.AppendUint32(dst, p.CmdID)
	dst = binary.BigEndian.AppendUint32(dst, p.Seq)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(p.Body)))
	return append(dst, p.Body...), nil
}

// Parse decodes one packet. It checks, in Mars's order, the version and then
// the size as soon as the 20 header bytes are present, so an oversize
// announcement fails without waiting for its body.
func (m Mars) Parse(b []byte) (Packet, int, error) {
	h, err := m.parseHeader(b)
	if err != nil {
		return Packet{}, 0, err
	}
	total := uint64(h.headLen) + uint64(h.bodyLen)
	if uint64(len(b)) < total {
		return Packet{}, 0, ErrShort
	}
	body := make([]byte, h.bodyLen)
	copy(body, b[h.headLen:total])
	return Packet{CmdID: h.cmdID, Seq: h.seq, Body: body}, int(total), nil
}

// parseHeader decodes and validates the fixed header at the front of b.
func (m Mars) parseHeader(b []byte) (header, error) {
	if len(b) < HeaderLen {
		return header{}, ErrShort
	}
	h := header{
		headLen: binary.BigEndian.Uint32(b[0:]),
		version: binary.BigEndian.Uint32(b[4:]),
		cmdID:   binary.BigEndian.Uint32(b[8:]),
		seq:     binary.BigEndian.Uint32(b[12:]),
		bodyLen: binary.BigEndian.Uint32(b[16:]),
	}
	if h.version != m.ClientVersion {
		return header{}, fmt.Errorf("%w: got %d, want %d", ErrVersion, h.version, m.ClientVersion)
	}
	// Mars does not validate head_length; below 20 the body would overlap
	// the header and the stream could not be resynchronised, so reject it.
	if h.headLen < HeaderLen {
		return header{}, fmt.Errorf("%w: %d", ErrHeader, h.headLen)
	}
	if total := uint64(h.headLen) + uint64(h.bodyLen); total > m.maxPacket() {
		return header{}, fmt.Errorf("%w: %d bytes announced, limit %d", ErrTooLarge, total, m.maxPacket())
	}
	return h, nil
}
