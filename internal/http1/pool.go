package http1

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Pool keeps idle keep-alive connections by key, each until its own idle
// time runs out (then it is closed). It is safe for concurrent use; the
// zero Pool keeps one connection per key.
type Pool struct {
	MaxPerKey int // idle connections kept per key; 0 means 1

	mu   sync.Mutex
	idle map[string][]*idleConn
}

type idleConn struct {
	c     net.Conn
	timer *time.Timer
	// The watch: a read that ends when the server closes c or writes to it
	// unasked (then c is dropped), or when Get interrupts it.
	done chan struct{}
	n    int
	err  error
}

// Put keeps c idle under key for at most d. When key already has
// MaxPerKey idle connections, its oldest is closed. While c is idle one
// goroutine reads from it, so a close by the server is noticed at once.
func (p *Pool) Put(key string, c net.Conn, d time.Duration) {
	ic := &idleConn{c: c, done: make(chan struct{})}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.idle == nil {
		p.idle = map[string][]*idleConn{}
	}
	list := p.idle[key]
	if len(list) >= max(p.MaxPerKey, 1) {
		list[0].timer.Stop()
		_ = list[0].c.Close() // the oldest gives way
		list = list[1:]
	}
	ic.timer = time.AfterFunc(d, func() {
		if p.remove(key, ic) {
			_ = c.Close() // its idle time is over
		}
	})
	p.idle[key] = append(list, ic)
	go ic.watch(p, key)
}

// watch reads from the idle connection until something happens to it.
func (ic *idleConn) watch(p *Pool, key string) {
	var b [1]byte
	n, err := ic.c.Read(b[:])
	ic.n, ic.err = n, err
	close(ic.done)
	if p.remove(key, ic) {
		ic.timer.Stop()
		_ = ic.c.Close() // closed by the server, or it sent bytes nobody asked for
	}
}

// remove takes ic out of the pool; false when it was taken already.
func (p *Pool) remove(key string, ic *idleConn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[key]
	for i, x := range list {
		if x == ic {
			p.idle[key] = append(list[:i:i], list[i+1:]...)
			if len(p.idle[key]) == 0 {
				delete(p.idle, key)
			}
			return true
		}
	}
	return false
}

// Get takes key's most recently kept connection that the server has not
// closed or written to meanwhile; ok is false when there is none.
func (p *Pool) Get(key string) (c net.Conn, ok bool) {
	for {
		p.mu.Lock()
		list := p.idle[key]
		if len(list) == 0 {
			p.mu.Unlock()
			return nil, false
		}
		ic := list[len(list)-1]
		p.idle[key] = list[:len(list)-1]
		if len(p.idle[key]) == 0 {
			delete(p.idle, key)
		}
		p.mu.Unlock()
		ic.timer.Stop()
		if ic.interrupt() {
			return ic.c, true
		}
		_ = ic.c.Close() // closed by the server, or it sent bytes nobody asked for
	}
}

// interrupt ends the watch; true when it saw nothing happen.
func (ic *idleConn) interrupt() bool {
	if ic.c.SetReadDeadline(time.Unix(1, 0)) != nil {
		return false
	}
	<-ic.done
	var ne net.Error
	if ic.n > 0 || !errors.As(ic.err, &ne) || !ne.Timeout() {
		return false
	}
	return ic.c.SetReadDeadline(time.Time{}) == nil
}

// CloseIdle closes every idle connection.
func (p *Pool) CloseIdle() {
	p.mu.Lock()
	all := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, list := range all {
		for _, ic := range list {
			ic.timer.Stop()
			_ = ic.c.Close() // dropped with the pool
		}
	}
}
