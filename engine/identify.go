package engine

import (
	"slices"
	"time"

	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/engine/wire"
)

// The identify check (§4.6) asks the host twice per connection: for the
// buffer at a heartbeat slot, and to judge the answer. Both questions run
// on the host goroutine and their answers come back as owner work, so a
// slow host never holds the owner's timers.

// askIdentifyBuffer asks the host for the identify buffer of the current
// link; identifyBuffer finishes the slot with its answer.
// At the connect slot the tasks are held until the host answered
// (connectSlot), so the identify request or noop still goes first, as when
// the answer was synchronous; they would queue behind the question on the
// host goroutine anyway.
func (o *owner) askIdentifyBuffer(late, iv time.Duration) {
	o.identifyAsking = true
	o.connectSlot = iv == 0 && late == 0
	e, cb, l := o.e, o.cb, o.link
	e.host.post(hostCall{droppable: true, fn: func() {
		mode, buf, hash, cmd := cb.GetLonglinkIdentifyCheckBuffer(DefaultChannelName)
		buf, hash = slices.Clone(buf), slices.Clone(hash)
		e.postPolicy(func(o *owner) { o.identifyBuffer(l, mode, buf, hash, cmd, late, iv) })
	}})
}

// identifyBuffer sends the identify request the host built, or the slot's
// noop when the host has none to send now (or never).
func (o *owner) identifyBuffer(l *longlink.Link, mode IdentifyMode, buf, hash []byte, cmd uint32, late, iv time.Duration) {
	if l != o.link || !o.identifyAsking {
		return // the link the host was asked for is gone
	}
	o.identifyAsking = false
	if o.connectSlot {
		o.connectSlot = false
		o.runNeeded = true // the tasks held for the connect slot go after it
	}
	now := time.Now()
	switch mode {
	case IdentifyCheckNever:
		o.identifyDone = true
	case IdentifyCheckNext:
	default:
		pkt, err := o.e.cfg.Codec.Append(nil, wire.Identify(cmd, buf))
		if err != nil {
			o.logf(LogError, "long link: cannot encode identify: %v", err)
			break
		}
		if o.link.Send(wire.IdentifySeq, pkt) { // even behind data
			o.identifyPending = true
			o.identifyHash = hash
			o.awaitAnswer(now, late, iv)
			return
		}
	}
	o.sendNoop(now, late, iv)
}

// checkIdentifyResponse has the host judge the identify answer resp; a
// pass ends the checks on this connection and wakes the parked tasks.
func (o *owner) checkIdentifyResponse(l *longlink.Link, resp []byte) {
	e, cb, hash := o.e, o.cb, o.identifyHash
	e.host.post(hostCall{droppable: true, fn: func() {
		if !cb.OnLonglinkIdentifyResponse(DefaultChannelName, resp, hash) {
			return
		}
		e.postPolicy(func(o *owner) {
			if l != o.link || o.identifyDone {
				return
			}
			o.identifyDone = true
			o.zombiesWake()
			o.netReport(EctOK, 0, o.linkAddr)
		})
	}})
}
