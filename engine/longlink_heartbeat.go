package engine

import (
	"time"

	"github.com/mars-go/mars/wire"
)

// Heartbeat and identify check of a connected long link.
// A noop goes out after the heartbeat interval of write idleness (fixed,
// learned or none, longlink_heartbeat_smart.go); the first slot is right after
// connect (the original design), behind the tasks that waited
// for the link and without its noop when there were any. At a slot the
// identify check, while not done on this connection, replaces the noop
// (longlink_identify.go). An unanswered noop or identify closes the link after
// NoopTimeout with (EctSocket, EctSocketRecvErr), the intended Mars
// behaviour.

// startHeartbeat resets the per-connection state and runs the first slot.
// When tasks go out with the connect (their attempts are being built), that
// slot sends no noop: Mars sends its first noop only when it has no data to
// send, and a server that parses one packet per read would answer the noop
// alone and lose the task (the identify check still goes, behind the
// tasks).
func (ll *longLink) startHeartbeat(now time.Time) {
	ll.identifyDone, ll.identifyPending, ll.identifyAsking, ll.awaitingAnswer = !ll.identify, false, false, false
	ll.identifyHash = nil
	ll.lastWrite = now
	ll.heartbeatSlot(now, 0, 0, ll.asking == 0)
}

// stopHeartbeat disarms both heartbeat timers. A heartbeat still
// unanswered counts as failed, as in Mars.
func (ll *longLink) stopHeartbeat() {
	ll.hbTimer.Stop()
	ll.noopTimer.Stop()
	if ll.awaitingAnswer {
		ll.heartbeatResult(false, time.Now())
	}
	ll.awaitingAnswer, ll.identifyPending, ll.identifyAsking = false, false, false
}

// onHeartbeatTimer runs a slot if the link has been write-idle for the
// interval, or re-arms for the moment it will have been.
func (ll *longLink) onHeartbeatTimer(now time.Time) {
	iv := ll.heartbeatInterval()
	if ll.link == nil || iv <= 0 {
		return
	}
	due := ll.lastWrite.Add(iv)
	if now.Before(due) {
		ll.hbTimer.Reset(due.Sub(now))
		return
	}
	ll.heartbeatSlot(now, now.Sub(due), iv, true)
}

// rearmHeartbeat points the heartbeat timer at lastWrite + the interval now
// in force (after the interval changed).
func (ll *longLink) rearmHeartbeat() {
	iv := ll.heartbeatInterval()
	if ll.link == nil || iv <= 0 {
		ll.hbTimer.Stop()
		return
	}
	ll.hbTimer.Reset(max(time.Until(ll.lastWrite.Add(iv)), 0))
}

// heartbeatSlot sends the identify request or a noop and arms the answer
// deadline and the next slot. late is how far past its due time the slot
// runs; iv is the interval it was due after (0 for the connect slot); noop
// false leaves the slot to the identify check alone. While the identify
// check is not done on this connection the host is asked for its buffer
// first (longlink_identify.go); the slot goes on when it answers.
func (ll *longLink) heartbeatSlot(now time.Time, late, iv time.Duration, noop bool) {
	if next := ll.heartbeatInterval(); next > 0 {
		ll.hbTimer.Reset(next)
	}
	if ll.awaitingAnswer || ll.identifyAsking {
		return // the answer deadline is running, or the host is asked
	}
	if !ll.identifyDone && !ll.identifyPending {
		ll.askIdentifyBuffer(heartbeatSlotArgs{late: late, iv: iv, noop: noop})
		return
	}
	if noop {
		ll.sendNoop(now, late, iv)
	}
}

// sendNoop queues a noop if nothing else waits to be written, and arms its
// answer deadline.
func (ll *longLink) sendNoop(now time.Time, late, iv time.Duration) {
	if ll.link.SendIfIdle(wire.NoopSeq, ll.noopPkt) {
		ll.awaitAnswer(now, late, iv)
	}
}

// awaitAnswer arms the deadline of the noop or identify just queued.
func (ll *longLink) awaitAnswer(now time.Time, late, iv time.Duration) {
	ll.awaitingAnswer = true
	ll.hbUsed, ll.hbSentAt, ll.hbTrigged = iv, now, false
	wait := ll.cfg.NoopTimeout
	if late >= ll.cfg.NoopLateThreshold {
		wait = ll.cfg.NoopTimeoutLate
	}
	ll.noopTimer.Reset(wait)
}

// onNoopTimeout closes a link whose heartbeat went unanswered. While the
// link has stopped reading because the host is behind on pushes, the
// answer may be waiting unread in the socket: the deadline starts again.
func (ll *longLink) onNoopTimeout() {
	if ll.link == nil {
		return
	}
	if ll.identifyAsking && !ll.awaitingAnswer {
		ll.identifyLate()
		return
	}
	if !ll.awaitingAnswer {
		return
	}
	if ll.link.Paused() {
		ll.noopTimer.Reset(ll.cfg.NoopTimeout)
		return
	}
	ll.o.logf(LogWarn, "long link: heartbeat unanswered for %v", ll.cfg.NoopTimeout)
	ll.o.qualityAttemptFailed(time.Now())
	ll.linkFailed(EctSocket, EctSocketRecvErr)
}

// heartbeatAnswered ends the wait for a noop or identify answer.
func (ll *longLink) heartbeatAnswered() {
	if !ll.awaitingAnswer {
		return
	}
	ll.awaitingAnswer = false
	ll.noopTimer.Stop()
	ll.heartbeatResult(true, time.Now())
}
