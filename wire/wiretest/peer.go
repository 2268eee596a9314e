// Package wiretest scripts the far end of a long link for engine tests: a
// Peer reads and writes real Mars packets (through an [wire.Codec]) on a
// net.Conn, and each expectation fails the test with a clear message after a
// timeout. It works over loopback sockets and, with an
// in-memory conn such as net.Pipe, inside a testing/synctest bubble, where
// the timeouts run on virtual time.
package wiretest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/mars-go/mars/wire"
)

// DefaultTimeout bounds each expectation that something must happen
// (long for what must happen).
const DefaultTimeout = 10 * time.Second

// Peer is one scripted end of a long link. Its methods must be called from
// the test goroutine (they call t.Fatalf). The Peer closes the conn and waits
// for its reader in t.Cleanup.
type Peer struct {
	// Timeout bounds every Want* call and every write. Default 10 s.
	Timeout time.Duration

	t     testing.TB
	conn  net.Conn
	codec wire.Codec

	packets chan wire.Packet // from reader; closed when it exits
	stop    chan struct{}    // closed by Close: reader stops delivering
	once    sync.Once
	readErr error // why the reader stopped; read only after packets is closed
}

// NewPeer starts reading packets from conn and registers cleanup with t.
func NewPeer(t testing.TB, conn net.Conn, codec wire.Codec) *Peer {
	t.Helper()
	p := &Peer{
		Timeout: DefaultTimeout,
		t:       t,
		conn:    conn,
		codec:   codec,
		packets: make(chan wire.Packet, 256),
		stop:    make(chan struct{}),
	}
	go p.read()
	t.Cleanup(func() {
		p.Close()
		for range p.packets { // wait for the reader to exit
		}
	})
	return p
}

// Conn returns the underlying connection, for raw writes or closing halves.
func (p *Peer) Conn() net.Conn { return p.conn }

// read runs until the conn fails or the stream is corrupt.
func (p *Peer) read() {
	defer close(p.packets)
	s := wire.NewStream(p.codec)
	buf := make([]byte, 64<<10)
	for {
		n, err := p.conn.Read(buf)
		_, _ = s.Write(buf[:n]) // Stream.Write never fails
		for {
			pkt, ok, perr := s.Next()
			if perr != nil {
				p.readErr = fmt.Errorf("corrupt stream: %w", perr)
				return
			}
			if !ok {
				break
			}
			select {
			case p.packets <- pkt:
			case <-p.stop:
				p.readErr = net.ErrClosed
				return
			}
		}
		if err != nil {
			p.readErr = err
			return
		}
	}
}

// Close closes the connection. It is safe to call more than once.
func (p *Peer) Close() {
	p.once.Do(func() {
		close(p.stop)
		_ = p.conn.Close() // a second close or a peer reset is not a test failure
	})
}

// Next returns the next packet, or fails the test if none arrives within
// Timeout or the connection ends first.
func (p *Peer) Next() wire.Packet {
	p.t.Helper()
	select {
	case pkt, ok := <-p.packets:
		if !ok {
			p.t.Fatalf("wiretest: connection ended while a packet was expected: %v", p.readErr)
		}
		return pkt
	case <-time.After(p.Timeout):
		p.t.Fatalf("wiretest: no packet within %v", p.Timeout)
	}
	return wire.Packet{}
}

// WantPacket returns the next packet and fails unless its cmdid is cmd.
func (p *Peer) WantPacket(cmd uint32) wire.Packet {
	p.t.Helper()
	pkt := p.Next()
	if pkt.CmdID != cmd {
		p.t.Fatalf("wiretest: got %v, want cmdid %d", pkt, cmd)
	}
	return pkt
}

// WantNoop returns the next packet and fails unless it is a heartbeat
// request (cmdid 6, seq 0xFFFFFFFF).
func (p *Peer) WantNoop() wire.Packet {
	p.t.Helper()
	pkt := p.Next()
	if noop := p.codec.Noop(); pkt.CmdID != noop.CmdID || pkt.Seq != noop.Seq {
		p.t.Fatalf("wiretest: got %v, want noop %v", pkt, noop)
	}
	return pkt
}

// WantIdentify returns the next packet and fails unless its seq is the
// identify seq 0xFFFFFFFE.
func (p *Peer) WantIdentify() wire.Packet {
	p.t.Helper()
	pkt := p.Next()
	if pkt.Seq != wire.IdentifySeq {
		p.t.Fatalf("wiretest: got %v, want an identify request (seq %#x)", pkt, wire.IdentifySeq)
	}
	return pkt
}

// WantClosed fails unless the other side closes the connection within
// Timeout without sending another packet.
func (p *Peer) WantClosed() {
	p.t.Helper()
	select {
	case pkt, ok := <-p.packets:
		if ok {
			p.t.Fatalf("wiretest: got %v, want the connection closed", pkt)
		}
		if p.readErr != nil && !errors.Is(p.readErr, io.EOF) && !isReset(p.readErr) {
			p.t.Fatalf("wiretest: connection ended by %v, want a close by the peer", p.readErr)
		}
	case <-time.After(p.Timeout):
		p.t.Fatalf("wiretest: connection still open after %v", p.Timeout)
	}
}

// WantNothing fails if a packet arrives or the connection ends within d.
// Inside a synctest bubble, synctest.Wait before it is often enough with a
// small d.
func (p *Peer) WantNothing(d time.Duration) {
	p.t.Helper()
	select {
	case pkt, ok := <-p.packets:
		if ok {
			p.t.Fatalf("wiretest: got %v, want nothing for %v", pkt, d)
		}
		p.t.Fatalf("wiretest: connection ended (%v), want it idle for %v", p.readErr, d)
	case <-time.After(d):
	}
}
