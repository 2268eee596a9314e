package wire

// Identify returns an identify ("sync check") request: the host's cmdid and
// buffer with seq 0xFFFFFFFE.
func Identify(cmdID uint32, body []byte) Packet {
	return Packet{CmdID: cmdID, Seq: IdentifySeq, Body: body}
}

// IsIdentifyResponse reports seq 0xFFFFFFFE, whatever the cmdid. The engine
// only treats it as the identify answer while a check is outstanding (classification order).
func (Mars) IsIdentifyResponse(p Packet) bool {
	return p.Seq == IdentifySeq
}
