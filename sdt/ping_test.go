package sdt

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"
)

// pingPermission tells what this machine allows, found independently of the
// code under test: datagram ICMP sockets for our group (Linux
// net.ipv4.ping_group_range), raw sockets (root or CAP_NET_RAW), or neither.
func pingPermission(t *testing.T, v6 bool) (dgram, raw bool) {
	t.Helper()
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range"); err == nil {
		f := strings.Fields(string(b))
		if len(f) == 2 {
			lo, _ := strconv.Atoi(f[0])
			hi, _ := strconv.Atoi(f[1])
			gid := os.Getegid()
			dgram = lo <= gid && gid <= hi
		}
	}
	family, proto := unix.AF_INET, unix.IPPROTO_ICMP
	if v6 {
		family, proto = unix.AF_INET6, unix.IPPROTO_ICMPV6
	}
	if fd, err := unix.Socket(family, unix.SOCK_RAW, proto); err == nil {
		raw = true
		unix.Close(fd)
	}
	return dgram, raw
}

func TestPingLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr string
		v6   bool
	}{{"127.0.0.1", false}, {"::1", true}} {
		t.Run(tc.addr, func(t *testing.T) {
			dgram, raw := pingPermission(t, tc.v6)
			rep := New(testConfig()).Run(context.Background(), Request{Ping: []string{tc.addr}})
			res := only(t, rep, KindPing)
			if res.Target != tc.addr {
				t.Errorf("target %q", res.Target)
			}
			if !dgram && !raw {
				if res.OK || res.Reason != ReasonNotPermitted || res.Error == "" {
					t.Fatalf("ICMP not allowed here: want not_permitted, got %+v", res)
				}
				return
			}
			if !res.OK || res.Sent != DefaultPingCount || res.Received != DefaultPingCount || len(res.RTTs) != DefaultPingCount {
				t.Fatalf("ping %s: %+v", tc.addr, res)
			}
			if res.Privileged != !dgram {
				t.Errorf("privileged = %v, but datagram sockets allowed = %v", res.Privileged, dgram)
			}
			if res.Duration < testConfig().PingInterval {
				t.Errorf("two pings took %v, less than the %v interval", res.Duration, testConfig().PingInterval)
			}
		})
	}
}

func TestPingOneReplyThenOverallTimeout(t *testing.T) {
	if dgram, raw := pingPermission(t, false); !dgram && !raw {
		t.Skip("no ICMP socket allowed here; TestPingLoopback asserts not_permitted")
	}
	cfg := testConfig()
	cfg.PingInterval, cfg.PingTimeout = time.Hour, time.Hour
	rep := New(cfg).Run(context.Background(), Request{Ping: []string{"127.0.0.1"}, Timeout: shortTimeout})
	res := only(t, rep, KindPing)
	if !res.OK || res.Sent != 1 || res.Received != 1 {
		t.Fatalf("one echo answered before the overall timeout: %+v", res)
	}
	if rep.Reason != ReasonTimeout {
		t.Errorf("report reason %s, want timeout", rep.Reason)
	}
}

func TestPingNotPermitted(t *testing.T) {
	c := New(testConfig())
	c.openPing = func(bool) (*pingSocket, error) {
		return nil, fmt.Errorf("ICMP echo not permitted (datagram socket: %w; raw socket: %w)",
			os.NewSyscallError("socket", unix.EACCES), os.NewSyscallError("socket", unix.EPERM))
	}
	res := only(t, c.Run(context.Background(), Request{Ping: []string{"127.0.0.1"}}), KindPing)
	if res.OK || res.Reason != ReasonNotPermitted || res.ErrnoName != "EACCES" || !strings.Contains(res.Error, "not permitted") {
		t.Fatalf("%+v", res)
	}
}

func TestPingNeedsAnAddress(t *testing.T) {
	cfg := testConfig()
	cfg.SystemResolver = fixed("127.0.0.1")
	rep := New(cfg).Run(context.Background(), Request{Ping: []string{"nosuch.invalid"}})
	if res := only(t, rep, KindDNS); res.Reason != ReasonNotFound {
		t.Fatalf("%+v", res)
	}
	if len(rep.Find(KindPing)) != 0 {
		t.Fatalf("pinged without an address: %+v", rep.Results)
	}
}

func echoBytes(t *testing.T, typ icmp.Type, id, seq int, data []byte) []byte {
	t.Helper()
	b, err := (&icmp.Message{Type: typ, Body: &icmp.Echo{ID: id, Seq: seq, Data: data}}).Marshal(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseEchoReply(t *testing.T) {
	token := []byte("12345678")
	payload := append(append([]byte{}, token...), "padding"...)
	tests := []struct {
		name    string
		b       []byte
		v6      bool
		checkID bool
		seq     int
		ok      bool
	}{
		{"v4 reply", echoBytes(t, ipv4.ICMPTypeEchoReply, 7, 3, payload), false, true, 3, true},
		{"v6 reply", echoBytes(t, ipv6.ICMPTypeEchoReply, 7, 4, payload), true, true, 4, true},
		{"our own request on a raw socket", echoBytes(t, ipv4.ICMPTypeEcho, 7, 3, payload), false, true, 0, false},
		{"other id on a raw socket", echoBytes(t, ipv4.ICMPTypeEchoReply, 8, 3, payload), false, true, 0, false},
		{"kernel-chosen id on a datagram socket", echoBytes(t, ipv4.ICMPTypeEchoReply, 9999, 5, payload), false, false, 5, true},
		{"other token", echoBytes(t, ipv4.ICMPTypeEchoReply, 7, 3, []byte("87654321")), false, true, 0, false},
		{"short payload", echoBytes(t, ipv4.ICMPTypeEchoReply, 7, 3, token[:4]), false, true, 0, false},
		{"v4 bytes read as v6", echoBytes(t, ipv4.ICMPTypeEchoReply, 7, 3, payload), true, true, 0, false},
		{"truncated", []byte{0, 0, 0}, false, false, 0, false},
	}
	for _, tc := range tests {
		seq, ok := parseEchoReply(tc.b, tc.v6, 7, tc.checkID, token)
		if seq != tc.seq || ok != tc.ok {
			t.Errorf("%s: got (%d, %v), want (%d, %v)", tc.name, seq, ok, tc.seq, tc.ok)
		}
	}
}
