package wire

// Noop returns the heartbeat request: cmdid 6, seq 0xFFFFFFFF, empty body.
func (Mars) Noop() Packet {
	return Packet{CmdID: NoopCmdID, Seq: NoopSeq}
}

// IsNoopResponse reports cmdid 6 whatever the seq: Mars matches heartbeat
// answers by cmdid only, so a push or response must never use cmdid 6.
func (Mars) IsNoopResponse(p Packet) bool {
	return p.CmdID == NoopCmdID
}

// IsNoopRequest reports whether a packet received by a server is a
// heartbeat request (cmdid 6); servers answer it with [NoopResponse].
func IsNoopRequest(p Packet) bool {
	return p.CmdID == NoopCmdID
}

// NoopResponse is the server's heartbeat answer to req: cmdid 6 and the
// request's seq (the Mars sample server echoes it), empty body.
func NoopResponse(req Packet) Packet {
	return Packet{CmdID: NoopCmdID, Seq: req.Seq}
}
