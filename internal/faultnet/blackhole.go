// Package faultnet is the fault-injection tier for real sockets on
// loopback (the tier between fakenet and the soak): a blackholed address (a
// listener whose accept queue is full, so the kernel drops SYNs and a
// connect hangs until its own timeout), a refused port, and a TCP proxy that
// adds latency, limits bandwidth, resets a share of new connections (or
// every live one) and can stall. It never touches an address other than
// 127.0.0.1.
package faultnet

import (
	"errors"
	"net"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// Blackhole is a loopback port that accepts no connection and refuses none.
type Blackhole struct {
	fd    int
	addr  string
	conns []net.Conn // fill the accept queue
}

// NewBlackhole listens on 127.0.0.1 with a backlog of 0 and fills the accept
// queue, so further SYNs are dropped (Linux).
func NewBlackhole() (*Blackhole, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	b := &Blackhole{fd: fd}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		b.Close()
		return nil, err
	}
	if err := unix.Listen(fd, 0); err != nil {
		b.Close()
		return nil, err
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		b.Close()
		return nil, err
	}
	b.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*unix.SockaddrInet4).Port))
	for range 8 {
		c, err := net.DialTimeout("tcp", b.addr, 200*time.Millisecond)
		if err != nil {
			return b, nil // the queue is full: this connect hung
		}
		b.conns = append(b.conns, c)
	}
	b.Close()
	return nil, errors.New("faultnet: the accept queue never filled")
}

// Addr is "127.0.0.1:port".
func (b *Blackhole) Addr() string { return b.addr }

// Close releases the port.
func (b *Blackhole) Close() error {
	for _, c := range b.conns {
		_ = c.Close() // fillers only
	}
	return unix.Close(b.fd)
}

// RefusedAddr returns a loopback address nothing listens on (a port just
// released), so a connect is refused at once.
func RefusedAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}
