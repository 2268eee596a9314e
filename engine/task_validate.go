package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/taskq"
)

// validateTask applies Mars's StartTask checks in order and returns
// the normalised task, or the error code it ends with (EctLocal, code).
//
//  1. limits (-12): id not 0 nor reserved, retries ≤ 30, server cost ≤ 120 s,
//     total timeout ≤ 600 s; Long bit dropped without cmdid, Short bit without
//     cgi; a task that may still go short needs a host; a
//     long-polling task needs 0 < LongPollingTimeout ≤ 600 s;
//  2. no channel left (-5);
//  3. network-sensitive task with no network and no connected link (-6).
func (o *owner) validateTask(t Task) (Task, int) {
	if t.TaskID == 0 || t.TaskID >= ReservedTaskIDStart {
		return t, EctLocalTaskParam
	}
	if t.RetryCount > MaxRetryCount || t.TotalTimeout > MaxTotalTimeout ||
		t.ServerProcessCost > MaxServerProcessCost {
		return t, EctLocalTaskParam
	}
	if t.RetryCount < 0 {
		t.RetryCount = DefaultRetryCount
	}
	t.Priority = taskq.Clamp(t.Priority)
	if t.ChannelName == "" {
		t.ChannelName = o.main.name
	}
	if t.CmdID == 0 {
		t.ChannelSelect &^= ChannelLong
	}
	if t.Cgi == "" {
		t.ChannelSelect &^= ChannelShort
	}
	if t.ChannelSelect&ChannelShort != 0 && len(t.ShortLinkHostList) == 0 {
		return t, EctLocalTaskParam
	}
	if t.LongPolling && (t.LongPollingTimeout <= 0 || t.LongPollingTimeout > MaxTotalTimeout) {
		return t, EctLocalTaskParam
	}
	if t.ChannelSelect&ChannelAll == 0 {
		return t, EctLocalChannelSelect
	}
	ll := o.links[t.ChannelName]
	if t.ChannelSelect&ChannelLong != 0 && ll == nil {
		o.logf(LogWarn, "task %d: no long link named %q", t.TaskID, t.ChannelName)
		return t, EctLocalLongLinkUnAvailable
	}
	if t.NetworkStatusSensitive && o.network == NetworkNone && (ll == nil || !ll.connected()) {
		return t, EctLocalNoNet
	}
	return t, 0
}

// millis truncates d to Mars's millisecond resolution.
func millis(d time.Duration) time.Duration { return d.Truncate(time.Millisecond) }
