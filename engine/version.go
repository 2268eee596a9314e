package engine

import (
	"fmt"

	"github.com/mars-go/mars/engine/wire"
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
func (e *Engine) SetClientVersion(v uint32) {
	e.setVersion(v)
	e.postPolicy(func(o *owner) { o.encodeNoop() })
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
	e.postPolicy(func(o *owner) {
		o.reset(false)
		o.resetShorts()
		e.setVersion(v)
		o.encodeNoop()
	})
}

// encodeNoop encodes the heartbeat packet with the codec's version in
// force; it is kept encoded because it goes out on every heartbeat.
func (o *owner) encodeNoop() {
	c := o.e.cfg.Codec
	noop, err := c.Append(nil, c.Noop())
	if err != nil {
		panic(fmt.Sprintf("engine: codec cannot encode its noop: %v", err))
	}
	o.noopPkt = noop
}
