package tunnel

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// echoServer echoes on loopback.
func echoServer(t *testing.T) string {
	t.Helper()
	return proxyServer(t, func(c net.Conn) { io.Copy(c, c) })
}

// proxyServer accepts one connection at a time and runs handle on it.
func proxyServer(t *testing.T, handle func(c net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { defer c.Close(); handle(c) })
		}
	})
	return l.Addr().String()
}

func splice(a, b net.Conn) {
	done := make(chan struct{}, 2)
	go func() { io.Copy(a, b); done <- struct{}{} }()
	go func() { io.Copy(b, a); done <- struct{}{} }()
	<-done
	a.Close()
	b.Close()
	<-done
}

func roundTrip(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	if _, err := io.ReadFull(c, b); err != nil || string(b) != "ping" {
		t.Fatalf("echo %q %v", b, err)
	}
}

func TestHTTPConnectSendsMarsRequestAndTunnels(t *testing.T) {
	target := echoServer(t)
	reqs := make(chan *http.Request, 1)
	px := proxyServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		reqs <- req
		up, err := net.Dial("tcp", req.RequestURI)
		if err != nil {
			io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
			return
		}
		io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		splice(c, up)
	})
	d := HTTPConnect(&net.Dialer{}, px, "u", "p")
	c, err := d.DialContext(context.Background(), "tcp", target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	roundTrip(t, c)
	req := <-reqs
	if req.Method != "CONNECT" || req.RequestURI != target || req.Host != target ||
		req.Header.Get("Proxy-Connection") != "keep-alive" || req.Header.Get("User-Agent") != UserAgent ||
		req.Header.Get("Proxy-Authorization") != "Basic dTpw" {
		t.Fatalf("request %s %s %v", req.Method, req.RequestURI, req.Header)
	}
}

func TestHTTPConnectRefusalIsAStatusError(t *testing.T) {
	px := proxyServer(t, func(c net.Conn) {
		http.ReadRequest(bufio.NewReader(c))
		io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
	})
	_, err := HTTPConnect(&net.Dialer{}, px, "", "").DialContext(context.Background(), "tcp", "127.0.0.1:1")
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 407 {
		t.Fatalf("err %v, want a 407 StatusError", err)
	}
}

// A proxy's failure is the proxy's, by kind: never blamed on the target.
func TestProxyFailuresSayWhatFailed(t *testing.T) {
	answer := func(reply string) func(net.Conn) {
		return func(c net.Conn) {
			http.ReadRequest(bufio.NewReader(c))
			io.WriteString(c, reply)
		}
	}
	socksReply := func(method byte, reply []byte) func(net.Conn) {
		return func(c net.Conn) {
			b := make([]byte, 262)
			if _, err := io.ReadFull(c, b[:2]); err != nil {
				return
			}
			io.ReadFull(c, b[:b[1]])
			c.Write([]byte{5, method})
			if method == 2 { // user/password: read it, refuse it
				io.ReadFull(c, b[:2]) // version, user length
				n := int(b[1])
				io.ReadFull(c, b[:n+1]) // user, password length
				io.ReadFull(c, b[:b[n]])
				c.Write([]byte{1, 1})
				return
			}
			io.ReadFull(c, b[:10])
			c.Write(reply)
		}
	}
	gone, _ := net.Listen("tcp", "127.0.0.1:0")
	goneAddr := gone.Addr().String()
	gone.Close()
	for name, tc := range map[string]struct {
		socks bool
		addr  string
		serve func(net.Conn)
		want  Kind
	}{
		"http 502":          {serve: answer("HTTP/1.1 502 Bad Gateway\r\n\r\n"), want: Refused},
		"http 407":          {serve: answer("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"), want: Auth},
		"http garbage":      {serve: answer("SSH-2.0-nope\r\n\r\n"), want: Protocol},
		"http closes":       {serve: func(c net.Conn) {}, want: Protocol},
		"http unreachable":  {addr: goneAddr, want: Refused},
		"socks auth":        {socks: true, serve: socksReply(2, nil), want: Auth},
		"socks no method":   {socks: true, serve: socksReply(0xff, nil), want: Auth},
		"socks refused":     {socks: true, serve: socksReply(0, []byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}), want: Refused},
		"socks garbage":     {socks: true, serve: socksReply(0, []byte{4, 0, 0, 1, 0, 0, 0, 0, 0, 0}), want: Protocol},
		"socks unreachable": {socks: true, addr: goneAddr, want: Refused},
	} {
		t.Run(name, func(t *testing.T) {
			addr := tc.addr
			if addr == "" {
				addr = proxyServer(t, tc.serve)
			}
			var d Dialer = HTTPConnect(&net.Dialer{}, addr, "", "")
			if tc.socks {
				var err error
				if d, err = SOCKS5(&net.Dialer{}, addr, "u", "p"); err != nil {
					t.Fatal(err)
				}
			}
			_, err := d.DialContext(context.Background(), "tcp", "127.0.0.1:1")
			var pe *Error
			if !errors.As(err, &pe) || pe.Kind != tc.want || pe.Proxy != addr {
				t.Fatalf("err %#v (%v), want a proxy error of kind %d", err, err, tc.want)
			}
		})
	}
}

func TestHTTPConnectCancelEndsAStalledHandshake(t *testing.T) {
	px := proxyServer(t, func(c net.Conn) { io.Copy(io.Discard, c) }) // never answers
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := HTTPConnect(&net.Dialer{}, px, "", "").DialContext(ctx, "tcp", "127.0.0.1:1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the deadline", err)
	}
}

// socks5 is a minimal no-auth SOCKS5 CONNECT server for IPv4 targets.
func socks5(c net.Conn) {
	b := make([]byte, 262)
	if _, err := io.ReadFull(c, b[:2]); err != nil {
		return
	}
	io.ReadFull(c, b[:b[1]])
	c.Write([]byte{5, 0})
	if _, err := io.ReadFull(c, b[:4]); err != nil || b[3] != 1 {
		return
	}
	io.ReadFull(c, b[:6])
	target := net.JoinHostPort(net.IP(b[:4]).String(), strconv.Itoa(int(binary.BigEndian.Uint16(b[4:6]))))
	up, err := net.Dial("tcp", target)
	if err != nil {
		c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	c.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0, 0})
	splice(c, up)
}

func TestSOCKS5Tunnels(t *testing.T) {
	target := echoServer(t)
	d, err := SOCKS5(&net.Dialer{}, proxyServer(t, socks5), "", "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.DialContext(context.Background(), "tcp", target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	roundTrip(t, c)
	if _, err := d.DialContext(context.Background(), "tcp", "127.0.0.1:1"); err == nil ||
		!strings.Contains(err.Error(), "refused") {
		t.Fatalf("refused target: %v", err)
	}
}

// fakeConn feeds a scripted proxy answer and swallows writes.
type fakeConn struct {
	net.Conn
	r io.Reader
}

func (f fakeConn) Read(p []byte) (int, error)  { return f.r.Read(p) }
func (f fakeConn) Write(p []byte) (int, error) { return len(p), nil }
func (f fakeConn) Close() error                { return nil }

func FuzzConnectAnswer(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\n\r\nearly bytes"))
	f.Add([]byte("HTTP/1.0 407 Proxy Authentication Required\r\nContent-Length: 3\r\n\r\nabc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h := httpConnect{}
		c, err := h.handshake(fakeConn{r: strings.NewReader(string(b))}, "10.0.0.1:80")
		if (c == nil) == (err == nil) {
			t.Fatalf("conn %v with err %v", c, err)
		}
	})
}

// A proxy's answer is read within a bound: an endless head is the proxy
// failing the protocol, not a tunnel.
func TestHTTPConnectAnswerHeadIsBounded(t *testing.T) {
	px := proxyServer(t, func(c net.Conn) {
		http.ReadRequest(bufio.NewReader(c))
		io.WriteString(c, "HTTP/1.1 200 Connection established\r\nX-Pad: "+strings.Repeat("p", 80<<10)+"\r\n\r\n")
	})
	c, err := HTTPConnect(&net.Dialer{}, px, "", "").DialContext(context.Background(), "tcp", "127.0.0.1:1")
	var pe *Error
	if !errors.As(err, &pe) || pe.Kind != Protocol {
		if c != nil {
			c.Close()
		}
		t.Fatalf("err %v, want a protocol failure of the proxy", err)
	}
}

// The SOCKS5 bytes on the wire: the greeting offers username/password
// only with a user, an address goes as IPv4, IPv6 or a name for the proxy
// to resolve.
func TestSOCKS5RequestBytes(t *testing.T) {
	for _, tc := range []struct {
		user, target string
		want         []byte
	}{
		{"", "10.0.0.1:80", []byte{5, 1, 0, 5, 1, 0, 1, 10, 0, 0, 1, 0, 80}},
		{"u", "[2001:db8::1]:443", append(append([]byte{5, 2, 0, 2, 1, 1, 'u', 1, 'p', 5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8},
			make([]byte, 11)...), 1, 1, 187)},
		{"", "name.example:8080", append(append([]byte{5, 1, 0, 5, 1, 0, 3, 12}, "name.example"...), 0x1f, 0x90)},
	} {
		got := make(chan []byte, 1)
		px := proxyServer(t, func(c net.Conn) {
			greeting, auth := 3, 0
			if tc.user != "" {
				greeting, auth = 4, 5 // version, user, password
			}
			seen := make([]byte, len(tc.want))
			io.ReadFull(c, seen[:greeting])
			if tc.user != "" {
				c.Write([]byte{5, 2})
				io.ReadFull(c, seen[greeting:greeting+auth])
				c.Write([]byte{1, 0})
			} else {
				c.Write([]byte{5, 0})
			}
			io.ReadFull(c, seen[greeting+auth:])
			got <- seen
			c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
		})
		d, err := SOCKS5(&net.Dialer{}, px, tc.user, "p")
		if err != nil {
			t.Fatal(err)
		}
		c, err := d.DialContext(context.Background(), "tcp", tc.target)
		if err != nil {
			t.Fatalf("%s: %v", tc.target, err)
		}
		c.Close()
		if seen := <-got; string(seen) != string(tc.want) {
			t.Errorf("%s: sent % x, want % x", tc.target, seen, tc.want)
		}
	}
}

// A proxy that wants credentials the host did not give fails as Auth.
func TestSOCKS5UnofferedAuthIsAnAuthFailure(t *testing.T) {
	px := proxyServer(t, func(c net.Conn) {
		b := make([]byte, 3)
		io.ReadFull(c, b)
		c.Write([]byte{5, 2}) // username/password, which was not offered
		io.Copy(io.Discard, c)
	})
	d, _ := SOCKS5(&net.Dialer{}, px, "", "")
	_, err := d.DialContext(context.Background(), "tcp", "127.0.0.1:1")
	var pe *Error
	if !errors.As(err, &pe) || pe.Kind != Auth {
		t.Fatalf("err %v, want an Auth failure of the proxy", err)
	}
}

// FuzzSOCKS5Answer: any proxy answer ends the handshake with a connection
// or an error, never both and never a panic.
func FuzzSOCKS5Answer(f *testing.F) {
	f.Add([]byte{5, 0, 5, 0, 0, 1, 127, 0, 0, 1, 0, 80}, false)
	f.Add([]byte{5, 2, 1, 0, 5, 0, 0, 3, 4, 'n', 'a', 'm', 'e', 0, 80}, true)
	f.Add([]byte{5, 0, 5, 5, 0, 1, 0, 0, 0, 0, 0, 0}, false)
	f.Add([]byte{5, 0xff}, true)
	f.Fuzz(func(t *testing.T, b []byte, auth bool) {
		s := socksProxy{}
		if auth {
			s.user, s.password = "u", "p"
		}
		c, err := s.handshake(fakeConn{r: strings.NewReader(string(b))}, "10.0.0.1:80")
		if (c == nil) == (err == nil) {
			t.Fatalf("conn %v with err %v", c, err)
		}
	})
}

// Bytes the proxy sends in the same segment as its answer are the
// target's first bytes, not lost with the handshake's reader.
func TestHTTPConnectKeepsBytesAfterTheAnswer(t *testing.T) {
	px := proxyServer(t, func(c net.Conn) {
		if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\nhello")
	})
	c, err := HTTPConnect(&net.Dialer{}, px, "", "").DialContext(context.Background(), "tcp", "127.0.0.1:9")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(c)
	if err != nil || string(b) != "hello" {
		t.Fatalf("read %q, %v; want the bytes after the answer", b, err)
	}
}
