package engine

import "sync/atomic"

// Binding a task to one connection (Mars's Task.channel_id): a task whose
// ChannelID is non-zero may only go out on the long-link connection of that
// id; when the link is down or has another connection by the time the
// attempt would be sent, the task ends (EctLocal, EctLocalChannelID).

// connIDs hands out connection ids, unique within the process and never 0.
var connIDs atomic.Uint64

func nextConnectionID() uint64 { return connIDs.Add(1) }

// LongLinkConnectionID returns the id of the named long link's current
// connection ("" is the main link), for Task.ChannelID; 0 when the link is
// not connected, has no such name, or the engine is closed. Every
// connection gets a new id: a task bound to an id ends (EctLocal,
// EctLocalChannelID) once that connection is gone. Callable from callbacks,
// e.g. from OnLongLinkStatusChange for a connected link (the connection
// may be gone again by then: the id is that of the one up now).
func (e *Engine) LongLinkConnectionID(name string) uint64 {
	return askOwner(e, 0, func(o *owner) uint64 {
		ll := o.main
		if name != "" {
			ll = o.links[name]
		}
		if ll == nil {
			return 0
		}
		return ll.connectionID()
	})
}

// connectionID is the id of ll's connection; 0 while it is not connected.
func (ll *longLink) connectionID() uint64 {
	if ll.link == nil || !ll.connected() {
		return 0
	}
	return ll.connID
}

// offChannel reports whether tk is bound to a connection other than ll's
// current one (or ll has none).
func (ll *longLink) offChannel(tk *task) bool {
	return tk.t.ChannelID != 0 && tk.t.ChannelID != ll.connectionID()
}
