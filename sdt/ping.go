package sdt

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// pingSocket is an open ICMP echo endpoint for one address family.
type pingSocket struct {
	conn       *icmp.PacketConn
	privileged bool // raw socket: we pick the echo id and see every ICMP packet
	v6         bool
}

// openPingSocket tries an unprivileged datagram socket first (Linux allows it
// to the groups in net.ipv4.ping_group_range) and a raw one second.
func openPingSocket(v6 bool) (*pingSocket, error) {
	dgram, raw, any := "udp4", "ip4:icmp", "0.0.0.0"
	if v6 {
		dgram, raw, any = "udp6", "ip6:ipv6-icmp", "::"
	}
	conn, uerr := icmp.ListenPacket(dgram, any)
	if uerr == nil {
		return &pingSocket{conn: conn, v6: v6}, nil
	}
	conn, rerr := icmp.ListenPacket(raw, any)
	if rerr == nil {
		return &pingSocket{conn: conn, privileged: true, v6: v6}, nil
	}
	return nil, fmt.Errorf("ICMP echo not permitted (datagram socket: %w; raw socket: %w)", uerr, rerr)
}

// ping sends PingCount echo requests to the address host, PingInterval
// apart, and collects replies until all are answered or PingTimeout passes.
// A system that allows no ICMP socket gives ReasonNotPermitted.
func (r *run) ping(ctx context.Context, host string) Result {
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return Result{Reason: ReasonNoAddress, Error: fmt.Sprintf("ping needs an IP address, got %q", host)}
	}
	sock, err := r.openPing(ip.Unmap().Is6())
	if err != nil {
		f := failure(ctx, KindPing, host, err)
		if !errors.Is(err, context.Canceled) && ctx.Err() == nil {
			f.Reason = ReasonNotPermitted
		}
		return f
	}
	defer sock.conn.Close()
	ctx, cancel := context.WithTimeout(ctx, r.cfg.PingTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = sock.conn.SetReadDeadline(time.Now()) })
	defer stop()
	e := newEchoer(sock, ip.Unmap())
	out := e.run(ctx, r.cfg.PingCount, r.cfg.PingInterval)
	out.Privileged = sock.privileged
	return out
}

// echoer is the state of one ping check.
type echoer struct {
	sock   *pingSocket
	dst    net.Addr
	id     int
	token  [8]byte // random payload prefix telling our replies from others'
	sentAt map[int]time.Time
	res    Result
}

func newEchoer(sock *pingSocket, ip netip.Addr) *echoer {
	e := &echoer{sock: sock, sentAt: map[int]time.Time{}}
	_, _ = rand.Read(e.token[:]) // crypto/rand.Read never fails
	e.id = int(binary.BigEndian.Uint16(e.token[:2]))
	if sock.privileged {
		e.dst = &net.IPAddr{IP: ip.AsSlice(), Zone: ip.Zone()}
	} else {
		e.dst = &net.UDPAddr{IP: ip.AsSlice(), Zone: ip.Zone()}
	}
	return e
}

// run sends count echoes interval apart, reading replies in between, then
// waits for the missing replies until ctx ends.
func (e *echoer) run(ctx context.Context, count int, interval time.Duration) Result {
	next := time.Now()
	for seq := 1; seq <= count; seq++ {
		if seq > 1 {
			next = next.Add(interval)
			if err := e.readUntil(ctx, next, false); err != nil {
				return e.finish(ctx, err)
			}
		}
		if err := e.send(seq); err != nil {
			return e.finish(ctx, err)
		}
	}
	deadline, _ := ctx.Deadline()
	return e.finish(ctx, e.readUntil(ctx, deadline, true))
}

func (e *echoer) send(seq int) error {
	typ := icmp.Type(ipv4.ICMPTypeEcho)
	if e.sock.v6 {
		typ = ipv6.ICMPTypeEchoRequest
	}
	data := make([]byte, DefaultPingPayload)
	copy(data, e.token[:])
	msg := icmp.Message{Type: typ, Body: &icmp.Echo{ID: e.id, Seq: seq, Data: data}}
	b, err := msg.Marshal(nil)
	if err != nil {
		return err
	}
	e.sentAt[seq] = time.Now()
	e.res.Sent++
	_, err = e.sock.conn.WriteTo(b, e.dst)
	return err
}

// readUntil reads replies until t passes, or — when untilAnswered is set —
// until every echo sent is answered. It returns nil in both cases and
// ctx's error when ctx ends first.
func (e *echoer) readUntil(ctx context.Context, t time.Time, untilAnswered bool) error {
	buf := make([]byte, 1500)
	for ctx.Err() == nil {
		if untilAnswered && e.res.Received == e.res.Sent {
			return nil
		}
		if err := e.sock.conn.SetReadDeadline(t); err != nil {
			return err
		}
		if ctx.Err() != nil { // ctx ended before the deadline was set: the AfterFunc's wake-up was overwritten
			break
		}
		n, from, err := e.sock.conn.ReadFrom(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if time.Now().Before(t) && ctx.Err() == nil {
				continue
			}
			break
		}
		if err != nil {
			return err
		}
		if !sameIP(from, e.dst) {
			continue
		}
		seq, ok := parseEchoReply(buf[:n], e.sock.v6, e.id, e.sock.privileged, e.token[:])
		if sent, pending := e.sentAt[seq]; ok && pending {
			delete(e.sentAt, seq)
			e.res.Received++
			e.res.RTTs = append(e.res.RTTs, time.Since(sent))
		}
	}
	return ctx.Err()
}

// finish turns what was received into the result: one reply is enough.
func (e *echoer) finish(ctx context.Context, err error) Result {
	out := e.res
	switch {
	case out.Received > 0:
		out.OK = true
	case err != nil && ctx.Err() == nil:
		f := failure(ctx, KindPing, "", err)
		out.Reason, out.Error, out.Errno, out.ErrnoName = f.Reason, f.Error, f.Errno, f.ErrnoName
	case errors.Is(context.Cause(ctx), context.Canceled):
		out.Reason, out.Error = ReasonCanceled, "canceled before any echo reply"
	default:
		out.Reason, out.Error = ReasonTimeout, "no echo reply"
	}
	return out
}

// sameIP reports whether a reply's source is the address pinged.
func sameIP(from, dst net.Addr) bool {
	ipOf := func(a net.Addr) net.IP {
		switch a := a.(type) {
		case *net.IPAddr:
			return a.IP
		case *net.UDPAddr:
			return a.IP
		}
		return nil
	}
	f, d := ipOf(from), ipOf(dst)
	return f != nil && f.Equal(d)
}

// parseEchoReply reads an ICMP message from an echo socket and returns the
// sequence number if it is an echo reply carrying token — and, on a raw
// socket where the kernel does not filter by id, our id.
func parseEchoReply(b []byte, v6 bool, id int, checkID bool, token []byte) (int, bool) {
	proto, want := 1, icmp.Type(ipv4.ICMPTypeEchoReply)
	if v6 {
		proto, want = 58, ipv6.ICMPTypeEchoReply
	}
	m, err := icmp.ParseMessage(proto, b)
	if err != nil || m.Type != want {
		return 0, false
	}
	echo, ok := m.Body.(*icmp.Echo)
	if !ok || (checkID && echo.ID != id) || len(echo.Data) < len(token) || string(echo.Data[:len(token)]) != string(token) {
		return 0, false
	}
	return echo.Seq, true
}
