package wire

// Push returns a server push: seq 0 with the given cmdid and body (§3.1).
func Push(cmdID uint32, body []byte) Packet {
	return Packet{CmdID: cmdID, Seq: PushSeq, Body: body}
}

// IsPush reports seq 0: a packet no task asked for (§7 item 4).
func (Mars) IsPush(p Packet) bool {
	return p.Seq == PushSeq
}
