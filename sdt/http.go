package sdt

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	neturl "net/url"
	"strings"
	"time"

	"github.com/mars-go/mars/internal/http1"
	"github.com/mars-go/mars/wire"
)

// Headers of the HTTP check: what a browser fetching a page would send,
// as Mars's SDT HTTP checker does, with Mars's
// short-link user agent.
const (
	httpUserAgent = wire.ShortLinkUserAgent
	httpAccept    = "*/*"
)

// httpGet fetches url once, without proxy, redirects or connection reuse,
// and reports the status, connect and first-byte times and the first bytes
// of the body. A 2xx status is OK.
func (r *run) httpGet(ctx context.Context, url string) Result {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.HTTPTimeout)
	defer cancel()
	u, req, err := httpRequest(url)
	if err != nil {
		return failure(ctx, KindHTTP, url, err)
	}
	fail := func(err error) Result { return failure(ctx, KindHTTP, url, fmt.Errorf("http GET %q: %w", url, err)) }
	start := time.Now()
	c, connect, err := r.httpDial(ctx, u)
	if err != nil {
		return fail(err)
	}
	defer func() { _ = c.Close() }() // one request per connection
	defer context.AfterFunc(ctx, func() { _ = c.Close() })()
	if _, err := c.Write(req); err != nil {
		return fail(err)
	}
	br := bufio.NewReader(c)
	var firstByte time.Duration
	if _, err := br.Peek(1); err == nil {
		firstByte = time.Since(start)
	}
	// A redirect is reported as it is: a captive portal is one of the
	// things a diagnosis must show.
	resp, err := http1.ReadResponse(br, "GET", 0)
	if err != nil {
		return fail(err)
	}
	out := Result{Status: resp.Status, Connect: connect, FirstByte: firstByte}
	body, err := firstBytes(resp.Body, r.cfg.HTTPFirstBytes)
	out.Body = body
	switch {
	case err != nil:
		f := failure(ctx, KindHTTP, url, err)
		out.Reason, out.Error, out.Errno, out.ErrnoName = f.Reason, f.Error, f.Errno, f.ErrnoName
	case resp.Status < 200 || resp.Status > 299:
		out.Reason, out.Error = ReasonHTTPStatus, fmt.Sprintf("HTTP status %d", resp.Status)
	default:
		out.OK = true
	}
	return out
}

// httpRequest parses url (http or https, with an ASCII host: give an
// internationalised name in its xn-- form) and returns the GET to send.
func httpRequest(raw string) (*neturl.URL, []byte, error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, nil, fmt.Errorf("http GET %q: unsupported protocol scheme %q", raw, u.Scheme)
	case u.Host == "":
		return nil, nil, fmt.Errorf("http GET %q: no host in the URL", raw)
	case !isASCII(u.Host):
		return nil, nil, fmt.Errorf("http GET %q: the host is not ASCII (give its xn-- form)", raw)
	}
	req, err := http1.AppendRequest(nil, "GET", u.RequestURI(), []http1.Header{{Name: "Host", Value: u.Host},
		{Name: "User-Agent", Value: httpUserAgent}, {Name: "Accept", Value: httpAccept},
		{Name: "Cache-Control", Value: "no-cache"}, {Name: "Connection", Value: "close"}}, nil)
	return u, req, err
}

// httpDial connects to u's host through the configured Dialer, then TLS
// for https; connect is the TCP connect's time.
func (r *run) httpDial(ctx context.Context, u *neturl.URL) (c net.Conn, connect time.Duration, err error) {
	start := time.Now()
	c, err = r.cfg.Dialer.DialContext(ctx, "tcp", http1.Addr(u))
	if err != nil {
		return nil, 0, err
	}
	connect = time.Since(start)
	if u.Scheme == "http" {
		return c, connect, nil
	}
	tc := tls.Client(c, &tls.Config{MinVersion: tls.VersionTLS12, ServerName: u.Hostname(), NextProtos: []string{"http/1.1"}})
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = c.Close() // no TLS, no check
		return nil, 0, err
	}
	return tc, connect, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// firstBytes reads at most n bytes of body and returns them as valid UTF-8
// (invalid sequences, including one cut at the limit, become U+FFFD). A body
// shorter than n is not an error.
func firstBytes(body io.Reader, n int) (string, error) {
	if n <= 0 {
		return "", nil
	}
	buf := make([]byte, n)
	k, err := io.ReadFull(body, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	return strings.ToValidUTF8(string(buf[:k]), "\uFFFD"), err
}
