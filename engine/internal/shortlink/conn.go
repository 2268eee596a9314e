package shortlink

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Progress receives an attempt's events; the engine turns them into owner
// events. Methods run on net/http's goroutines and must not block.
type Progress interface {
	// Connected: the attempt has a connection to addr ("ip:port"); reused
	// says it came from the keep-alive pool.
	Connected(addr string, reused bool)
	// Sending: the request is about to be written (Mars's OnSend; connect
	// time is not part of the first-packet timeout).
	Sending(at time.Time)
	// Received: n response bytes were read at at.
	Received(n int, at time.Time)
}

// conn is what the Transport holds: the raced (and maybe TLS) connection,
// with the header re-sort on the write side and progress and traffic
// counting on both.
type conn struct {
	net.Conn
	addr    string
	traffic func(send, recv int64)
	sink    atomic.Pointer[progressSink]

	wmu   sync.Mutex // net/http writes from one goroutine; this guards order
	order orderer
	wbuf  []byte

	imu  sync.Mutex
	idle *time.Timer // closes the connection when the server's keep-alive ends
}

// idleFor closes c after d unless an attempt takes it first: the server's
// "Keep-Alive: timeout=N" (Mars's socket pool honours it, http.cc:403-427).
func (c *conn) idleFor(d time.Duration) {
	c.imu.Lock()
	defer c.imu.Unlock()
	if c.idle != nil {
		c.idle.Stop()
	}
	c.idle = time.AfterFunc(d, func() { _ = c.Close() }) // the pool notices and drops it
}

// busy stops the idle clock: an attempt took c from the pool.
func (c *conn) busy() {
	c.imu.Lock()
	defer c.imu.Unlock()
	if c.idle != nil {
		c.idle.Stop()
		c.idle = nil
	}
}

// progressSink is the current attempt's Progress, swapped per attempt.
type progressSink struct{ p Progress }

func (c *conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.wbuf = c.order.feed(c.wbuf[:0], p)
	if len(c.wbuf) > 0 {
		n, err := c.Conn.Write(c.wbuf)
		if c.traffic != nil && n > 0 {
			c.traffic(int64(n), 0)
		}
		if err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		if c.traffic != nil {
			c.traffic(0, int64(n))
		}
		if s := c.sink.Load(); s != nil {
			s.p.Received(n, time.Now())
		}
	}
	return n, err
}
