package marsd

import (
	"errors"
	"fmt"
	"net"
)

// More long-link listeners in one server, so one process can stand for the
// servers of several named long links of a client. Each listener has a
// name; Start's long-link listener is named "" (MainListener). Every
// listener speaks the same protocol with the same behaviour; connections
// remember which listener accepted them (ConnInfo.Listener).

// MainListener is the name of the long-link listener Start opens.
const MainListener = ""

// Errors of the listener calls.
var (
	ErrListenerExists = errors.New("marsd: a long-link listener of that name exists")
	ErrNoListener     = errors.New("marsd: no long-link listener of that name")
)

// AddLongListener opens another long-link listener named name on addr
// (e.g. "127.0.0.1:0") and returns its address. It works before or after
// Start, until Close.
func (s *Server) AddLongListener(name, addr string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return "", errors.New("marsd: AddLongListener after Close")
	case name == MainListener || s.extra[name] != nil:
		return "", fmt.Errorf("%w: %q", ErrListenerExists, name)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("marsd: long link %q: %w", name, err)
	}
	if s.extra == nil {
		s.extra = map[string]net.Listener{}
	}
	s.extra[name] = ln
	s.wg.Go(func() { s.acceptLoop(ln, name) })
	s.log.Info("listening", "listener", name, "long", ln.Addr().String())
	return ln.Addr().String(), nil
}

// LongAddrOf is the address of the named long-link listener ("" if there
// is none, or it was closed).
func (s *Server) LongAddrOf(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name == MainListener {
		return s.addr(s.longLn)
	}
	return s.addr(s.extra[name])
}

// CloseLongListener stops the named extra listener and closes the
// connections it accepted, as if that server went down; the other
// listeners and their connections carry on. It returns how many
// connections it closed.
func (s *Server) CloseLongListener(name string) (int, error) {
	s.mu.Lock()
	ln := s.extra[name]
	delete(s.extra, name)
	s.mu.Unlock()
	if ln == nil {
		return 0, fmt.Errorf("%w: %q", ErrNoListener, name)
	}
	_ = ln.Close() // its accept loop ends with net.ErrClosed
	n := 0
	for _, c := range s.snapshot() {
		if c.listener == name {
			c.close()
			n++
		}
	}
	return n, nil
}

// PushOn sends a push to every open connection the named listener accepted
// and returns how many it was queued on.
func (s *Server) PushOn(name string, cmd uint32, body []byte) int {
	n := s.pushWhere(cmd, body, func(c *conn) bool { return c.listener == name })
	s.log.Info("push", "listener", name, "cmdid", cmd, "bytes", len(body), "delivered", n)
	return n
}
