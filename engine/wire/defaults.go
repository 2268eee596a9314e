package wire

// Mars wire numbers. Source: reference/mars-stn.md §3.1 (longlink_packer.cc,
// stn.h:89-93) and §4.7 (signalling keeper), §7 item 76 (task id range).
const (
	// HeaderLen is the size of the fixed Mars header, and the head_length
	// value every sender writes.
	HeaderLen = 20

	// DefaultMaxPacket is the receive limit on head_length + body_length
	// (1 MiB); a larger announcement is a corrupt stream (§3.1, §7 item 9).
	DefaultMaxPacket = 1 << 20

	// NoopCmdID is the cmdid of a heartbeat request and its response.
	NoopCmdID uint32 = 6
	// NoopSeq is the seq of a heartbeat request (kNoopTaskID).
	NoopSeq uint32 = 0xFFFFFFFF
	// IdentifySeq is the seq of an identify ("sync check") request and of its
	// response (kLongLinkIdentifyCheckerTaskID, §4.6).
	IdentifySeq uint32 = 0xFFFFFFFE
	// SignallingSeqTCP is the seq Mars reserves for the unused TCP variant of
	// the signalling keeper (§4.7); never used as a task id.
	SignallingSeqTCP uint32 = 0xFFFFFFFD
	// PushSeq is the seq of a server push.
	PushSeq uint32 = 0
	// SignallingCmdID is the cmdid of the signalling keeper datagram (§4.7).
	SignallingCmdID uint32 = 243
	// OutOfBandCmdID is the cmdid of the speed-test out-of-band reply (§3.1).
	OutOfBandCmdID uint32 = 72
	// ReservedSeqStart is the first seq that is never a task id: task ids wrap
	// to 1 at this value (§7 item 76).
	ReservedSeqStart uint32 = 0xFFFFFFF0
)

// IsReservedSeq reports whether seq can never belong to a task: 0 (push) and
// everything from [ReservedSeqStart] up (noop, identify, signalling).
func IsReservedSeq(seq uint32) bool {
	return seq == PushSeq || seq >= ReservedSeqStart
}
