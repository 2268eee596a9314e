package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/longlink"
)

// connected reports whether the long link is up.
func (ll *longLink) connected() bool { return ll.status == linkstatus.Connected }

// setStatus is the only writer of the link status. It ignores a change to
// the same status, logs the change and its cause and reports it to the
// host: for the main link it publishes it for LongLinkIsConnected and calls
// ReportConnectStatus first (never for disconnected), then
// OnLongLinkStatusChange; for every link LongLinkReporter's
// OnLongLinkStatusChangeOf.
func (ll *longLink) setStatus(s linkstatus.Status, cause string) {
	ll.o.assertOwner()
	if s == ll.status {
		return
	}
	if !linkstatus.Allowed(ll.status, s) {
		ll.o.logf(LogError, "long link: unexpected transition %v -> %v (%s)", ll.status, s, cause)
	}
	ll.o.logf(LogInfo, "long link %s: %v -> %v (%s)", ll.name, ll.status, s, cause)
	ll.status = s
	ll.reportStatus()
	if s == linkstatus.Connected {
		ll.heartbeatConnected()
	}
	if ll.isMain() {
		ll.o.policiesOnStatus(s)
	}
	if s == linkstatus.Connected {
		ll.o.zombiesWake()
	}
	ll.monitorOnStatus(s)
}

// reportStatus tells the host the link's status (setStatus); MarkMain
// also tells it the new main link's.
func (ll *longLink) reportStatus() {
	s, isMain, name := ll.status, ll.isMain(), ll.name
	if isMain {
		ll.o.e.connected.Store(s == linkstatus.Connected)
	}
	// Short-link results are not counted yet (see doc.go): all_status
	// follows the long link alone.
	all, long, report := linkstatus.Report(s, linkstatus.ShortLinkStats{})
	cb := ll.o.cb
	r, named := cb.(LongLinkReporter)
	ll.o.toHost(func() {
		if isMain {
			if report {
				cb.ReportConnectStatus(all, long)
			}
			cb.OnLongLinkStatusChange(int(s))
		}
		if named {
			r.OnLongLinkStatusChangeOf(name, int(s))
		}
	})
}

// disconnect closes the link (or cancels the connect attempt) on the
// engine's own initiative. Running tasks are not touched; callers decide.
func (ll *longLink) disconnect() {
	if ll.dialCancel != nil {
		ll.dialCancel()
		ll.dialCancel = nil
		ll.dialGen++ // ignore the cancelled attempt's result
	}
	if ll.link != nil {
		ll.link.Close()
		ll.link = nil
	}
	ll.stopHeartbeat()
	if ll.status == linkstatus.Connecting || ll.status == linkstatus.Connected {
		ll.setStatus(linkstatus.Disconnected, "closed locally")
	}
}

// linkClosed handles the end of the current link reported by its I/O.
func (ll *longLink) linkClosed(l *longlink.Link, why longlink.Reason) {
	if l != ll.link {
		return // a link we already let go
	}
	typ, code := closeOutcome(why)
	ll.o.logf(LogWarn, "long link to %v ended: (%d, %d) %v", ll.linkAddr, typ, code, why.Err)
	ll.linkFailed(typ, code)
}

// linkFailed tears the current link down after an error and applies it to
// the running tasks as one batch.
func (ll *longLink) linkFailed(typ ErrType, code int) {
	ll.link.Close()
	ll.link = nil
	ll.stopHeartbeat()
	ll.setStatus(linkstatus.Disconnected, "link error")
	ll.netReport(typ, code, ll.linkAddr)
	ll.batchError(typ, code, RespHandleDefault, 0)
}

// closeOutcome maps a link's end onto Mars's (type, code).
func closeOutcome(why longlink.Reason) (ErrType, int) {
	switch why.Kind {
	case longlink.PeerClosed:
		return EctSocket, EctSocketShutdown
	case longlink.Corrupt:
		return EctNetMsgXP, EctNetMsgXPHandleBufferErr
	case longlink.ReadError:
		return EctSocket, orCode(why.Errno, EctSocketRecvErr)
	case longlink.WriteError:
		return EctSocket, orCode(why.Errno, EctSocketSendErr)
	}
	return EctCanceld, EctSocketUserBreak
}

func orCode(errno, fallback int) int {
	if errno != 0 {
		return errno
	}
	return fallback
}

// redoTasks is RedoTasks: reconnect now and re-send every running
// task, each spending a retry.
func (o *owner) redoTasks() {
	for _, ll := range o.linkList {
		ll.disconnect()
	}
	o.resetScores(o.label)
	for _, ll := range o.linkList {
		ll.batchError(EctLocal, EctLocalCancel, RespHandleDefault, 0)
		ll.retryInterval = 0
		ll.connectNow()
	}
	o.runNeeded = true
}

// networkChange drops the link with -10086 and reconnects at once when
// tasks wait or the link is kept.
func (o *owner) networkChange(n NetworkType, label string) {
	o.netCheckNetworkChanged()
	o.useNetwork(n)
	wasUp := make([]bool, len(o.linkList))
	for i, ll := range o.linkList {
		wasUp[i] = ll.link != nil || ll.status == linkstatus.Connecting
		ll.disconnect()
	}
	if label == "" {
		label = networkName(n)
	}
	o.resetScores(label)
	for i, ll := range o.linkList {
		if wasUp[i] {
			ll.netReport(EctSocket, EctSocketNetworkChange, ll.linkAddr)
			ll.batchError(EctSocket, EctSocketNetworkChange, RespHandleDefault, 0)
			ll.retryInterval = 0
		}
		if n != NetworkNone && (ll.pending.Len() > 0 || ll.keepLink) {
			ll.connectNow()
		}
	}
	o.runNeeded = true
}

// reset ends every task with (EctLocal, EctLocalReset) and returns the link
// to its initial state; address settings are kept, and so is the host's wish
// to keep the link (foreground, MakesureLonglinkConnected): like any drop,
// a kept link comes back by the reconnect policy. closing also stops the
// timers for good.
func (o *owner) reset(closing bool) {
	o.stopNetCheck()
	for _, ll := range o.linkList {
		ll.disconnect()
	}
	for _, tk := range o.sortedTasks() {
		if o.tasks[tk.t.TaskID] == tk {
			o.end(tk, EctLocal, EctLocalReset)
		}
	}
	for _, ll := range o.linkList {
		ll.connectStart = time.Time{}
		ll.lastBatchErr, ll.retryInterval = time.Time{}, 0
	}
	o.stopTaskTimer()
	if closing {
		for _, ll := range o.linkList {
			ll.stopTimers()
		}
		o.stopPolicies()
		o.inactiveTimer.Stop()
		o.saveScores()
	}
}
