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
	timer   *ownerTimer
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
func (ll *longLink) onConnectedForRecovery(time.Time) {
	ll.recovery.movable = false
	ll.cancelProbe()
	if ll.linkKind == AddressBackup {
		ll.recovery.timer.Reset(ll.cfg.Recovery.Period)
		return
	}
	ll.recovery.timer.Stop()
}

func (ll *longLink) onRecoveryTimer() {
	if !ll.connected() || ll.linkKind != AddressBackup {
		return
	}
	ll.recovery.timer.Reset(ll.cfg.Recovery.Period)
	now := time.Now()
	if !ll.o.active || ll.recovery.gen != 0 || !ll.admitProbe(now) {
		return
	}
	ll.recovery.seq++
	s := ll.addressSettings()
	gen, cfg, host, cur, secure := ll.recovery.seq, ll.cfg, s.LongLinkHost, ll.linkAddr, ll.secure
	ports := append([]int(nil), s.LongLinkPorts...)
	ll.recovery.gen = gen
	ctx, cancel := context.WithCancel(ll.o.e.bg)
	ll.recovery.cancel = cancel
	src := netsource.Source{NewDns: ll.askNewDns(), DoH: ll.o.dohResolver(),
		NewDnsTimeout: cfg.NewDnsTimeout, Resolver: cfg.Resolver, ResolverTimeout: cfg.ResolverTimeout}
	e := ll.o.e
	e.wg.Go(func() {
		defer cancel()
		r := &probeResult{gen: gen}
		r.ip, r.err = runProbe(ctx, src, cfg, host, cur, ports, secure)
		e.runOnOwner(func(*owner) { ll.probeDone(r) })
	})
}

// cancelProbe ends the probe in flight, if any; its result is ignored.
func (ll *longLink) cancelProbe() {
	if ll.recovery.cancel != nil {
		ll.recovery.cancel()
		ll.recovery.cancel = nil
	}
	ll.recovery.gen = 0
}

// admitProbe applies the per-hour limit.
func (ll *longLink) admitProbe(now time.Time) bool {
	kept := ll.recovery.probes[:0]
	for _, t := range ll.recovery.probes {
		if now.Sub(t) < time.Hour {
			kept = append(kept, t)
		}
	}
	ll.recovery.probes = kept
	if len(kept) >= ll.cfg.Recovery.ProbesPerHour {
		return false
	}
	ll.recovery.probes = append(ll.recovery.probes, now)
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
	return ip, probe.Noop(ctx, cfg.Dialer, addr, cfg.Codec, cfg.Recovery.ProbeTimeout, wrap)
}

// probeDone takes a probe's report.
func (ll *longLink) probeDone(r *probeResult) {
	if r.gen != ll.recovery.gen {
		return
	}
	ll.recovery.gen, ll.recovery.cancel = 0, nil
	if r.ip == "" || r.err != nil {
		if r.err != nil {
			ll.o.logf(LogInfo, "recovery probe of %s failed: %v", r.ip, r.err)
		}
		return
	}
	for _, p := range ll.addressSettings().LongLinkPorts {
		ll.scores.Unban(ipsort.Item{IP: r.ip, Port: p})
	}
	ll.recovery.movable = true
	ll.moveBackIfIdle()
}

// moveBackIfIdle leaves the backup IP once a probe answered and no task is
// running on the link.
func (ll *longLink) moveBackIfIdle() {
	if !ll.recovery.movable || ll.running > 0 || ll.status != linkstatus.Connected || ll.linkKind != AddressBackup {
		return
	}
	ll.recovery.movable = false
	ll.o.logf(LogInfo, "primary address answers again: leaving backup %v", ll.linkAddr)
	ll.disconnect()
	ll.connectNow()
}
