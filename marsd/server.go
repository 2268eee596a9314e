package marsd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mars-go/mars/wire"
)

// Config sets up a Server. The zero value is a server for client version 0
// (Mars's own default) with normal behaviour.
type Config struct {
	// ClientVersion is required in received headers and written in answers.
	// Used as is: 0 is a valid version (Mars's default); the sample server
	// and cmd/marsd use 200.
	ClientVersion uint32
	// MaxPacket caps a received packet (head + body). Default 16 MiB.
	MaxPacket uint32
	// Behavior is the initial behaviour; see SetBehavior.
	Behavior Behavior
	// PushEvery, if positive, pushes PushBody to every connection with
	// cmdid 10001 at this interval. Default off.
	PushEvery time.Duration
	// PushBody is the body of periodic pushes. Default "marsd push N".
	PushBody []byte
	// Logger receives the server's logs. Default: discard.
	Logger *slog.Logger
	// OnPacket, if set, is called on the connection's reader goroutine after
	// each received long-link packet has been handled (answer queued or
	// withheld): an event tests can await. Signalling datagrams are
	// reported with conn 0. It must not block for long.
	OnPacket func(conn uint64, p wire.Packet)
	// OnShortRequest, if set, is called on the handler goroutine once a
	// short-link request's body has been read, before any scripted delay or
	// silence. It must not block for long.
	OnShortRequest func(r *http.Request, body []byte)
}

// Stats counts what the server saw since Start. Tests assert on it.
type Stats struct {
	Accepted      int64 `json:"accepted"`       // long-link connections accepted
	Open          int64 `json:"open"`           // long-link connections open now
	Requests      int64 `json:"requests"`       // long-link requests (not heartbeat or identify)
	Noops         int64 `json:"noops"`          // heartbeat requests received
	Identifies    int64 `json:"identifies"`     // identify requests received
	Pushes        int64 `json:"pushes"`         // push packets queued
	BadStreams    int64 `json:"bad_streams"`    // connections closed for a corrupt stream
	BytesIn       int64 `json:"bytes_in"`       // long-link bytes read
	BytesOut      int64 `json:"bytes_out"`      // long-link bytes written
	ShortRequests int64 `json:"short_requests"` // short-link requests (admin excluded)
	ShortConns    int64 `json:"short_conns"`    // short-link TCP connections accepted
	Signals       int64 `json:"signals"`        // signalling keeper datagrams (UDP, long-link port)
	BadSignals    int64 `json:"bad_signals"`    // other datagrams on that port
	DroppedBytes  int64 `json:"dropped_bytes"`  // long-link bytes a one_per_read server threw away
}

// counters is the live form of Stats.
type counters struct {
	accepted, open, requests, noops, identifies, pushes, badStreams   atomic.Int64
	bytesIn, bytesOut, shortRequests, shortConns, signals, badSignals atomic.Int64
	droppedBytes                                                      atomic.Int64
}

// ConnInfo describes one open long-link connection.
type ConnInfo struct {
	ID     uint64 `json:"id"`
	Remote string `json:"remote"`
	// Listener names the long-link listener that accepted it ("" for
	// Start's, see AddLongListener).
	Listener string `json:"listener,omitempty"`
}

// ErrNoConn is returned by PushTo for an unknown or closed connection.
var ErrNoConn = errors.New("marsd: no such connection")

// Server is a running (or not yet started) reference server. All methods
// are safe for concurrent use.
type Server struct {
	cfg      Config
	log      *slog.Logger
	behavior atomic.Pointer[Behavior]
	stats    counters
	closing  chan struct{} // closed by Close: everything winds down
	wg       sync.WaitGroup

	mu      sync.Mutex // guards the fields below
	started bool
	closed  bool
	conns   map[uint64]*conn
	nextID  uint64
	longLn  net.Listener
	extra   map[string]net.Listener // more long-link listeners by name (listeners.go)
	shortLn net.Listener
	udp     *net.UDPConn // signalling datagrams; nil if off
	httpSrv *http.Server
}

// New returns a server configured by cfg; Start makes it listen.
func New(cfg Config) *Server {
	if cfg.MaxPacket == 0 {
		cfg.MaxPacket = DefaultMaxPacket
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, log: cfg.Logger, closing: make(chan struct{}), conns: map[uint64]*conn{}}
	b := cfg.Behavior
	s.behavior.Store(&b)
	return s
}

// Start listens on longAddr (long link) and shortAddr (HTTP short link),
// e.g. "127.0.0.1:0"; an empty address leaves that side off. It returns
// once both listen.
func (s *Server) Start(longAddr, shortAddr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.closed {
		return errors.New("marsd: Start called twice or after Close")
	}
	s.started = true
	if err := s.listen(longAddr, shortAddr); err != nil {
		s.closeListeners()
		return err
	}
	if s.longLn != nil {
		s.wg.Go(func() { s.acceptLoop(s.longLn, MainListener) })
		s.listenSignalling()
	}
	if s.shortLn != nil {
		s.httpSrv = s.newHTTPServer()
		s.wg.Go(func() {
			if err := s.httpSrv.Serve(s.shortLn); !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("short link stopped", "err", err)
			}
		})
	}
	if s.cfg.PushEvery > 0 {
		s.wg.Go(s.pushLoop)
	}
	s.log.Info("listening", "long", s.addr(s.longLn), "short", s.addr(s.shortLn),
		"client_version", s.cfg.ClientVersion)
	return nil
}

func (s *Server) listen(longAddr, shortAddr string) error {
	var err error
	if longAddr != "" {
		if s.longLn, err = net.Listen("tcp", longAddr); err != nil {
			return fmt.Errorf("marsd: long link: %w", err)
		}
	}
	if shortAddr != "" {
		if s.shortLn, err = net.Listen("tcp", shortAddr); err != nil {
			return fmt.Errorf("marsd: short link: %w", err)
		}
	}
	return nil
}

// closeListeners closes both listeners; called with mu held.
func (s *Server) closeListeners() {
	for _, ln := range []net.Listener{s.longLn, s.shortLn} {
		if ln != nil {
			_ = ln.Close() // a listener already closed by an error is fine
		}
	}
	for _, ln := range s.extra {
		_ = ln.Close() // as above
	}
	if s.udp != nil {
		_ = s.udp.Close() // only ever closed here
	}
}

func (s *Server) addr(ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return ln.Addr().String()
}

// LongAddr is the long-link listen address ("" if off).
func (s *Server) LongAddr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr(s.longLn)
}

// ShortAddr is the short-link listen address ("" if off).
func (s *Server) ShortAddr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr(s.shortLn)
}

// Close stops listening, closes every connection and waits for all of the
// server's goroutines. It is safe to call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.closing)
	s.closeListeners()
	for _, c := range s.conns {
		c.close()
	}
	httpSrv := s.httpSrv
	s.mu.Unlock()

	if httpSrv != nil {
		// Handlers return promptly once closing is closed; Shutdown waits
		// for them, Close then drops whatever is left.
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		_ = httpSrv.Shutdown(ctx) // on timeout Close below cuts the rest
		cancel()
		_ = httpSrv.Close() // listener and idle conns already gone; nothing to report
	}
	s.wg.Wait()
	s.log.Info("closed")
	return nil
}

// SetBehavior replaces the behaviour for every later request.
func (s *Server) SetBehavior(b Behavior) {
	s.behavior.Store(&b)
	s.log.Info("behaviour set", "behavior", b.String())
}

// Behavior returns the current behaviour.
func (s *Server) Behavior() Behavior { return *s.behavior.Load() }

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	c := &s.stats
	return Stats{
		Accepted: c.accepted.Load(), Open: c.open.Load(), Requests: c.requests.Load(),
		Noops: c.noops.Load(), Identifies: c.identifies.Load(), Pushes: c.pushes.Load(),
		BadStreams: c.badStreams.Load(), BytesIn: c.bytesIn.Load(), BytesOut: c.bytesOut.Load(),
		ShortRequests: c.shortRequests.Load(), ShortConns: c.shortConns.Load(), Signals: c.signals.Load(), BadSignals: c.badSignals.Load(),
		DroppedBytes: c.droppedBytes.Load(),
	}
}
