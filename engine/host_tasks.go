package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/reconnect"
)

// The host's part of a task attempt: MakesureAuthed and Req2Buf before it,
// Buf2Resp after it. Each is a question to the host goroutine whose answer
// comes back to the owner as work; meanwhile the task is building (out of
// the pending queue) or decoding (its response in, its timeouts stopped).
// An answer for a task that ended, was stopped or moved on is dropped.

// attemptReply is the host's answer before an attempt.
type attemptReply struct {
	authed bool   // MakesureAuthed said yes, or the task needs no auth
	built  bool   // Req2Buf ran
	ok     bool   // ... and accepted the task
	code   int    // its error code
	body   []byte // its body (the host's copy)
	ext    []byte // its extension (Req2BufExter), the host's copy
}

// askHostAttempt asks the host whether tk may go (MakesureAuthed, when it
// needs auth) and, when build is set, for its body (Req2Buf, unless the
// task carries its Body), then runs then on the owner with tk and the
// answer (a then that captures nothing costs no allocation).
// A task with a Body still takes the trip through the host goroutine, so
// that attempts are sent in the order they were asked for.
func (o *owner) askHostAttempt(tk *task, channel ChannelSelect, host string, build bool, then func(*owner, *task, attemptReply)) {
	e, cb, ref, needAuth, user, given := o.e, o.cb, tk.ref, tk.t.NeedAuthed, tk.t.UserID, tk.t.Body
	tk.resp = nil // a new attempt: the last one's response no longer decides the outcome
	e.host.post(hostCall{droppable: true, fn: func() {
		r := attemptReply{authed: !needAuth || cb.MakesureAuthed(host, user)}
		switch {
		case !r.authed || !build:
		case given != nil:
			r.built, r.ok, r.body = true, true, given // never modified: sending copies it
		default:
			body, ext, code, ok := req2Buf(cb, ref, channel, host, e.host.scratch[:0])
			r.built, r.ok, r.code, r.body, r.ext = true, ok, code, body, ext
		}
		e.runOnOwner(func(o *owner) { then(o, tk, r) })
	}})
}

// askAttempt takes tk out of the pending queue while the host builds its
// next attempt (or, with the link down, only says whether it may go).
func (ll *longLink) askAttempt(tk *task) {
	tk.building = true
	ll.asking++
	ll.o.askHostAttempt(tk, ChannelLong, firstOf(tk.t.LongLinkHostList), ll.link != nil, longAttemptReady)
}

// longAttemptReady hands the host's answer to the link tk is bound to.
func longAttemptReady(_ *owner, tk *task, r attemptReply) {
	tk.ll.attemptReady(tk, r)
}

// attemptReady sends tk with the host's body, or puts it back to wait for
// auth, for the link, or for the next round.
func (ll *longLink) attemptReady(tk *task, r attemptReply) {
	if ll.o.tasks[tk.t.TaskID] != tk || !tk.building {
		return // ended or stopped meanwhile
	}
	tk.building = false
	ll.asking--
	now := time.Now()
	tk.authWait = !r.authed
	switch {
	case !r.authed:
		ll.pending.Push(tk.t.Priority, tk)
		ll.o.armTaskTimer(now.Add(ll.cfg.AuthPollInterval))
	case r.built && !r.ok:
		ll.o.end(tk, EctEnDecode, r.code)
	case ll.offChannel(tk):
		if ll.link == nil {
			ll.wantConnect(reconnect.TaskTrigger) // as Mars, which asks for the link first
		}
		ll.o.end(tk, EctLocal, EctLocalChannelID)
	case !r.built || ll.link == nil:
		ll.pending.Push(tk.t.Priority, tk)
		if ll.link == nil {
			ll.wantConnect(reconnect.TaskTrigger)
		} else {
			ll.o.runNeeded = true
		}
	case !ll.send(tk, r.body, r.ext, now):
		ll.pending.Push(tk.t.Priority, tk) // the link is closing
	}
}

// askDecode hands the response body (and extension) of tk's running
// attempt to Buf2Resp; then applies the verdict (for n body bytes) on the
// owner.
// The body is kept as tk's response while the verdict applies, so that
// an end it causes reports it (TaskEndResponder).
func (o *owner) askDecode(tk *task, channel ChannelSelect, body, ext []byte, then func(o *owner, tk *task, handle, code, n int)) {
	tk.decoding = true
	e, cb, ref := o.e, o.cb, tk.ref
	e.host.post(hostCall{droppable: true, fn: func() {
		res := buf2Resp(cb, ref, channel, body, ext)
		e.runOnOwner(func(o *owner) {
			tk.resp = body
			tk.prof.RespFlags, tk.prof.ServerSequenceID = res.Flags, res.ServerSequenceID
			then(o, tk, res.Handle, res.ErrCode, len(body))
		})
	}})
}
