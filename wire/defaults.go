package wire

// Mars wire numbers, from Mars's longlink_packer.cc, stn.h:89-93 and
// signalling_keeper.cc, with the task id range Mars hands out.
const (
	// HeaderLen is the size of the fixed Mars header, and the head_length
	// value every sender writes.
	HeaderLen = 20

	// DefaultMaxPacket is the receive limit on head_length + body_length
	// (1 MiB); a larger announcement is a corrupt stream.
	DefaultMaxPacket = 1 << 20

	// NoopCmdID is the cmdid of a heartbeat request and its response.
	NoopCmdID uint32 = 6
	// NoopSeq is the seq of a heartbeat request (kNoopTaskID).
	NoopSeq uint32 = 0xFFFFFFFF
	// IdentifySeq is the seq of an identify ("sync check") request and of its
	// response (kLongLinkIdentifyCheckerTaskID).
	IdentifySeq uint32 = 0xFFFFFFFE
	// SignallingSeqTCP is the seq Mars reserves for the unused TCP variant of
	// the signalling keeper; never used as a task id.
	SignallingSeqTCP uint32 = 0xFFFFFFFD
	// PushSeq is the seq of a server push.
	PushSeq uint32 = 0
	// SignallingCmdID is the cmdid of the signalling keeper datagram.
	SignallingCmdID uint32 = 243
	// OutOfBandCmdID is the cmdid of the speed-test out-of-band reply.
	OutOfBandCmdID uint32 = 72
	// ReservedSeqStart is the first seq that is never a task id: task ids wrap
	// to 1 at this value.
	ReservedSeqStart uint32 = 0xFFFFFFF0
)

// IsReservedSeq reports whether seq can never belong to a task: 0 (push) and
// everything from [ReservedSeqStart] up (noop, identify, signalling).
func IsReservedSeq(seq uint32) bool {
	return seq == PushSeq || seq >= ReservedSeqStart
}
