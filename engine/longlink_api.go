package engine

import (
	"slices"
	"time"

	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/reconnect"
)

// Several long links per engine (Mars's _ext API). Every engine starts with
// one, DefaultChannelName, built from Config's long-link settings; it is
// the main link until MarkMainLongLink picks another. A task picks its link
// by Task.ChannelName ("" is the main link). Each link has its own
// connection, reconnect policy, IP history, heartbeat and identify check;
// short links, the anti-avalanche limits, zombie tasks and the
// network-quality estimate stay per engine. Pushes, identify and
// OnLongLinkNewDns name the link; the main link alone drives
// ReportConnectStatus, OnLongLinkStatusChange, OnLongLinkNetworkError,
// LongLinkIsConnected, the signalling keeper and the timing sync, and
// LongLinkReporter hears every link.

// CreateLongLink adds the long link c describes. It returns
// ErrLongLinkExists when a link of that name exists (leaving it as it
// is), a validation error as New does for Config, or ErrClosed. A
// KeepAlive link is kept connected as the default link is, from
// OnForeground(true) on (at once when the main link is kept already); any
// link connects when a task needs it.
func (e *Engine) CreateLongLink(c LongLinkConfig) error {
	s, err := e.setup(c)
	if err != nil {
		return err
	}
	return askOwner(e, ErrClosed, func(o *owner) error { return o.createLink(s, c.Main) })
}

// DestroyLongLink removes the named link, synchronously: its connection
// closes, its timers stop, and every task bound to it (waiting, running or
// parked) ends with (EctLocal, EctLocalLongLinkReleased) before it
// returns, as Mars's DestroyLonglink_ext. The main link cannot be
// destroyed (ErrMainLongLink); an unknown name is ErrNoLongLink.
func (e *Engine) DestroyLongLink(name string) error {
	return askOwner(e, ErrClosed, func(o *owner) error { return o.destroyLink(name) })
}

// LongLinks returns the names of the engine's long links, sorted (empty
// after Close).
func (e *Engine) LongLinks() []string {
	names := askOwner(e, nil, func(o *owner) []string {
		names := make([]string, 0, len(o.linkList))
		for _, ll := range o.linkList {
			names = append(names, ll.name)
		}
		return names
	})
	slices.Sort(names)
	return names
}

// MainLongLink returns the main link's name ("" after Close).
func (e *Engine) MainLongLink() string {
	return askOwner(e, "", func(o *owner) string { return o.main.name })
}

// MarkMainLongLink makes the named link the main one: tasks with no
// channel name go to it from now on, and the main-link callbacks,
// LongLinkIsConnected, the signalling keeper and the timing sync follow
// it. OnLongLinkStatusChange reports the new main link's status at once.
func (e *Engine) MarkMainLongLink(name string) error {
	return askOwner(e, ErrClosed, func(o *owner) error { return o.markMain(name) })
}

// NamedLongLinkIsConnected reports whether the named link is connected
// (Mars's LongLinkIsConnected_ext); false for an unknown name.
func (e *Engine) NamedLongLinkIsConnected(name string) bool {
	return askOwner(e, false, func(o *owner) bool {
		ll := o.links[name]
		return ll != nil && ll.connected()
	})
}

// MakesureNamedLongLinkConnected connects the named link now unless it is
// connected or connecting (Mars's MakesureLonglinkConnected_ext); a
// KeepAlive link is then also kept, as MakesureLonglinkConnected keeps the
// main one. It is asynchronous; only ErrClosed can come back.
func (e *Engine) MakesureNamedLongLinkConnected(name string) error {
	if !e.runOnOwner(func(o *owner) {
		if ll := o.links[name]; ll != nil {
			ll.makesure()
		}
	}) {
		return ErrClosed
	}
	return nil
}

// makesure connects the link now; a KeepAlive link is kept from now on.
func (ll *longLink) makesure() {
	if ll.o.longOff {
		return
	}
	if ll.keepAlive {
		ll.keepLink = true
	}
	ll.connectNow()
}

// createLink adds the link s describes.
func (o *owner) createLink(s linkSetup, main bool) error {
	if o.links[s.name] != nil {
		return ErrLongLinkExists
	}
	ll := o.newLongLink(s)
	o.links[ll.name] = ll
	o.linkList = append(o.linkList, ll)
	if main {
		_ = o.markMain(ll.name)
	}
	if ll.keepAlive && o.main.keepLink {
		ll.keepLink = true
		ll.wantConnect(reconnect.AutoTrigger)
	}
	return nil
}

// destroyLink ends the named link and the tasks bound to it.
func (o *owner) destroyLink(name string) error {
	ll := o.links[name]
	switch {
	case ll == nil:
		return ErrNoLongLink
	case ll.isMain():
		return ErrMainLongLink
	}
	ll.stopTimers()
	ll.disconnect()
	now := time.Now()
	for _, tk := range o.sortedTasks() {
		if tk.ll == ll && o.tasks[tk.t.TaskID] == tk {
			o.forget(tk) // never parked: the link it would wait for is gone
			o.reportEnd(tk.ref, tk.t, now, EctLocal, EctLocalLongLinkReleased, tk)
		}
	}
	ll.destroyed = true
	delete(o.links, name)
	o.linkList = slices.DeleteFunc(o.linkList, func(x *longLink) bool { return x == ll })
	return nil
}

// markMain moves the main role to the named link.
func (o *owner) markMain(name string) error {
	ll := o.links[name]
	if ll == nil {
		return ErrNoLongLink
	}
	if ll == o.main {
		return nil
	}
	o.main = ll
	ll.reportStatus()
	o.closeSignal()
	o.pol.sigAddr = ""
	if ll.status == linkstatus.Connected {
		o.signalTarget()
		o.stopSync()
	} else {
		o.startSync()
	}
	return nil
}
