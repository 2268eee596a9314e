//go:build linux

package sockopt

import (
	"net"
	"testing"

	"golang.org/x/sys/unix"
)

// wifiMSS is the clamp the engine passes on Wi-Fi.
const wifiMSS = 1400

func TestWiFiClampsMSSOnTheAcceptedSocket(t *testing.T) {
	for _, tc := range []struct {
		mss  int
		want func(int) bool
	}{
		{wifiMSS, func(m int) bool { return m <= wifiMSS }},
		{0, func(m int) bool { return m > wifiMSS }},
	} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		d := net.Dialer{Control: Control(func() int { return tc.mss })}
		c, err := d.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		s, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := c.(*net.TCPConn).SyscallConn()
		var got int
		raw.Control(func(fd uintptr) { got, _ = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG) })
		if !tc.want(got) {
			t.Errorf("mss setting %d: socket MSS %d", tc.mss, got)
		}
		c.Close()
		s.Close()
		l.Close()
	}
}
