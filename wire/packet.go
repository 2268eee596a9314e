package wire

import (
	"errors"
	"fmt"
)

// Packet is one long-link message: what the codec frames and unframes.
type Packet struct {
	CmdID uint32
	Seq   uint32
	Body  []byte
	// Ext is Mars's extension buffer beside the body: the one Req2Buf
	// fills for a request, the one Buf2Resp and OnPush get with a response
	// or push. The Mars header has no room for it, so [Mars] drops it on
	// Append and Parse returns none, as Mars's default encoder does; a
	// custom Codec may frame it. Parse's Ext, like its Body, is the
	// caller's.
	Ext []byte
}

// String describes p for logs and test failures without dumping the body.
func (p Packet) String() string {
	return fmt.Sprintf("packet{cmd=%d seq=%#x body=%dB}", p.CmdID, p.Seq, len(p.Body))
}

// Codec frames packets on a long link. Implementations must be safe for
// concurrent use (the default one is immutable).
type Codec interface {
	// Append encodes p and appends it to dst, so that the caller can write
	// one packet (or a batch) with a single Write.
	Append(dst []byte, p Packet) ([]byte, error)
	// Parse parses one packet from the front of b. It returns the packet and
	// the number of bytes consumed, or an error wrapping ErrShort (more bytes
	// needed; nothing consumed) or another error (corrupt stream: the link
	// must be torn down). The returned Body is a copy owned by the caller.
	Parse(b []byte) (Packet, int, error)
	// Noop returns the heartbeat request.
	Noop() Packet
	// IsNoopResponse reports whether p answers a heartbeat.
	IsNoopResponse(p Packet) bool
	// IsPush reports whether p is a server push rather than a response.
	IsPush(p Packet) bool
	// IsIdentifyResponse reports whether p answers an identify request
	// (built by the optional [IdentifyBuilder], else [Identify]).
	IsIdentifyResponse(p Packet) bool
}

// SeqPeeker is an optional extension of Codec: PeekSeq names the task an
// incomplete packet at the front of b answers (ok false: unknown yet), so
// that its bytes count as that task's response arriving, resetting its
// timeouts as Mars does for a header or a streaming package
// (STREAM_PACKAGE) of a custom encoder. [Mars] implements it.
type SeqPeeker interface {
	PeekSeq(b []byte) (seq uint32, ok bool)
}

// Errors returned by Parse and Append; test them with errors.Is. The engine
// maps every error but ErrShort to Mars's (kEctSocket, -10504) teardown.
var (
	// ErrShort means b holds no complete packet yet; read more and retry.
	ErrShort = errors.New("wire: incomplete packet")
	// ErrVersion means the peer's client_version differs from ours.
	ErrVersion = errors.New("wire: client version mismatch")
	// ErrTooLarge means the header announces more than the packet limit,
	// or a body is too long to encode.
	ErrTooLarge = errors.New("wire: packet too large")
	// ErrHeader means head_length is below 20, which would make the body
	// overlap the header.
	ErrHeader = errors.New("wire: bad header length")
)
