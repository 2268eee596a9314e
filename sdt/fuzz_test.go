package sdt

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

func FuzzRoutes(f *testing.F) {
	f.Add([]byte(procRoute))
	f.Add([]byte(procIPv6Route))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, rt := range parseRoutes4(bytes.NewReader(b)) {
			if rt.IPv6 || rt.Interface == "" || (rt.Gateway != "" && net.ParseIP(rt.Gateway).To4() == nil) {
				t.Fatalf("bad v4 route %+v", rt)
			}
		}
		for _, rt := range parseRoutes6(bytes.NewReader(b)) {
			if !rt.IPv6 || rt.Interface == "" || (rt.Gateway != "" && net.ParseIP(rt.Gateway) == nil) {
				t.Fatalf("bad v6 route %+v", rt)
			}
		}
	})
}

func FuzzParseEchoReply(f *testing.F) {
	token := []byte("12345678")
	payload := append(append([]byte{}, token...), "padding"...)
	f.Add(echoBytes(&testing.T{}, ipv4.ICMPTypeEchoReply, 7, 3, payload), false)
	f.Add(echoBytes(&testing.T{}, ipv6.ICMPTypeEchoReply, 7, 3, payload), true)
	f.Fuzz(func(t *testing.T, b []byte, v6 bool) {
		seq, ok := parseEchoReply(b, v6, 7, true, token)
		if !ok && seq != 0 {
			t.Fatalf("seq %d without a match", seq)
		}
		if ok && !bytes.Contains(b, token) {
			t.Fatal("matched a reply without our token")
		}
	})
}

// replayDialer answers every dial with a connection that returns resp as the
// server's bytes and discards what the client writes.
type replayDialer struct{ resp []byte }

func (d replayDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		// read the request head so the client's write completes
		_, _ = http.ReadRequest(bufio.NewReader(server))
		_, _ = server.Write(d.resp)
	}()
	return client, nil
}

// FuzzHTTPResponse feeds arbitrary server bytes through the http check:
// it must never panic, must keep at most HTTPFirstBytes of valid UTF-8, and
// is OK only with a 2xx status.
func FuzzHTTPResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"))
	f.Add([]byte("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 3\r\n\r\nbad"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel\xfflo\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.0 302 Found\r\nLocation: /portal\r\n\r\n"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, resp []byte) {
		cfg := testConfig()
		cfg.Dialer = replayDialer{resp: resp}
		cfg.HTTPFirstBytes = 8
		res := only(t, New(cfg).Run(context.Background(), Request{HTTP: []string{"http://127.0.0.1/"}}), KindHTTP)
		if len(res.Body) > 8*utf8.UTFMax || !utf8.ValidString(res.Body) {
			t.Fatalf("body %q", res.Body)
		}
		if res.OK && (res.Status < 200 || res.Status > 299) {
			t.Fatalf("OK with status %d", res.Status)
		}
		if !res.OK && res.Reason == ReasonOK {
			t.Fatalf("failed with reason ok: %+v", res)
		}
	})
}
