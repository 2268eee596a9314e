package sdt

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"time"

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
	var t httpTimes
	ctx = httptrace.WithClientTrace(ctx, t.trace())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return failure(ctx, KindHTTP, url, err)
	}
	req.Header.Set("User-Agent", httpUserAgent)
	req.Header.Set("Accept", httpAccept)
	req.Header.Set("Cache-Control", "no-cache")
	transport := r.httpTransport()
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport: transport,
		// A redirect is reported as it is: a captive portal is one of the
		// things a diagnosis must show.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.start = time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return failure(ctx, KindHTTP, url, err)
	}
	defer resp.Body.Close()
	out := Result{Status: resp.StatusCode, Connect: t.connect, FirstByte: t.firstByte}
	body, err := firstBytes(resp.Body, r.cfg.HTTPFirstBytes)
	out.Body = body
	switch {
	case err != nil:
		f := failure(ctx, KindHTTP, url, err)
		out.Reason, out.Error, out.Errno, out.ErrnoName = f.Reason, f.Error, f.Errno, f.ErrnoName
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		out.Reason, out.Error = ReasonHTTPStatus, fmt.Sprintf("HTTP status %d", resp.StatusCode)
	default:
		out.OK = true
	}
	return out
}

// httpTransport is a one-shot transport over the configured Dialer.
func (r *run) httpTransport() *http.Transport {
	return &http.Transport{
		DialContext:       r.cfg.Dialer.DialContext,
		Proxy:             nil,
		DisableKeepAlives: true,
		ForceAttemptHTTP2: false,
		TLSClientConfig:   &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// httpTimes records the phases of one request through httptrace.
type httpTimes struct {
	start, connectStart time.Time
	connect, firstByte  time.Duration
}

func (t *httpTimes) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		ConnectStart: func(string, string) { t.connectStart = time.Now() },
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				t.connect = time.Since(t.connectStart)
			}
		},
		GotFirstResponseByte: func() { t.firstByte = time.Since(t.start) },
	}
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
