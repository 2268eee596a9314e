package engine

import (
	"time"

	"github.com/mars-go/mars/engine/wire"
)

// Heartbeat and identify check of a connected long link (§4.5.1, §4.6).
// A noop goes out after the heartbeat interval of write idleness (fixed,
// learned or none, heartbeat_smart.go); the first slot is right after
// connect (§8 item 2, the original design), behind the tasks that waited
// for the link and without its noop when there were any. At a slot the
// identify check, while not done on this connection, replaces the noop. An
// unanswered noop or identify closes the link after NoopTimeout with
// (EctSocket, EctSocketRecvErr), the intended Mars behaviour (§8 item 1).

// startHeartbeat resets the per-connection state and runs the first slot.
// When tasks went out with the connect, that slot sends no noop: Mars sends
// its first noop only when it has no data to send, and a server that parses
// one packet per read would answer the noop alone and lose the task (the
// identify check still goes, behind the tasks).
func (o *owner) startHeartbeat(now time.Time) {
	o.identifyDone, o.identifyPending, o.awaitingAnswer = false, false, false
	o.identifyHash = nil
	o.lastWrite = now
	o.heartbeatSlot(now, 0, 0, o.running == 0)
}

// stopHeartbeat disarms both heartbeat timers. A heartbeat still
// unanswered counts as failed, as in Mars.
func (o *owner) stopHeartbeat() {
	o.hbTimer.Stop()
	o.noopTimer.Stop()
	if o.awaitingAnswer {
		o.heartbeatResult(false, time.Now())
	}
	o.awaitingAnswer, o.identifyPending = false, false
}

// onHeartbeatTimer runs a slot if the link has been write-idle for the
// interval, or re-arms for the moment it will have been.
func (o *owner) onHeartbeatTimer(now time.Time) {
	iv := o.heartbeatInterval()
	if o.link == nil || iv <= 0 {
		return
	}
	due := o.lastWrite.Add(iv)
	if now.Before(due) {
		o.hbTimer.Reset(due.Sub(now))
		return
	}
	o.heartbeatSlot(now, now.Sub(due), iv, true)
}

// rearmHeartbeat points the heartbeat timer at lastWrite + the interval now
// in force (after the interval changed).
func (o *owner) rearmHeartbeat() {
	iv := o.heartbeatInterval()
	if o.link == nil || iv <= 0 {
		o.hbTimer.Stop()
		return
	}
	o.hbTimer.Reset(max(time.Until(o.lastWrite.Add(iv)), 0))
}

// heartbeatSlot sends the identify request or a noop and arms the answer
// deadline and the next slot. late is how far past its due time the slot
// runs; iv is the interval it was due after (0 for the connect slot); noop
// false leaves the slot to the identify check alone.
func (o *owner) heartbeatSlot(now time.Time, late, iv time.Duration, noop bool) {
	if next := o.heartbeatInterval(); next > 0 {
		o.hbTimer.Reset(next)
	}
	if o.awaitingAnswer {
		return // the answer deadline is running; it decides
	}
	sent := o.sendIdentify()
	if !sent && noop && o.link.SendIfIdle(wire.NoopSeq, o.noopPkt) {
		sent = true
	}
	if !sent {
		return
	}
	o.awaitingAnswer = true
	o.pol.hbUsed, o.pol.hbSentAt, o.pol.hbTrigged = iv, now, false
	wait := o.e.cfg.NoopTimeout
	if late >= o.e.cfg.NoopLateThreshold {
		wait = o.e.cfg.NoopTimeoutLate
	}
	o.noopTimer.Reset(wait)
}

// sendIdentify asks the host for an identify buffer and queues it (even
// behind data). It reports whether it sent one.
func (o *owner) sendIdentify() bool {
	if o.identifyDone || o.identifyPending {
		return false
	}
	mode, buf, hash, cmd := o.cb.GetLonglinkIdentifyCheckBuffer(DefaultChannelName)
	switch mode {
	case IdentifyCheckNever:
		o.identifyDone = true
		return false
	case IdentifyCheckNext:
		return false
	}
	pkt, err := o.e.cfg.Codec.Append(nil, wire.Identify(cmd, buf))
	if err != nil {
		o.logf(LogError, "long link: cannot encode identify: %v", err)
		return false
	}
	if !o.link.Send(wire.IdentifySeq, pkt) {
		return false
	}
	o.identifyPending = true
	o.identifyHash = append([]byte(nil), hash...)
	return true
}

// onNoopTimeout closes a link whose heartbeat went unanswered.
func (o *owner) onNoopTimeout() {
	if o.link == nil || !o.awaitingAnswer {
		return
	}
	o.logf(LogWarn, "long link: heartbeat unanswered for %v", o.e.cfg.NoopTimeout)
	o.qualityAttemptFailed(time.Now())
	o.linkFailed(EctSocket, EctSocketRecvErr)
}

// heartbeatAnswered ends the wait for a noop or identify answer.
func (o *owner) heartbeatAnswered() {
	if !o.awaitingAnswer {
		return
	}
	o.awaitingAnswer = false
	o.noopTimer.Stop()
	o.heartbeatResult(true, time.Now())
}
