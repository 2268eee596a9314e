package faultnet

import (
	"bytes"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Faults shape what a Proxy does to the connections it forwards. They may
// be changed while it runs (SetFaults); a change applies to new
// connections, except Stall, which applies at once.
type Faults struct {
	Latency   time.Duration // added to each direction's delivery
	Bandwidth int           // bytes/s per direction; 0: unlimited
	ResetRate float64       // share of accepted connections reset at once (RST)
	Stall     bool          // forward nothing while set
}

// Proxy forwards 127.0.0.1:port to a target with faults.
type Proxy struct {
	l      net.Listener
	target atomic.Pointer[string]
	faults atomic.Pointer[Faults]
	resume chan struct{} // closed when a stall ends

	mu       sync.Mutex // guards conns, the counters and rnd
	conns    map[net.Conn]bool
	accepted int
	reset    int
	rnd      *rand.Rand
	stallMu  sync.Mutex // guards resume against SetFaults
	wg       sync.WaitGroup
}

// NewProxy listens on 127.0.0.1:0 and forwards to target.
func NewProxy(target string, f Faults) (*Proxy, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{l: l, conns: map[net.Conn]bool{}, resume: make(chan struct{}), rnd: rand.New(rand.NewPCG(1, 2))}
	close(p.resume)
	p.target.Store(&target)
	p.SetFaults(f)
	p.wg.Go(p.acceptLoop)
	return p, nil
}

// Addr is the proxy's address.
func (p *Proxy) Addr() string { return p.l.Addr().String() }

// SetTarget changes where new connections go.
func (p *Proxy) SetTarget(t string) { p.target.Store(&t) }

// SetFaults replaces the faults.
func (p *Proxy) SetFaults(f Faults) {
	p.stallMu.Lock()
	old := p.faults.Load()
	if f.Stall && (old == nil || !old.Stall) {
		p.resume = make(chan struct{})
	}
	if !f.Stall && old != nil && old.Stall {
		close(p.resume)
	}
	p.faults.Store(&f)
	p.stallMu.Unlock()
}

// Stats returns how many connections were accepted and how many reset.
func (p *Proxy) Stats() (accepted, reset int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted, p.reset
}

// CloseConns drops every forwarded connection (both sides closed).
func (p *Proxy) CloseConns() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close() // dropping is the point
	}
}

// ResetConns aborts every forwarded connection with an RST on both sides
// (SO_LINGER 0), as a middlebox dropping its state does: the peers see
// ECONNRESET rather than an orderly close.
func (p *Proxy) ResetConns() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns { // linger first: a pipe closing its other side must reset too
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST
		}
	}
	for c := range p.conns {
		_ = c.Close() // resetting is the point
	}
}

// Close stops the proxy and every connection, and waits for its goroutines.
func (p *Proxy) Close() error {
	err := p.l.Close()
	p.SetFaults(Faults{})
	p.CloseConns()
	p.wg.Wait()
	return err
}

func (p *Proxy) acceptLoop() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		f := *p.faults.Load()
		p.mu.Lock()
		p.accepted++
		doReset := f.ResetRate > 0 && p.rnd.Float64() < f.ResetRate
		if doReset {
			p.reset++
		}
		p.mu.Unlock()
		if doReset {
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // close with RST
			}
			_ = c.Close()
			continue
		}
		p.wg.Go(func() { p.forward(c, f) })
	}
}

func (p *Proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
}

func (p *Proxy) forward(c net.Conn, f Faults) {
	up, err := net.DialTimeout("tcp", *p.target.Load(), 5*time.Second)
	if err != nil {
		_ = c.Close() // the target is down: so is this connection
		return
	}
	p.track(c, true)
	p.track(up, true)
	var wg sync.WaitGroup
	wg.Go(func() { p.pipe(up, c, f) })
	wg.Go(func() { p.pipe(c, up, f) })
	wg.Wait()
	p.track(c, false)
	p.track(up, false)
}

type chunk struct {
	b  []byte
	at time.Time
}

// pipe copies src to dst with the faults: each chunk is delivered Latency
// after it was read, paced to Bandwidth, and held while stalled.
func (p *Proxy) pipe(dst, src net.Conn, f Faults) {
	defer dst.Close()
	defer src.Close()
	q := make(chan chunk, 1024)
	go func() {
		defer close(q)
		b := make([]byte, 16<<10)
		for {
			n, err := src.Read(b)
			if n > 0 { // a copy of what was read, so a queue of small reads stays small
				q <- chunk{bytes.Clone(b[:n]), time.Now().Add(f.Latency)}
			}
			if err != nil {
				return
			}
		}
	}()
	for ch := range q {
		p.waitStall()
		if d := time.Until(ch.at); d > 0 {
			time.Sleep(d)
		}
		if err := p.write(dst, ch.b, f.Bandwidth); err != nil {
			_ = src.Close() // unblock the reader
			for range q {
			}
			return
		}
	}
}

func (p *Proxy) waitStall() {
	p.stallMu.Lock()
	r := p.resume
	p.stallMu.Unlock()
	<-r
}

// write paces b to bw bytes/s in 1 KiB slices.
func (p *Proxy) write(dst net.Conn, b []byte, bw int) error {
	if bw <= 0 {
		_, err := dst.Write(b)
		return err
	}
	for len(b) > 0 {
		n := min(len(b), 1024)
		start := time.Now()
		if _, err := dst.Write(b[:n]); err != nil {
			return err
		}
		if d := time.Duration(n)*time.Second/time.Duration(bw) - time.Since(start); d > 0 {
			time.Sleep(d)
		}
		b = b[n:]
	}
	return nil
}
