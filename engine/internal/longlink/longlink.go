// Package longlink runs the I/O of one long-link connection: a reader
// goroutine that turns bytes into packets and a writer goroutine that writes
// queued packets. Both only report what happened through Events; every
// decision (timeouts, retries, heartbeats) belongs to the engine's owner
// goroutine.
package longlink

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mars-go/mars/wire"
)

// Events receives what a Link observes. Its methods are called from the
// link's goroutines and must not block (the engine posts them to its inbox).
type Events interface {
	// Received delivers complete packets, in arrival order. The consumer
	// gives each packet's Cost back with Release once it is done with it;
	// while more than the link's backlog is unreleased the reader stops
	// reading the socket.
	Received(l *Link, pkts []wire.Packet)
	// Progress reports that part of a response to seq has arrived.
	Progress(l *Link, seq uint32)
	// Written reports that the packets with these seqs were written, at
	// time at, in one write of n bytes.
	Written(l *Link, seqs []uint32, n int, at time.Time)
	// Closed reports the end of the connection, exactly once.
	Closed(l *Link, why Reason)
}

// ReasonKind classifies why a link ended.
type ReasonKind int

// Reason kinds.
const (
	Local      ReasonKind = iota // Close was called
	PeerClosed                   // the peer closed the stream (EOF)
	ReadError                    // a read failed
	WriteError                   // a write failed
	Corrupt                      // the codec rejected the stream
)

// Reason says why a link ended. Errno is the system error number when one
// is known (ReadError, WriteError), else 0.
type Reason struct {
	Kind  ReasonKind
	Errno int
	Err   error
}

// readChunk is the size of one read (Mars reads up to 64 KiB per event).
const readChunk = 64 << 10

// Link is one running connection.
type Link struct {
	conn      net.Conn
	codec     wire.Codec
	maxPacket int // a packet, whole or still arriving, beyond this is corrupt; 0: no limit
	ev        Events
	trafic    func(send, recv int64)

	wake chan struct{} // writer wake-up

	mu      sync.Mutex // guards the send queue, the backlog and closing state only
	queue   []outgoing
	closing bool

	backlog    int           // bytes the reader may hand out unreleased; <= 0: no bound
	unreleased int           // Cost of the packets delivered and not yet released
	room       chan struct{} // wakes a reader waiting for the backlog to shrink
	paused     atomic.Bool   // the reader waits for room

	endOnce sync.Once
}

type outgoing struct {
	seq uint32
	pkt []byte
}

// Limits bound what a Link takes in.
type Limits struct {
	// MaxPacket (0: none) bounds one received packet, whatever the codec
	// checks itself: a packet larger, or one still incomplete with more
	// buffered, is a corrupt stream (wire.ErrTooLarge).
	MaxPacket int
	// Backlog bounds the bytes (by Cost) of delivered packets not yet
	// released; <= 0 means no bound.
	Backlog int
}

// Start runs the reader and writer of conn in goroutines tracked by wg.
// traffic (may be nil) is called after every read and write with its byte
// count, from the I/O goroutines.
func Start(conn net.Conn, codec wire.Codec, lim Limits, ev Events, traffic func(send, recv int64), wg *sync.WaitGroup) *Link {
	if traffic == nil {
		traffic = func(int64, int64) {}
	}
	l := &Link{conn: conn, codec: codec, maxPacket: lim.MaxPacket, ev: ev, trafic: traffic, wake: make(chan struct{}, 1),
		backlog: lim.Backlog, room: make(chan struct{}, 1)}
	wg.Go(l.readLoop)
	wg.Go(l.writeLoop)
	return l
}

// RemoteAddr is the peer's address.
func (l *Link) RemoteAddr() net.Addr { return l.conn.RemoteAddr() }

// Send queues an encoded packet for seq. It reports false once the link is
// closing.
func (l *Link) Send(seq uint32, pkt []byte) bool {
	return l.enqueue(seq, pkt, false)
}

// SendIfIdle queues pkt only when nothing else waits to be written (Mars's
// SendWhenNoData, used for heartbeats).
func (l *Link) SendIfIdle(seq uint32, pkt []byte) bool {
	return l.enqueue(seq, pkt, true)
}

func (l *Link) enqueue(seq uint32, pkt []byte, onlyIfIdle bool) bool {
	l.mu.Lock()
	if l.closing || (onlyIfIdle && len(l.queue) > 0) {
		l.mu.Unlock()
		return false
	}
	l.queue = append(l.queue, outgoing{seq, pkt})
	select { // under mu, so shutdown cannot close wake in between
	case l.wake <- struct{}{}:
	default:
	}
	l.mu.Unlock()
	return true
}

// Cancel removes seq's packet if not a byte of it was written yet.
func (l *Link) Cancel(seq uint32) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, o := range l.queue {
		if o.seq == seq {
			l.queue = append(l.queue[:i], l.queue[i+1:]...)
			return true
		}
	}
	return false
}

// Close closes the connection; the reader then reports Closed with Local.
func (l *Link) Close() { l.shutdown(Reason{Kind: Local}) }

// packetOverhead is what a packet costs beyond its body, so that a flood
// of empty pushes is bounded too.
const packetOverhead = 64

// Cost is what a delivered packet counts against the backlog.
func Cost(p wire.Packet) int { return BodyCost(len(p.Body)) }

// BodyCost is the Cost of a packet whose body has n bytes.
func BodyCost(n int) int { return n + packetOverhead }

// Release gives back the Cost of packets the consumer is done with.
func (l *Link) Release(cost int) {
	l.mu.Lock()
	l.unreleased -= cost
	l.mu.Unlock()
	select {
	case l.room <- struct{}{}:
	default:
	}
}

// Paused reports whether the reader has stopped reading because the
// consumer is behind; silence from the peer then says nothing about it.
func (l *Link) Paused() bool { return l.paused.Load() }

// waitForRoom blocks the reader while the backlog is full. It reports
// false when the link closed meanwhile.
func (l *Link) waitForRoom() bool {
	for {
		l.mu.Lock()
		closing, full := l.closing, l.backlog > 0 && l.unreleased >= l.backlog
		l.mu.Unlock()
		if closing {
			return false
		}
		if !full {
			return true
		}
		l.paused.Store(true)
		<-l.room
		l.paused.Store(false)
	}
}

// shutdown closes the connection once and reports why, once.
func (l *Link) shutdown(why Reason) {
	l.endOnce.Do(func() {
		l.mu.Lock()
		l.closing = true
		l.queue = nil
		close(l.wake)
		l.mu.Unlock()
		select { // a reader waiting for room sees closing
		case l.room <- struct{}{}:
		default:
		}
		_ = l.conn.Close() // the error says nothing the reason does not
		l.ev.Closed(l, why)
	})
}

func (l *Link) writeLoop() {
	var bufs net.Buffers
	var seqs []uint32
	for range l.wake {
		l.mu.Lock()
		batch := l.queue
		l.queue = nil
		l.mu.Unlock()
		if len(batch) == 0 {
			continue
		}
		bufs = bufs[:0]
		seqs = make([]uint32, 0, len(batch)) // handed to the owner
		for _, o := range batch {
			bufs = append(bufs, o.pkt)
			seqs = append(seqs, o.seq)
		}
		write := bufs // WriteTo consumes its receiver
		n, err := write.WriteTo(l.conn)
		if n > 0 {
			l.trafic(n, 0)
		}
		if err != nil {
			l.shutdown(Reason{Kind: WriteError, Errno: errnoOf(err), Err: err})
			return
		}
		l.ev.Written(l, seqs, int(n), time.Now())
	}
}

func (l *Link) readLoop() {
	in := wire.NewStreamSize(l.codec, readChunk)
	in.MaxPacket = l.maxPacket
	for {
		n, err := in.ReadOnce(l.conn)
		if n > 0 {
			l.trafic(0, int64(n))
			if perr := l.deliver(in); perr != nil {
				l.shutdown(Reason{Kind: Corrupt, Err: perr})
				return
			}
			if !l.waitForRoom() {
				return // closed: shutdown already reported why
			}
		}
		if err != nil {
			switch {
			case errors.Is(err, io.EOF):
				l.shutdown(Reason{Kind: PeerClosed, Err: err})
			default:
				l.shutdown(Reason{Kind: ReadError, Errno: errnoOf(err), Err: err})
			}
			return
		}
	}
}

// deliver reports every complete packet in, then the progress of a
// partial one; the error is the stream's corruption, after the packets
// before it were reported.
func (l *Link) deliver(in *wire.Stream) error {
	var pkts []wire.Packet
	var perr error
	cost := 0
	for {
		p, ok, err := in.Next()
		if !ok {
			perr = err
			break
		}
		pkts = append(pkts, p)
		cost += Cost(p)
	}
	if len(pkts) > 0 {
		l.mu.Lock()
		l.unreleased += cost
		l.mu.Unlock()
		l.ev.Received(l, pkts)
	}
	if perr != nil {
		return perr
	}
	if seq, ok := in.PeekSeq(); ok {
		l.ev.Progress(l, seq)
	}
	return nil
}

// errnoOf digs the system error number out of err, or returns 0.
func errnoOf(err error) int {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return int(errno)
	}
	return 0
}
