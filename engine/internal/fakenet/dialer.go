package fakenet

import (
	"context"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"
)

// Network is a set of fake listeners and the dialer that reaches them.
// Addresses with no listener refuse connections (ECONNREFUSED).
type Network struct {
	mu        sync.Mutex
	listeners map[string]*Listener
	holds     map[string]chan error // addr → where a held dial waits
	blackhole map[string]bool
	dials     map[string]int
	dialed    chan string // every dial attempt's address, for tests that wait
	rtt       time.Duration
}

// NewNetwork returns an empty network.
func NewNetwork() *Network {
	return &Network{
		listeners: map[string]*Listener{},
		holds:     map[string]chan error{},
		blackhole: map[string]bool{},
		dials:     map[string]int{},
		dialed:    make(chan string, 1024),
	}
}

// Listener accepts the server ends of connections dialled to its address.
type Listener struct {
	addr   string
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

// Listen starts accepting connections to addr.
func (n *Network) Listen(addr string) *Listener {
	l := &Listener{addr: addr, conns: make(chan net.Conn, 16), closed: make(chan struct{})}
	n.mu.Lock()
	n.listeners[addr] = l
	n.mu.Unlock()
	return l
}

// Accept returns the next connection.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops the listener; later dials are refused.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *Listener) isClosed() bool {
	select {
	case <-l.closed:
		return true
	default:
		return false
	}
}

// Addr implements net.Listener.
func (l *Listener) Addr() net.Addr { return Addr(l.addr) }

// Hold makes the next dials to addr wait until Resume, Fail or their context
// ends.
func (n *Network) Hold(addr string) {
	n.mu.Lock()
	n.holds[addr] = make(chan error, 64)
	n.mu.Unlock()
}

// Resume lets one held dial to addr go on, and lifts the hold.
func (n *Network) Resume(addr string) { n.release(addr, nil) }

// Fail makes one held dial to addr fail with err, and lifts the hold.
func (n *Network) Fail(addr string, err error) { n.release(addr, err) }

func (n *Network) release(addr string, err error) {
	n.mu.Lock()
	ch := n.holds[addr]
	delete(n.holds, addr)
	n.mu.Unlock()
	if ch != nil {
		ch <- err
	}
}

// SetRTT makes every connect that reaches a listener take rtt (a SYN and
// its answer); refusals stay immediate.
func (n *Network) SetRTT(rtt time.Duration) {
	n.mu.Lock()
	n.rtt = rtt
	n.mu.Unlock()
}

// Blackhole makes dials to addr hang until their context ends.
func (n *Network) Blackhole(addr string) {
	n.mu.Lock()
	n.blackhole[addr] = true
	n.mu.Unlock()
}

// Dials returns how many dials to addr were attempted.
func (n *Network) Dials(addr string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.dials[addr]
}

// Dialed delivers the address of every dial attempt as it starts.
func (n *Network) Dialed() <-chan string { return n.dialed }

// DialContext implements the engine's Dialer.
func (n *Network) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	n.dials[addr]++
	hold, black := n.holds[addr], n.blackhole[addr]
	n.mu.Unlock()
	select {
	case n.dialed <- addr:
	default:
	}
	if black {
		<-ctx.Done()
		return nil, dialErr(addr, ctx.Err())
	}
	if hold != nil {
		select {
		case err := <-hold:
			if err != nil {
				return nil, dialErr(addr, err)
			}
		case <-ctx.Done():
			return nil, dialErr(addr, ctx.Err())
		}
	}
	n.mu.Lock()
	l, rtt := n.listeners[addr], n.rtt
	n.mu.Unlock()
	if l == nil || l.isClosed() {
		return nil, dialErr(addr, syscall.ECONNREFUSED)
	}
	if rtt > 0 {
		select {
		case <-time.After(rtt):
		case <-ctx.Done():
			return nil, dialErr(addr, ctx.Err())
		}
	}
	client, server := Pair("client:"+addr, addr)
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, dialErr(addr, syscall.ECONNREFUSED)
	case <-ctx.Done():
		return nil, dialErr(addr, ctx.Err())
	}
}

func dialErr(addr string, err error) error {
	return &net.OpError{Op: "dial", Net: "fake", Addr: Addr(addr), Err: fmt.Errorf("fakenet: %w", err)}
}
