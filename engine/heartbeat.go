package engine

import (
	"time"

	"github.com/mars-go/mars/engine/wire"
)

// Heartbeat and identify check of a connected long link.
// A noop goes out after the heartbeat interval of write idleness (fixed,
// learned or none, heartbeat_smart.go); the first slot is right after
// connect (the original design), behind the tasks that waited
// for the link and without its noop when there were any. At a slot the
// identify check, while not done on this connection, replaces the noop
// (identify.go). An unanswered noop or identify closes the link after
// NoopTimeout with (EctSocket, EctSocketRecvErr), the intended Mars
// behaviour.

// startHeartbeat resets the per-connection state and runs the first slot.
// When tasks go out with the connect (their attempts are being built), that
// slot sends no noop: Mars sends its first noop only when it has no data to
// send, and a server that parses one packet per read would answer the noop
// alone and lose the task (the identify check still goes, behind the
// tasks).
func (o *owner) startHeartbeat(now time.Time) {
	o.identifyDone, o.identifyPending, o.identifyAsking, o.awaitingAnswer = false, false, false, false
	o.identifyHash = nil
	o.lastWrite = now
	o.heartbeatSlot(now, 0, 0, o.asking == 0)
}

// stopHeartbeat disarms both heartbeat timers. A heartbeat still
// unanswered counts as failed, as in Mars.
func (o *owner) stopHeartbeat() {
	o.hbTimer.Stop()
	o.noopTimer.Stop()
	if o.awaitingAnswer {
		o.heartbeatResult(false, time.Now())
	}
	o.awaitingAnswer, o.identifyPending, o.identifyAsking = false, false, false
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
// false leaves the slot to the identify check alone. While the identify
// check is not done on this connection the host is asked for its buffer
// first (identify.go); the slot goes on when it answers.
func (o *owner) heartbeatSlot(now time.Time, late, iv time.Duration, noop bool) {
	if next := o.heartbeatInterval(); next > 0 {
		o.hbTimer.Reset(next)
	}
	if o.awaitingAnswer || o.identifyAsking {
		return // the answer deadline is running, or the host is asked
	}
	if !o.identifyDone && !o.identifyPending {
		o.askIdentifyBuffer(heartbeatSlotArgs{late: late, iv: iv, noop: noop})
		return
	}
	if noop {
		o.sendNoop(now, late, iv)
	}
}

// sendNoop queues a noop if nothing else waits to be written, and arms its
// answer deadline.
func (o *owner) sendNoop(now time.Time, late, iv time.Duration) {
	if o.link.SendIfIdle(wire.NoopSeq, o.noopPkt) {
		o.awaitAnswer(now, late, iv)
	}
}

// awaitAnswer arms the deadline of the noop or identify just queued.
func (o *owner) awaitAnswer(now time.Time, late, iv time.Duration) {
	o.awaitingAnswer = true
	o.pol.hbUsed, o.pol.hbSentAt, o.pol.hbTrigged = iv, now, false
	wait := o.e.cfg.NoopTimeout
	if late >= o.e.cfg.NoopLateThreshold {
		wait = o.e.cfg.NoopTimeoutLate
	}
	o.noopTimer.Reset(wait)
}

// onNoopTimeout closes a link whose heartbeat went unanswered. While the
// link has stopped reading because the host is behind on pushes, the
// answer may be waiting unread in the socket: the deadline starts again.
func (o *owner) onNoopTimeout() {
	if o.link == nil {
		return
	}
	if o.identifyAsking && !o.awaitingAnswer {
		o.identifyLate()
		return
	}
	if !o.awaitingAnswer {
		return
	}
	if o.link.Paused() {
		o.noopTimer.Reset(o.e.cfg.NoopTimeout)
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
