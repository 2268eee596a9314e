package wire

import "sync/atomic"

// ClientVersionSetter is an optional extension of [Codec] for framings that
// carry a client version the host may change while links run (Mars's
// SetClientVersion). SetClientVersion must be safe to call concurrently
// with the Codec's methods: packets encoded or parsed after it returns
// use v.
type ClientVersionSetter interface {
	SetClientVersion(v uint32)
}

// LiveMars is the Mars header ([Mars]) with a client version that can change
// while it is in use, as Mars's global client version does: every Append
// writes, and every Parse requires, the version current at that call. It is
// safe for concurrent use. The engine's default codec is a LiveMars.
type LiveMars struct {
	version   atomic.Uint32
	maxPacket uint32
}

var (
	_ Codec               = (*LiveMars)(nil)
	_ ClientVersionSetter = (*LiveMars)(nil)
	_ IdentifyBuilder     = (*LiveMars)(nil)
)

// NewLiveMars returns the Mars header codec for clientVersion with the
// receive limit maxPacket (0: [DefaultMaxPacket]).
func NewLiveMars(clientVersion, maxPacket uint32) *LiveMars {
	m := &LiveMars{maxPacket: maxPacket}
	m.version.Store(clientVersion)
	return m
}

// SetClientVersion makes later packets carry v and requires v on receive.
func (m *LiveMars) SetClientVersion(v uint32) { m.version.Store(v) }

// ClientVersion returns the version in force.
func (m *LiveMars) ClientVersion() uint32 { return m.version.Load() }

// now is the immutable codec for the version in force.
func (m *LiveMars) now() Mars { return Mars{ClientVersion: m.version.Load(), MaxPacket: m.maxPacket} }

// Append encodes p with the version in force, as [Mars.Append].
func (m *LiveMars) Append(dst []byte, p Packet) ([]byte, error) { return m.now().Append(dst, p) }

// Parse decodes one packet, requiring the version in force, as [Mars.Parse].
func (m *LiveMars) Parse(b []byte) (Packet, int, error) { return m.now().Parse(b) }

// PeekSeq is [Mars.PeekSeq] with the version in force.
func (m *LiveMars) PeekSeq(b []byte) (uint32, bool) { return m.now().PeekSeq(b) }

// Noop is [Mars.Noop].
func (m *LiveMars) Noop() Packet { return Mars{}.Noop() }

// IsNoopResponse is [Mars.IsNoopResponse].
func (m *LiveMars) IsNoopResponse(p Packet) bool { return Mars{}.IsNoopResponse(p) }

// IsPush is [Mars.IsPush].
func (m *LiveMars) IsPush(p Packet) bool { return Mars{}.IsPush(p) }

// IsIdentifyResponse is [Mars.IsIdentifyResponse].
func (m *LiveMars) IsIdentifyResponse(p Packet) bool { return Mars{}.IsIdentifyResponse(p) }

// Identify is [Mars.Identify].
func (m *LiveMars) Identify(cmdID uint32, body []byte) Packet { return Mars{}.Identify(cmdID, body) }
