package wiretest

import (
	"errors"
	"syscall"
	"time"

	"github.com/mars-go/mars/wire"
)

// Send encodes pkt and writes it in one Write.
func (p *Peer) Send(pkt wire.Packet) {
	p.t.Helper()
	b, err := p.codec.Append(nil, pkt)
	if err != nil {
		p.t.Fatalf("wiretest: encode %v: %v", pkt, err)
	}
	p.SendRaw(b)
}

// SendRaw writes b as is: partial packets, corrupt headers, trickles.
func (p *Peer) SendRaw(b []byte) {
	p.t.Helper()
	// Not every conn supports deadlines; without one the write just blocks.
	_ = p.conn.SetWriteDeadline(time.Now().Add(p.Timeout))
	if _, err := p.conn.Write(b); err != nil {
		p.t.Fatalf("wiretest: write %d bytes: %v", len(b), err)
	}
}

// Reply answers req: same cmdid and seq, the given body.
func (p *Peer) Reply(req wire.Packet, body []byte) {
	p.t.Helper()
	p.Send(wire.Packet{CmdID: req.CmdID, Seq: req.Seq, Body: body})
}

// ReplyNoop answers a heartbeat request (cmdid 6, the request's seq).
func (p *Peer) ReplyNoop(req wire.Packet) {
	p.t.Helper()
	p.Send(wire.NoopResponse(req))
}

// Push sends a server push: seq 0 with cmd and body.
func (p *Peer) Push(cmd uint32, body []byte) {
	p.t.Helper()
	p.Send(wire.Push(cmd, body))
}

// isReset reports a connection reset, which also counts as "closed by peer"
// (a peer closing with unread data resets instead of sending FIN).
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET)
}
