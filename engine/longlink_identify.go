package engine

import (
	"slices"
	"time"

	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/wire"
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
func (ll *longLink) askIdentifyBuffer(slot heartbeatSlotArgs) {
	ll.identifyAsking, ll.identifySlot = true, slot
	ll.noopTimer.Reset(IdentifyAnswerWait) // onNoopTimeout → identifyLate
	e, cb, l, name := ll.o.e, ll.o.cb, ll.link, ll.name
	e.host.post(hostCall{droppable: true, fn: func() {
		mode, buf, hash, cmd := cb.GetLonglinkIdentifyCheckBuffer(name)
		buf, hash = slices.Clone(buf), slices.Clone(hash)
		e.runOnOwner(func(o *owner) { ll.identifyBuffer(l, mode, buf, hash, cmd) })
	}})
}

// identifyLate sends the waiting slot's noop: the host has not given the
// identify buffer in time, and the heartbeat keeps its schedule. It goes
// even from a connect slot that held it back for waiting tasks: their
// bodies queue behind the same busy host, so the noop cannot share their
// segment, and the new link should not stay silent until the host is free.
func (ll *longLink) identifyLate() {
	s := ll.identifySlot
	ll.o.logf(LogInfo, "long link: no identify buffer after %v; the heartbeat goes alone", IdentifyAnswerWait)
	ll.sendNoop(time.Now(), s.late, s.iv)
}

// identifyBuffer sends the identify request the host built, or the slot's
// noop when the host has none to send now (or never) and none went yet.
func (ll *longLink) identifyBuffer(l *longlink.Link, mode IdentifyMode, buf, hash []byte, cmd uint32) {
	if l != ll.link || !ll.identifyAsking {
		return // the link the host was asked for is gone
	}
	ll.identifyAsking = false
	if !ll.awaitingAnswer {
		ll.noopTimer.Stop() // the wait for this answer
	}
	now, s := time.Now(), ll.identifySlot
	switch mode {
	case IdentifyCheckNever:
		ll.identifyDone = true
	case IdentifyCheckNext:
	default:
		pkt, err := ll.cfg.Codec.Append(nil, wire.IdentifyFor(ll.cfg.Codec, cmd, buf))
		if err != nil {
			ll.o.logf(LogError, "long link: cannot encode identify: %v", err)
			break
		}
		if ll.link.Send(wire.IdentifySeq, pkt) { // even behind data
			ll.identifyPending = true
			ll.identifyHash = hash
			if !ll.awaitingAnswer { // else the noop's deadline runs, then the identify's (linkPackets)
				ll.awaitAnswer(now, s.late, s.iv)
			}
			return
		}
	}
	if s.noop && !ll.awaitingAnswer {
		ll.sendNoop(now, s.late, s.iv)
	}
}

// checkIdentifyResponse has the host judge the identify answer resp; a
// pass ends the checks on this connection and wakes the parked tasks.
func (ll *longLink) checkIdentifyResponse(l *longlink.Link, resp []byte) {
	e, cb, hash, name := ll.o.e, ll.o.cb, ll.identifyHash, ll.name
	e.host.post(hostCall{droppable: true, fn: func() {
		if !cb.OnLonglinkIdentifyResponse(name, resp, hash) {
			return
		}
		e.runOnOwner(func(o *owner) {
			if l != ll.link || ll.identifyDone {
				return
			}
			ll.identifyDone = true
			o.zombiesWake()
			ll.netReport(EctOK, 0, ll.linkAddr)
		})
	}})
}
