package engine

import (
	"context"
	"errors"
	"maps"
	"slices"
	"syscall"
	"time"

	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/longlink"
)

// connected reports whether the long link is up.
func (o *owner) connected() bool { return o.status == linkstatus.Connected }

// setStatus is the only writer of the link status. It ignores a change to
// the same status, logs the change and its cause, publishes it for
// LongLinkIsConnected and reports it to the host: ReportConnectStatus first
// (never for disconnected), then OnLongLinkStatusChange (§7 item 33).
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
	if all, ll, ok := linkstatus.Report(s, o.short); ok {
		o.cb.ReportConnectStatus(all, ll)
	}
	o.cb.OnLongLinkStatusChange(int(s))
}

// wantConnect starts a connect attempt if none is running and at least
// interval has passed since the previous attempt started; otherwise it arms
// the reconnect timer for the moment that will be true.
func (o *owner) wantConnect(interval time.Duration) {
	if o.status == linkstatus.Connecting || o.status == linkstatus.Connected {
		return
	}
	if o.network == NetworkNone {
		return
	}
	wait := time.Until(o.connectStart.Add(interval))
	if o.connectStart.IsZero() || wait <= 0 {
		o.connectNow()
		return
	}
	if !o.reconnectPending {
		o.reconnectPending = true
		o.reconnectTimer.Reset(wait)
	}
}

// onReconnectTimer re-evaluates a deferred connect.
func (o *owner) onReconnectTimer() {
	switch {
	case o.pending.Len() > 0:
		o.wantConnect(o.e.cfg.TaskConnectInterval)
	case o.keepLink:
		o.wantConnect(o.e.cfg.AutoConnectInterval)
	}
}

// connectNow starts a connect attempt unless connected or connecting.
func (o *owner) connectNow() {
	if o.status == linkstatus.Connecting || o.status == linkstatus.Connected {
		return
	}
	if o.reconnectPending {
		o.reconnectTimer.Stop()
		o.reconnectPending = false
	}
	now := time.Now()
	o.connectStart = now
	o.dialGen++
	ctx, cancel := context.WithCancel(context.Background())
	o.dialCancel = cancel
	s := o.settings
	s.LongLinkPorts = slices.Clone(s.LongLinkPorts)
	s.DebugIPs = maps.Clone(s.DebugIPs)
	s.BackupIPs = maps.Clone(s.BackupIPs)
	gen, cfg, e := o.dialGen, o.e.cfg, o.e
	if cfg.Addresses == nil {
		cfg.Addresses = builtinAddresses{cb: o.cb, timeout: cfg.NewDnsTimeout, logf: o.logf}
	}
	o.setStatus(linkstatus.Connecting, "connect")
	e.wg.Go(func() {
		r := dial(ctx, cfg, s)
		r.gen, r.start = gen, now
		e.post(event{kind: evDialDone, dial: r})
	})
}

// dial tries the candidates in order, each bounded by ConnectTimeout. It
// runs on its own goroutine. The connect strategy of §4.1 replaces it.
func dial(ctx context.Context, cfg Config, s AddressSettings) *dialResult {
	r := &dialResult{}
	addrs, err := cfg.Addresses.LongLinkCandidates(ctx, s)
	if err != nil {
		r.err = err
		return r
	}
	for _, a := range addrs {
		if ctx.Err() != nil {
			break
		}
		dctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
		conn, err := cfg.Dialer.DialContext(dctx, "tcp", a.String())
		cancel()
		if err == nil {
			r.conn, r.addr = conn, a
			return r
		}
		errno := errnoOf(err)
		if errors.Is(err, context.DeadlineExceeded) {
			errno = int(syscall.ETIMEDOUT)
		}
		r.failures = append(r.failures, dialFailure{addr: a, errno: errno})
		r.err = err
	}
	if r.err == nil {
		r.err = errNoAddress
	}
	return r
}

// dialDone takes the connect goroutine's result.
func (o *owner) dialDone(r *dialResult) {
	if r.gen != o.dialGen || o.status != linkstatus.Connecting {
		if r.conn != nil {
			_ = r.conn.Close() // a stale attempt: nobody wants this connection
		}
		return
	}
	o.dialCancel()
	o.dialCancel = nil
	for _, f := range r.failures {
		o.cb.OnLongLinkNetworkError(EctSocket, f.errno, f.addr.IP, f.addr.Port)
	}
	if r.conn == nil {
		o.logf(LogWarn, "long link: connect failed: %v", r.err)
		o.setStatus(linkstatus.ConnectFailed, r.err.Error())
		o.afterLinkDown()
		return
	}
	now := time.Now()
	o.linkAddr, o.connectDone = r.addr, now
	o.link = longlink.Start(r.conn, o.e.cfg.Codec, linkEvents{o.e}, o.cb.TrafficData, &o.e.wg)
	o.cb.OnLongLinkNetworkError(EctOK, 0, r.addr.IP, r.addr.Port)
	o.setStatus(linkstatus.Connected, "connected to "+r.addr.String())
	o.startHeartbeat(now)
	o.runNeeded = true
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

// afterLinkDown schedules the reconnect a drop or failure calls for: soon
// when tasks wait, after ReconnectDelay and the auto interval for a kept
// link.
func (o *owner) afterLinkDown() {
	switch {
	case o.pending.Len() > 0:
		o.runNeeded = true // runTasks asks for the link
	case o.keepLink && !o.reconnectPending:
		wait := max(o.e.cfg.ReconnectDelay, time.Until(o.connectStart.Add(o.e.cfg.AutoConnectInterval)))
		o.reconnectPending = true
		o.reconnectTimer.Reset(wait)
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
// the running tasks as one batch (§4.4.1).
func (o *owner) linkFailed(typ ErrType, code int) {
	o.link.Close()
	o.link = nil
	o.stopHeartbeat()
	o.setStatus(linkstatus.Disconnected, "link error")
	o.cb.OnLongLinkNetworkError(typ, code, o.linkAddr.IP, o.linkAddr.Port)
	o.batchError(typ, code, RespHandleDefault, 0)
	o.afterLinkDown()
}

// closeOutcome maps a link's end onto Mars's (type, code) (§4.4.1).
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

// errnoOf digs the system error number out of err, or returns 0.
func errnoOf(err error) int {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return int(errno)
	}
	return 0
}

// redoTasks is RedoTasks (§4.8.7): reconnect now and re-send every running
// task, each spending a retry.
func (o *owner) redoTasks() {
	o.disconnect()
	o.batchError(EctLocal, EctLocalCancel, RespHandleDefault, 0)
	o.retryInterval = 0
	o.connectNow()
	o.runNeeded = true
}

// networkChange drops the link with -10086 and reconnects at once when
// tasks wait or the link is kept.
func (o *owner) networkChange(n NetworkType) {
	o.useNetwork(n)
	wasUp := o.link != nil || o.status == linkstatus.Connecting
	o.disconnect()
	if wasUp {
		o.cb.OnLongLinkNetworkError(EctSocket, EctSocketNetworkChange, o.linkAddr.IP, o.linkAddr.Port)
		o.batchError(EctSocket, EctSocketNetworkChange, RespHandleDefault, 0)
		o.retryInterval = 0
	}
	if n != NetworkNone && (o.pending.Len() > 0 || o.keepLink) {
		o.connectNow()
	}
	o.runNeeded = true
}

// reset ends every task with (EctLocal, EctLocalReset) and returns the link
// to its initial state; address settings are kept. closing also stops the
// timers for good.
func (o *owner) reset(closing bool) {
	o.disconnect()
	for _, tk := range o.sortedTasks() {
		if o.tasks[tk.t.TaskID] == tk {
			o.end(tk, EctLocal, EctLocalReset)
		}
	}
	o.keepLink = false
	o.connectStart = time.Time{}
	o.lastBatchErr, o.retryInterval = time.Time{}, 0
	o.reconnectTimer.Stop()
	o.reconnectPending = false
	o.stopTaskTimer()
	if closing {
		o.stopHeartbeat()
	}
}
