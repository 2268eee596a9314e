// Package sockopt sets the socket options Mars sets on connect sockets:
// TCP_MAXSEG (the engine passes Mars's 1400) before connect when the
// network is Wi-Fi. TCP_NODELAY is Go's default for TCP, and the engine's
// dialer turns Go's TCP keep-alive off: the heartbeat owns wake-ups.
package sockopt

import "syscall"

// Control returns a net.Dialer.Control hook that sets TCP_MAXSEG to mss
// before connect when mss() is positive; it is called at every dial so
// the owner can switch it with the network type. Platforms without the
// option ignore it.
func Control(mss func() int) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		m := mss()
		if m <= 0 {
			return nil
		}
		var serr error
		if err := c.Control(func(fd uintptr) { serr = setMSS(fd, m) }); err != nil {
			return err
		}
		return serr
	}
}
