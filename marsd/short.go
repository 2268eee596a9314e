package marsd

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// adminPrefix is the path under which the short-link listener takes admin
// calls instead of echoing.
const adminPrefix = "/_marsd/"

func (s *Server) newHTTPServer() *http.Server {
	return &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       shortIdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				s.stats.shortConns.Add(1)
			}
		},
	}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		s.serveAdmin(w, r)
		return
	}
	s.stats.shortRequests.Add(1)
	b, err := shortBehavior(s.Behavior(), r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(s.cfg.MaxPacket)))
	if err != nil {
		panic(http.ErrAbortHandler) // the client went away mid-body
	}
	s.log.Debug("short link request", "method", r.Method, "path", r.URL.Path, "bytes", len(body))
	if s.cfg.OnShortRequest != nil {
		s.cfg.OnShortRequest(r, body)
	}
	if b.Silent {
		s.waitAbort(r, -1)
	}
	s.waitAbort(r, b.Delay)
	status := b.Status
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	if strings.EqualFold(r.Header.Get("Connection"), "keep-alive") {
		// Mars reuses a short-link socket only when the answer says so
		// explicitly, with a Keep-Alive timeout.
		h.Set("Connection", "keep-alive")
		h.Set("Keep-Alive", "timeout="+strconv.Itoa(int(ShortKeepAlive/time.Second)))
	}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client gone mid-answer is its business
}

// waitAbort waits d (forever if negative). If the client leaves or the
// server closes first, it aborts the handler so that nothing is answered.
func (s *Server) waitAbort(r *http.Request, d time.Duration) {
	if d == 0 {
		return
	}
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
		return
	case <-r.Context().Done():
	case <-s.closing:
	}
	panic(http.ErrAbortHandler) // net/http closes the connection silently
}

// shortBehavior applies the per-request query parameters marsd_status,
// marsd_delay and marsd_silent to b.
func shortBehavior(b Behavior, q url.Values) (Behavior, error) {
	per := url.Values{}
	for _, k := range []string{"status", "delay", "silent"} {
		if v, ok := q["marsd_"+k]; ok {
			per[k] = v
		}
	}
	if len(per) == 0 {
		return b, nil
	}
	o, err := ParseBehavior(per)
	if err != nil {
		return b, err
	}
	if _, ok := per["status"]; ok {
		b.Status = o.Status
	}
	if _, ok := per["delay"]; ok {
		b.Delay = o.Delay
	}
	if _, ok := per["silent"]; ok {
		b.Silent = o.Silent
	}
	return b, nil
}
