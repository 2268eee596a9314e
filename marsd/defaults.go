package marsd

import "time"

// Defaults and reserved cmdids. The numbers follow Mars's packet format and
// its sample server (client version 200, pushes with cmdid 10001).
const (
	// DefaultClientVersion is the version the Mars sample server expects
	// (NetMsgHeader.java); cmd/marsd uses it when --client-version is unset.
	DefaultClientVersion = 200

	// DefaultMaxPacket is the server's receive limit per packet. Larger than
	// the client's 1 MiB because Mars has no send-side limit and tests send
	// 1 MiB bodies.
	DefaultMaxPacket = 16 << 20

	// ClientMaxPacket is the client's receive limit; the oversize
	// misbehaviour announces one byte more.
	ClientMaxPacket = 1 << 20

	// DefaultTrickleGap is the gap between bytes of a trickled answer
	// selected by CmdTrickle.
	DefaultTrickleGap = 5 * time.Millisecond

	// DelayUnit is the delay step of the CmdDelayBase range.
	DelayUnit = 100 * time.Millisecond

	// PartialMissing is how many announced body bytes CmdPartial withholds.
	PartialMissing = 100

	// ExtHeaderLen is the head_length of a CmdLongHeader answer.
	ExtHeaderLen = 28

	// ShortKeepAlive is the Keep-Alive timeout advertised to a short-link
	// request that asks for keep-alive (Mars's default is 5 s).
	ShortKeepAlive = 5 * time.Second

	// shortIdleTimeout keeps idle short-link connections open a little longer
	// than advertised, so a client reusing one at the edge does not race.
	shortIdleTimeout = 2 * ShortKeepAlive

	// shutdownGrace bounds how long Close waits for short-link handlers
	// before cutting their connections.
	shutdownGrace = 5 * time.Second

	// readHeaderTimeout drops short-link clients that never finish a header.
	readHeaderTimeout = time.Minute

	// datagramSize is the UDP read buffer; signalling datagrams are 20 bytes.
	datagramSize = 2048

	// readBufferSize is one read, as Mars does one recv of up to 64 KiB.
	readBufferSize = 64 << 10

	// outQueueLen bounds the answers waiting for a slow connection.
	outQueueLen = 256
)

// Request cmdids that script the server (see the package doc).
const (
	PushCmdID       uint32 = 10001
	CmdPushEcho     uint32 = 10002
	CmdPushAll      uint32 = 10003
	CmdSilence      uint32 = 10004
	CmdClose        uint32 = 10005
	CmdWrongVersion uint32 = 10006
	CmdOversize     uint32 = 10007
	CmdTrickle      uint32 = 10008
	CmdPartial      uint32 = 10009
	CmdLongHeader   uint32 = 10010
	CmdDelayBase    uint32 = 11000
	CmdDelayLast    uint32 = 11999
)
