// Package fakenet is an in-memory network for engine tests: a buffered
// full-duplex conn with deadlines (unlike net.Pipe, a write never waits for
// the reader) and a dialer whose per-address behaviour a test steers: hold a
// dial, then resume or fail it; refuse; blackhole.
//
// Everything blocks on channels only, so it works inside a testing/synctest
// bubble, where deadlines and connect timeouts run on virtual time.
package fakenet

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Addr is a fake network address.
type Addr string

// Network is "fake".
func (Addr) Network() string { return "fake" }

func (a Addr) String() string { return string(a) }

// pipe is one direction of a conn: an unbounded byte buffer.
type pipe struct {
	mu     sync.Mutex
	buf    []byte
	closed bool          // writer side closed: reads drain then EOF
	werr   error         // when set, writes fail with it (FailPeerWrites)
	ready  chan struct{} // signalled when data or close arrives
}

func newPipe() *pipe { return &pipe{ready: make(chan struct{}, 1)} }

func (p *pipe) signal() {
	select {
	case p.ready <- struct{}{}:
	default:
	}
}

func (p *pipe) write(b []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.werr != nil {
		return p.werr
	}
	if p.closed {
		return io.ErrClosedPipe
	}
	p.buf = append(p.buf, b...)
	p.signal()
	return nil
}

func (p *pipe) close() {
	p.mu.Lock()
	p.closed = true
	p.signal()
	p.mu.Unlock()
}

// read copies what is buffered into b; ok false means nothing was there.
func (p *pipe) read(b []byte) (n int, ok bool, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.buf) > 0 {
		n = copy(b, p.buf)
		p.buf = p.buf[n:]
		if len(p.buf) > 0 {
			p.signal() // more for the next read
		}
		return n, true, nil
	}
	if p.closed {
		return 0, true, io.EOF
	}
	return 0, false, nil
}

// Conn is one end of an in-memory connection.
type Conn struct {
	in, out       *pipe
	local, remote Addr

	closed    chan struct{}
	closeOnce sync.Once

	mu            sync.Mutex
	readDeadline  time.Time
	writeDeadline time.Time
}

// Pair returns the two connected ends: a (at addrA) and b (at addrB).
func Pair(addrA, addrB string) (a, b *Conn) {
	ab, ba := newPipe(), newPipe()
	a = &Conn{in: ba, out: ab, local: Addr(addrA), remote: Addr(addrB), closed: make(chan struct{})}
	b = &Conn{in: ab, out: ba, local: Addr(addrB), remote: Addr(addrA), closed: make(chan struct{})}
	return a, b
}

// Read reads buffered bytes, waiting for some, for the peer's close (EOF),
// for the read deadline or for Close.
func (c *Conn) Read(b []byte) (int, error) {
	for {
		select {
		case <-c.closed:
			return 0, net.ErrClosed
		default:
		}
		n, ok, err := c.in.read(b)
		if ok {
			return n, err
		}
		c.mu.Lock()
		dl := c.readDeadline
		c.mu.Unlock()
		var expired <-chan time.Time
		if !dl.IsZero() {
			d := time.Until(dl)
			if d <= 0 {
				return 0, os.ErrDeadlineExceeded
			}
			t := time.NewTimer(d)
			defer t.Stop()
			expired = t.C
		}
		select {
		case <-c.in.ready:
		case <-c.closed:
		case <-expired:
		}
	}
}

// Write buffers b for the peer; it never waits.
func (c *Conn) Write(b []byte) (int, error) {
	select {
	case <-c.closed:
		return 0, net.ErrClosed
	default:
	}
	c.mu.Lock()
	dl := c.writeDeadline
	c.mu.Unlock()
	if !dl.IsZero() && !time.Now().Before(dl) {
		return 0, os.ErrDeadlineExceeded
	}
	if err := c.out.write(b); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Close closes this end; the peer reads EOF after what was written.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.out.close()
		c.in.close()
	})
	return nil
}

// FailPeerWrites makes every later write of the other end fail with err
// (say syscall.EPIPE) while its reads go on: a write error the peer's
// reader cannot see first as an EOF.
func (c *Conn) FailPeerWrites(err error) {
	c.in.mu.Lock()
	c.in.werr = err
	c.in.mu.Unlock()
}

// LocalAddr implements net.Conn.
func (c *Conn) LocalAddr() net.Addr { return c.local }

// RemoteAddr implements net.Conn.
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline sets both deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.readDeadline, c.writeDeadline = t, t
	c.mu.Unlock()
	c.in.signal() // let a waiting Read see the new deadline
	return nil
}

// SetReadDeadline implements net.Conn.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.readDeadline = t
	c.mu.Unlock()
	c.in.signal()
	return nil
}

// SetWriteDeadline implements net.Conn.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.writeDeadline = t
	c.mu.Unlock()
	return nil
}
