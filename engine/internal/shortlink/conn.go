package shortlink

import (
	"net"
	"sync/atomic"
	"time"
)

// Progress receives an attempt's events; the engine turns them into owner
// events. Methods run on the attempt's goroutine and must not block.
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

// conn is an attempt's connection (raced, maybe TLS) with progress and
// traffic counting on both sides.
type conn struct {
	net.Conn
	addr    string
	traffic func(send, recv int64)
	sink    atomic.Pointer[progressSink]
}

// progressSink is the current attempt's Progress, swapped per attempt.
type progressSink struct{ p Progress }

func (c *conn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if c.traffic != nil && n > 0 {
		c.traffic(int64(n), 0)
	}
	return n, err
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
