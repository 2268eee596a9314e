package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/longlink"
)

// connected reports whether the long link is up.
func (o *owner) connected() bool { return o.status == linkstatus.Connected }

// setStatus is the only writer of the link status. It ignores a change to
// the same status, logs the change and its cause, publishes it for
// LongLinkIsConnected and reports it to the host: ReportConnectStatus first
// (never for disconnected), then OnLongLinkStatusChange.
func (o *owner) setStatus(s linkstatus.Status, cause string) {
	o.assertOwner()
	if s == o.status {
		return
	}
	if !linkstatus.Allowed(o.status, s) {
		o.logf(LogError, "long link: unexpected transition %v -> %v (%s)", o.status, s, cause)
	}
	o.logf(LogInfo, "long link: %v -> %v (%s)", o.status, s, cause)
	o.status = s
	o.e.connected.Store(s == linkstatus.Connected)
	// Short-link results are not counted yet (see doc.go): all_status
	// follows the long link alone.
	all, ll, report := linkstatus.Report(s, linkstatus.ShortLinkStats{})
	cb := o.cb
	o.toHost(func() {
		if report {
			cb.ReportConnectStatus(all, ll)
		}
		cb.OnLongLinkStatusChange(int(s))
	})
	o.policiesOnStatus(s)
	o.monitorOnStatus(s)
}

// disconnect closes the link (or cancels the connect attempt) on the
// engine's own initiative. Running tasks are not touched; callers decide.
func (o *owner) disconnect() {
	if o.dialCancel != nil {
		o.dialCancel()
		o.dialCancel = nil
		o.dialGen++ // ignore the cancelled attempt's result
	}
	if o.link != nil {
		o.link.Close()
		o.link = nil
	}
	o.stopHeartbeat()
	if o.status == linkstatus.Connecting || o.status == linkstatus.Connected {
		o.setStatus(linkstatus.Disconnected, "closed locally")
	}
}

// linkClosed handles the end of the current link reported by its I/O.
func (o *owner) linkClosed(l *longlink.Link, why longlink.Reason) {
	if l != o.link {
		return // a link we already let go
	}
	typ, code := closeOutcome(why)
	o.logf(LogWarn, "long link to %v ended: (%d, %d) %v", o.linkAddr, typ, code, why.Err)
	o.linkFailed(typ, code)
}

// linkFailed tears the current link down after an error and applies it to
// the running tasks as one batch.
func (o *owner) linkFailed(typ ErrType, code int) {
	o.link.Close()
	o.link = nil
	o.stopHeartbeat()
	o.setStatus(linkstatus.Disconnected, "link error")
	o.netReport(typ, code, o.linkAddr)
	o.batchError(typ, code, RespHandleDefault, 0)
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
	o.disconnect()
	o.resetScores(o.label)
	o.batchError(EctLocal, EctLocalCancel, RespHandleDefault, 0)
	o.retryInterval = 0
	o.connectNow()
	o.runNeeded = true
}

// networkChange drops the link with -10086 and reconnects at once when
// tasks wait or the link is kept.
func (o *owner) networkChange(n NetworkType, label string) {
	o.netCheckNetworkChanged()
	o.useNetwork(n)
	wasUp := o.link != nil || o.status == linkstatus.Connecting
	o.disconnect()
	if label == "" {
		label = networkName(n)
	}
	o.resetScores(label)
	if wasUp {
		o.netReport(EctSocket, EctSocketNetworkChange, o.linkAddr)
		o.batchError(EctSocket, EctSocketNetworkChange, RespHandleDefault, 0)
		o.retryInterval = 0
	}
	if n != NetworkNone && (o.pending.Len() > 0 || o.keepLink) {
		o.connectNow()
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
	o.disconnect()
	for _, tk := range o.sortedTasks() {
		if o.tasks[tk.t.TaskID] == tk {
			o.end(tk, EctLocal, EctLocalReset)
		}
	}
	o.connectStart = time.Time{}
	o.lastBatchErr, o.retryInterval = time.Time{}, 0
	o.stopTaskTimer()
	if closing {
		o.keepLink = false
		o.cancelReconnect()
		o.stopHeartbeat()
		o.stopPolicies()
		o.inactiveTimer.Stop()
		o.saveScores()
	}
}
