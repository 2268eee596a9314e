package wire

// Identify returns an identify ("sync check") request: the host's cmdid and
// buffer with seq 0xFFFFFFFE.
func Identify(cmdID uint32, body []byte) Packet {
	return Packet{CmdID: cmdID, Seq: IdentifySeq, Body: body}
}

// IdentifyBuilder is an optional extension of [Codec]: Identify builds the
// identify request from the host's cmdid and buffer, as Noop builds the
// heartbeat, so a framing whose identify differs from [Identify] covers it
// too. [Codec.IsIdentifyResponse] must recognise its answer.
type IdentifyBuilder interface {
	Identify(cmdID uint32, body []byte) Packet
}

// IdentifyFor builds the identify request with c's [IdentifyBuilder] when
// it has one, else with [Identify].
func IdentifyFor(c Codec, cmdID uint32, body []byte) Packet {
	if b, ok := c.(IdentifyBuilder); ok {
		return b.Identify(cmdID, body)
	}
	return Identify(cmdID, body)
}

// Identify is [Identify]: the host's cmdid and buffer with seq 0xFFFFFFFE.
func (Mars) Identify(cmdID uint32, body []byte) Packet {
	return Identify(cmdID, body)
}

// IsIdentifyResponse reports seq 0xFFFFFFFE, whatever the cmdid. The engine
// only treats it as the identify answer while a check is outstanding (classification order).
func (Mars) IsIdentifyResponse(p Packet) bool {
	return p.Seq == IdentifySeq
}
