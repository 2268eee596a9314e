package shortlink

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/mars-go/mars/engine/internal/dial"
)

// pipeDialer answers every connection with answer, then closes it.
type pipeDialer struct{ answer []byte }

func (d pipeDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		go func() { _, _ = io.Copy(io.Discard, server) }()
		_, _ = server.Write(d.answer)
		_ = server.Close()
	}()
	return client, nil
}

// FuzzResponse runs any server answer through the transport: it never
// panics, a body comes only with a complete 200 answer, and every failure is
// one of Mars's short-link outcomes.
func FuzzResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
		"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\r\nclose-delimited",
		"HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
		"garbage\r\n\r\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, answer []byte) {
		tr := New(Config{
			Candidates:  func(context.Context, string, int) ([]string, error) { return []string{"127.0.0.1:80"}, nil },
			Dialer:      pipeDialer{answer: answer},
			Race:        dial.Config{Timeout: time.Second, Delay: time.Second, MaxInFlight: 1},
			MaxResponse: 1 << 10,
		})
		defer tr.CloseIdle()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		body, err := tr.RoundTrip(ctx, &Request{Host: "h", Cgi: "/", Body: []byte("req")})
		if err == nil {
			if len(body) > 1<<10 {
				t.Fatalf("body of %d bytes passed the 1 KiB limit", len(body))
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			if ctx.Err() != nil {
				return // an answer that never completes (e.g. 1xx forever): the engine's timeouts end it
			}
			t.Fatalf("not a Mars outcome: %v", err)
		}
		switch {
		case e.Type == TypeHttp && (e.Code == CodeParseStatusLine || e.Code == CodeSplitHeadAndBody):
		case e.Type == TypeHttp && e.Code >= 100 && e.Code <= 999 && e.Code != 200:
		case e.Type == TypeSocket:
		default:
			t.Fatalf("unexpected outcome (%d, %d): %v", e.Type, e.Code, e.Err)
		}
	})
}
