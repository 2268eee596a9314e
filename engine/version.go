package engine

import (
	"fmt"

	"github.com/mars-go/mars/wire"
)

// SetClientVersion changes the client version of a running engine, as
// Mars's SetClientVersion changes its global one: the current connection
// stays up, every packet encoded from now on (tasks, noops, identify,
// signalling) carries v, and every packet received from now on must carry
// v. A server that still answers with the old version on this connection
// has its answer refused as a corrupt stream: the link drops (its tasks
// see (EctNetMsgXP, EctNetMsgXPHandleBufferErr) and are retried) and
// reconnects, as in Mars. A packet already queued keeps the version it was
// encoded with. With a custom Config.Codec the wire follows only if it
// implements wire.ClientVersionSetter; Config().ClientVersion reports v
// either way.
//
// Named long links (CreateLongLink) without a ClientVersion or Codec of
// their own follow too; the others keep theirs.
func (e *Engine) SetClientVersion(v uint32) {
	e.setVersion(v)
	e.runOnOwner(func(o *owner) { o.followVersion(v) })
}

func (e *Engine) setVersion(v uint32) {
	e.version.Store(v)
	if s, ok := e.cfg.Codec.(wire.ClientVersionSetter); ok {
		s.SetClientVersion(v)
	}
}

// ResetAndInitEncoderVersion is Mars's ResetAndInitEncoderVersion: Reset
// (every task ends with (EctLocal, EctLocalReset), the long link closes),
// then the codec's version becomes v before anything is sent again. The
// engine's codec has one version, the client version in its header, so
// this is Reset followed by SetClientVersion in one step.
func (e *Engine) ResetAndInitEncoderVersion(v uint32) {
	e.runOnOwner(func(o *owner) {
		o.reset(false)
		o.resetShorts()
		e.setVersion(v)
		o.followVersion(v)
	})
}

// followVersion gives every long link that takes the engine's client
// version the new one v and re-encodes the heartbeats.
func (o *owner) followVersion(v uint32) {
	for _, ll := range o.linkList {
		if own := ll.addr; own != nil && (own.ClientVersion != 0 || own.Codec != nil) {
			continue // the link frames with a version of its own
		}
		if s, ok := ll.cfg.Codec.(wire.ClientVersionSetter); ok && ll.cfg.Codec != o.e.cfg.Codec {
			s.SetClientVersion(v)
		}
		ll.encodeNoop()
	}
}

// encodeNoop encodes the link's heartbeat packet with its codec's version
// in force; it is kept encoded because it goes out on every heartbeat.
func (ll *longLink) encodeNoop() {
	c := ll.cfg.Codec
	noop, err := c.Append(nil, c.Noop())
	if err != nil {
		panic(fmt.Sprintf("engine: codec cannot encode its noop: %v", err))
	}
	ll.noopPkt = noop
}
