package engine

// retryTasks is Mars's NetCore RetryTasks, run for Buf2Resp's
// RespHandleRetryAllTasks and RespHandleSessionTimeout whichever link the
// answer came from: first the short side (shortRetryAll; short is the
// answering task when it was a short one), then a batch error (EctEnDecode,
// code, handle) on every long link holding a task of user, which retries
// or ends its running tasks and reconnects it with no retry pause.
func (o *owner) retryTasks(handle, code int, src uint32, user string, short *shortTask) {
	o.shortRetryAll(short, handle, code)
	for _, ll := range o.linkList {
		if ll.holdsUser(user) {
			ll.batchError(EctEnDecode, code, handle, src)
		}
	}
}

// holdsUser reports whether a task of user waits or runs on ll (a parked
// task is Mars's zombie manager's, not the link's).
func (ll *longLink) holdsUser(user string) bool {
	for _, tk := range ll.o.tasks {
		if tk.ll == ll && tk.t.UserID == user && !tk.pol.parked {
			return true
		}
	}
	return false
}
