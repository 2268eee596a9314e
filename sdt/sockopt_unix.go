//go:build unix

package sdt

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// clampMSS sets TCP_MAXSEG on a TCP socket before it connects; other
// sockets are left alone.
func clampMSS(network, _ string, rc syscall.RawConn) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil
	}
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG, DefaultProbeMSS)
	})
	if err != nil {
		return err
	}
	return serr
}
