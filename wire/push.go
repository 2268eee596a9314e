package wire

// Push returns a server push: seq 0 with the given cmdid and body.
func Push(cmdID uint32, body []byte) Packet {
	return Packet{CmdID: cmdID, Seq: PushSeq, Body: body}
}

// IsPush reports seq 0: a packet no task asked for.
func (Mars) IsPush(p Packet) bool {
	return p.Seq == PushSeq
}
