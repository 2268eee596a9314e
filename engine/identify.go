package engine

import (
	"slices"
	"time"

	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/engine/wire"
)

// The identify check asks the host twice per connection: for the
// buffer at a heartbeat slot, and to judge the answer. Both questions run
// on the host goroutine and their answers come back as owner work, so a
// slow host never holds the owner's timers: when the buffer has not come
// IdentifyAnswerWait after the slot, the slot's noop goes alone and the
// identify request follows whenever the host answers.

// heartbeatSlotArgs is what a slot waiting for the identify buffer needs
// to finish: how late it ran, the interval it was due after, and whether
// it may send a noop.
type heartbeatSlotArgs struct {
	late, iv time.Duration
	noop     bool
}

// askIdentifyBuffer asks the host for the identify buffer of the current
// link; identifyBuffer finishes the slot with its answer.
func (o *owner) askIdentifyBuffer(slot heartbeatSlotArgs) {
	o.identifyAsking, o.identifySlot = true, slot
	o.noopTimer.Reset(IdentifyAnswerWait) // onNoopTimeout → identifyLate
	e, cb, l := o.e, o.cb, o.link
	e.host.post(hostCall{droppable: true, fn: func() {
		mode, buf, hash, cmd := cb.GetLonglinkIdentifyCheckBuffer(DefaultChannelName)
		buf, hash = slices.Clone(buf), slices.Clone(hash)
		e.postPolicy(func(o *owner) { o.identifyBuffer(l, mode, buf, hash, cmd) })
	}})
}

// identifyLate sends the waiting slot's noop: the host has not given the
// identify buffer in time, and the heartbeat keeps its schedule. It goes
// even from a connect slot that held it back for waiting tasks: their
// bodies queue behind the same busy host, so the noop cannot share their
// segment, and the new link should not stay silent until the host is free.
func (o *owner) identifyLate() {
	s := o.identifySlot
	o.logf(LogInfo, "long link: no identify buffer after %v; the heartbeat goes alone", IdentifyAnswerWait)
	o.sendNoop(time.Now(), s.late, s.iv)
}

// identifyBuffer sends the identify request the host built, or the slot's
// noop when the host has none to send now (or never) and none went yet.
func (o *owner) identifyBuffer(l *longlink.Link, mode IdentifyMode, buf, hash []byte, cmd uint32) {
	if l != o.link || !o.identifyAsking {
		return // the link the host was asked for is gone
	}
	o.identifyAsking = false
	if !o.awaitingAnswer {
		o.noopTimer.Stop() // the wait for this answer
	}
	now, s := time.Now(), o.identifySlot
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
			if !o.awaitingAnswer { // else the noop's deadline runs, then the identify's (linkPackets)
				o.awaitAnswer(now, s.late, s.iv)
			}
			return
		}
	}
	if s.noop && !o.awaitingAnswer {
		o.sendNoop(now, s.late, s.iv)
	}
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
