package engine

import (
	"context"
	"time"

	"github.com/mars-go/mars/wire"
)

// The signalling keeper: while the host keeps signalling, a 20-byte
// UDP datagram (cmdid 243, seq 0) goes to the main long link's peer after
// each SignallingPeriod of silence on the link, until SignallingKeepTime
// after the last KeepSignalling. The schedule is signalling.Keeper's; the
// owner arms one timer. Datagrams go out only while the link is connected,
// and the UDP target follows the link's peer whenever its address changes
// (Mars refreshes it only when both IP and port differ).
//
// Behind a Proxy, or with a ProxyProvider, the keeper is off: the link's peer is the proxy, which
// does not take UDP, and a datagram sent to the server directly would go
// around the proxy. KeepSignalling then only logs that it cannot send.

// KeepSignalling starts (or extends) the signalling keeper: a datagram now
// if it was idle, then one per period of silence until the keep time after
// this call.
func (e *Engine) KeepSignalling() {
	e.runOnOwner(func(o *owner) {
		if o.e.mayProxy() {
			o.logf(LogWarn, "signalling: off behind a proxy (UDP would go around it)")
			return
		}
		now := time.Now()
		if o.pol.keeper.Keep(now) {
			o.sendSignal()
			o.signalActivity(now)
		}
	})
}

// StopSignalling stops the signalling keeper at once.
func (e *Engine) StopSignalling() {
	e.runOnOwner(func(o *owner) {
		o.pol.keeper.Stop()
		o.pol.sigTimer.Stop()
	})
}

// SetSignallingStrategy changes the keeper's period and keep time (Mars's
// SetSignallingStrategy, in milliseconds there). Values ≤ 0 keep the
// current setting. A running keeper uses them from its next datagram.
func (e *Engine) SetSignallingStrategy(period, keepTime time.Duration) {
	e.runOnOwner(func(o *owner) {
		if period > 0 {
			o.pol.keeper.Period = period
		}
		if keepTime > 0 {
			o.pol.keeper.KeepTime = keepTime
		}
	})
}

// signalActivity reschedules the next datagram after link traffic or a
// datagram at now.
func (o *owner) signalActivity(now time.Time) {
	if !o.pol.keeper.Keeping() {
		return
	}
	next, ok := o.pol.keeper.Activity(now)
	if !ok {
		o.pol.sigTimer.Stop()
		return
	}
	o.pol.sigTimer.Reset(next.Sub(now))
}

// onSignalTimer sends the due datagram, or lets the keeper stop.
func (o *owner) onSignalTimer(now time.Time) {
	if !o.pol.keeper.Due(now) {
		return
	}
	o.sendSignal()
	o.signalActivity(now)
}

// signalTarget points the UDP socket at the connected link's peer.
func (o *owner) signalTarget() {
	if o.main.link == nil || o.main.cfg.Proxy != nil || o.e.proxies.provider != nil {
		return // behind a proxy the peer is the proxy: no UDP target
	}
	addr := o.main.link.RemoteAddr().String()
	if addr == o.pol.sigAddr && o.pol.sigConn != nil {
		return
	}
	o.closeSignal()
	o.pol.sigAddr = addr
}

// closeSignal closes the UDP socket (target change, Close).
func (o *owner) closeSignal() {
	if o.pol.sigConn != nil {
		_ = o.pol.sigConn.Close() // a datagram socket: nothing to flush
		o.pol.sigConn = nil
	}
}

// sendSignal writes one signalling datagram to the link's peer. A UDP
// "connect" does no I/O, so opening the socket on the owner is cheap.
func (o *owner) sendSignal() {
	if o.main.link == nil || o.pol.sigAddr == "" {
		return
	}
	if o.pol.sigConn == nil {
		c, err := o.e.cfg.SignallingDialer.DialContext(context.Background(), "udp", o.pol.sigAddr)
		if err != nil {
			o.logf(LogWarn, "signalling: %v", err)
			return
		}
		o.pol.sigConn = c
	}
	pkt, err := o.e.cfg.Codec.Append(nil, wire.Packet{CmdID: wire.SignallingCmdID, Seq: 0})
	if err != nil {
		o.logf(LogError, "signalling: cannot encode: %v", err)
		return
	}
	if _, err := o.pol.sigConn.Write(pkt); err != nil {
		o.logf(LogWarn, "signalling: %v", err)
		o.closeSignal()
	}
}
