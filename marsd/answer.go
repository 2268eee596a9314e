package marsd

import (
	"encoding/binary"
	"time"

	"github.com/mars-go/mars/wire"
)

// outItem is one write a connection's writer performs, in queue order.
type outItem struct {
	data    []byte
	at      time.Time     // not before; zero = now
	trickle time.Duration // gap between single-byte writes; 0 = one write
}

// encodeAnswer frames p for one answer, applying the misbehaviours in b and
// the cmdid-selected shapes (partial body, long header).
func (s *Server) encodeAnswer(p wire.Packet, b Behavior, reqCmd uint32) []byte {
	version := s.cfg.ClientVersion
	if b.WrongVersion {
		version++
	}
	out, _ := wire.Mars{ClientVersion: version}.Append(nil, p) // bodies read from the wire always fit
	switch {
	case b.Oversize:
		binary.BigEndian.PutUint32(out[16:], ClientMaxPacket-wire.HeaderLen+1)
	case reqCmd == CmdPartial:
		binary.BigEndian.PutUint32(out[16:], uint32(len(p.Body)+PartialMissing))
	case reqCmd == CmdLongHeader:
		ext := make([]byte, 0, len(out)+ExtHeaderLen-wire.HeaderLen)
		ext = append(ext, out[:wire.HeaderLen]...)
		binary.BigEndian.PutUint32(ext[0:], ExtHeaderLen)
		for range ExtHeaderLen - wire.HeaderLen {
			ext = append(ext, 0xEE)
		}
		out = append(ext, p.Body...)
	}
	return out
}

// answerItem wraps an encoded answer with the timing of b.
func answerItem(data []byte, b Behavior) outItem {
	it := outItem{data: data, trickle: b.Trickle}
	if b.Delay > 0 {
		it.at = time.Now().Add(b.Delay)
	}
	return it
}
