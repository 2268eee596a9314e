package engine

import "time"

// DisableLongLink turns the long link off for the rest of the engine's
// life (Mars's DisableLongLink; Config.DisableLongLink does it from New).
// Every long link, named ones and those created later included, is closed
// and nothing connects again: no heartbeat, no signalling datagram, and
// MakesureLonglinkConnected, OnForeground and network changes leave the
// link down. Tasks whose ChannelSelect allows the short link go short,
// those already waiting for or running on the long link included (from a
// fresh attempt); a task that may only use the long link ends with
// (EctLocal, EctLocalLongLinkUnAvailable), where Mars would send it as an
// HTTP request anyway. Reset does not turn the link back on.
// Asynchronous, like StartTask: tasks started after this call see it.
func (e *Engine) DisableLongLink() {
	e.runOnOwner(func(o *owner) { o.disableLongLink(time.Now()) })
}

// disableLongLink closes the link for good and moves its tasks.
func (o *owner) disableLongLink(now time.Time) {
	if o.longOff {
		return
	}
	o.longOff = true
	for _, ll := range o.linkList {
		ll.keepLink = false
		ll.cancelReconnect()
		ll.disconnect()
	}
	for _, tk := range o.sortedTasks() {
		if o.tasks[tk.t.TaskID] != tk {
			continue // ended by an earlier one's callback
		}
		o.forget(tk)
		o.startWithoutLong(new(task), tk.t, tk.ref, now)
	}
}

// startWithoutLong starts a validated task while the long link is off: on
// the short link if the task allows it, else it ends at once.
func (o *owner) startWithoutLong(rec *task, t Task, ref TaskRef, now time.Time) {
	if t.ChannelSelect&ChannelShort == 0 {
		o.logf(LogWarn, "task %d: long link disabled and the task may not go short", t.TaskID)
		o.reportEnd(ref, t, now, EctLocal, EctLocalLongLinkUnAvailable, nil)
		return
	}
	o.startShort(rec, t, ref, now)
}
