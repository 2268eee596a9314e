//go:build linux || darwin || freebsd || netbsd || openbsd

package sockopt

import "golang.org/x/sys/unix"

func setMSS(fd uintptr, mss int) error {
	return unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG, mss)
}
