package engine

import (
	"context"
	"math/rand/v2"
	"net"
	"strconv"
	"time"

	"github.com/mars-go/mars/engine/internal/ipsort"
	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/netsource"
	"github.com/mars-go/mars/engine/internal/probe"
)

// Disaster recovery (Mars's NetSourceTimerCheck): while the link
// runs on a backup IP and the app is active, every RecoveryPeriod the host
// is resolved again and, unless the current IP is among the answers, a
// random answer is probed with a noop (RecoveryProbeTimeout), at most
// RecoveryProbesPerHour times an hour. A probe that answers unbans that IP
// and moves the link back to the primary addresses. Unlike Mars, which
// drops the link at once, the move waits until no task is running, so it
// costs no task a retry.

type recoveryState struct {
	timer   *time.Timer
	probes  []time.Time // starts within the last hour
	gen     uint64      // of the probe in flight, 0 when none
	cancel  func()      // ends the probe in flight
	seq     uint64      // probes started
	movable bool        // a probe answered: move back once tasks are done
}

// probeResult is a disaster-recovery probe's report.
type probeResult struct {
	gen uint64
	ip  string
	err error
}

// onConnectedForRecovery arms the check when the new link runs on a
// backup IP, and disarms it otherwise.
func (o *owner) onConnectedForRecovery(time.Time) {
	o.recovery.movable = false
	o.cancelProbe()
	if o.linkKind == AddressBackup {
		o.recovery.timer.Reset(DefaultRecoveryPeriod)
		return
	}
	o.recovery.timer.Stop()
}

func (o *owner) onRecoveryTimer() {
	if !o.connected() || o.linkKind != AddressBackup {
		return
	}
	o.recovery.timer.Reset(DefaultRecoveryPeriod)
	now := time.Now()
	if !o.active || o.recovery.gen != 0 || !o.admitProbe(now) {
		return
	}
	o.recovery.seq++
	gen, cfg, host, cur, secure := o.recovery.seq, o.e.cfg, o.settings.LongLinkHost, o.linkAddr, o.e.secure
	ports := append([]int(nil), o.settings.LongLinkPorts...)
	o.recovery.gen = gen
	ctx, cancel := context.WithCancel(o.e.bg)
	o.recovery.cancel = cancel
	src := netsource.Source{NewDns: o.newDnsFunc(),
		NewDnsTimeout: cfg.NewDnsTimeout, Resolver: cfg.Resolver, ResolverTimeout: cfg.ResolverTimeout}
	e := o.e
	e.wg.Go(func() {
		defer cancel()
		r := &probeResult{gen: gen}
		r.ip, r.err = runProbe(ctx, src, cfg, host, cur, ports, secure)
		e.post(event{kind: evProbeDone, probe: r})
	})
}

// cancelProbe ends the probe in flight, if any; its result is ignored.
func (o *owner) cancelProbe() {
	if o.recovery.cancel != nil {
		o.recovery.cancel()
		o.recovery.cancel = nil
	}
	o.recovery.gen = 0
}

// admitProbe applies the per-hour limit.
func (o *owner) admitProbe(now time.Time) bool {
	kept := o.recovery.probes[:0]
	for _, t := range o.recovery.probes {
		if now.Sub(t) < time.Hour {
			kept = append(kept, t)
		}
	}
	o.recovery.probes = kept
	if len(kept) >= DefaultRecoveryProbesPerHr {
		return false
	}
	o.recovery.probes = append(o.recovery.probes, now)
	return true
}

// runProbe resolves host and probes one random answer; ip is "" when
// there was nothing to probe (the current IP is primary again, or no
// answer).
func runProbe(ctx context.Context, src netsource.Source, cfg Config, host string, cur Address, ports []int,
	secure func(context.Context, net.Conn, Address) (net.Conn, error)) (string, error) {
	ips := src.Resolve(ctx, host)
	if len(ips) == 0 || len(ports) == 0 {
		return "", nil
	}
	for _, ip := range ips {
		if ip == cur.IP {
			return "", nil
		}
	}
	ip := ips[rand.IntN(len(ips))]
	port := ports[rand.IntN(len(ports))]
	addr := net.JoinHostPort(ip, strconv.Itoa(port))
	var wrap func(context.Context, net.Conn) (net.Conn, error)
	if secure != nil {
		a := Address{Host: host, IP: ip, Port: port}
		wrap = func(ctx context.Context, c net.Conn) (net.Conn, error) { return secure(ctx, c, a) }
	}
	return ip, probe.Noop(ctx, cfg.Dialer, addr, cfg.Codec, DefaultRecoveryProbeTimeout, wrap)
}

// probeDone takes a probe's report.
func (o *owner) probeDone(r *probeResult) {
	if r.gen != o.recovery.gen {
		return
	}
	o.recovery.gen, o.recovery.cancel = 0, nil
	if r.ip == "" || r.err != nil {
		if r.err != nil {
			o.logf(LogInfo, "recovery probe of %s failed: %v", r.ip, r.err)
		}
		return
	}
	for _, p := range o.settings.LongLinkPorts {
		o.scores.Unban(ipsort.Item{IP: r.ip, Port: p})
	}
	o.recovery.movable = true
	o.moveBackIfIdle()
}

// moveBackIfIdle leaves the backup IP once a probe answered and no task is
// running on the link.
func (o *owner) moveBackIfIdle() {
	if !o.recovery.movable || o.running > 0 || o.status != linkstatus.Connected || o.linkKind != AddressBackup {
		return
	}
	o.recovery.movable = false
	o.logf(LogInfo, "primary address answers again: leaving backup %v", o.linkAddr)
	o.disconnect()
	o.connectNow()
}
