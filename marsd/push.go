package marsd

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/mars-go/mars/wire"
)

// Push sends a push (seq 0) with cmd and body to every open long-link
// connection and returns how many it was queued on.
func (s *Server) Push(cmd uint32, body []byte) int {
	n := s.pushWhere(cmd, body, func(*conn) bool { return true })
	s.log.Info("push", "cmdid", cmd, "bytes", len(body), "delivered", n)
	return n
}

// PushTo sends a push to the connection with the given id.
func (s *Server) PushTo(id uint64, cmd uint32, body []byte) error {
	s.mu.Lock()
	c := s.conns[id]
	s.mu.Unlock()
	if c == nil || !c.push(cmd, body) {
		return fmt.Errorf("%w: %d", ErrNoConn, id)
	}
	return nil
}

// MaxFlood bounds one Flood, so a scripted flood always ends by itself.
const MaxFlood = 10 * time.Minute

// Flood pushes cmd and body to every open connection back to back, as
// fast as each connection's socket takes them (a client that stops reading
// holds the flood at its TCP window), until d (at most MaxFlood) has passed
// or no connection is left. It returns how many pushes were queued.
func (s *Server) Flood(cmd uint32, body []byte, d time.Duration) int {
	d = min(d, MaxFlood)
	end, stop := time.Now().Add(d), time.NewTimer(d)
	defer stop.Stop()
	data := s.pushPacket(cmd, body) // one encoding, written again and again
	n := 0
	for time.Now().Before(end) {
		cs := s.snapshot()
		if len(cs) == 0 {
			break
		}
		for _, c := range cs {
			if c.pushPacket(data, stop.C) {
				n++
			}
		}
	}
	s.log.Info("flood", "cmdid", cmd, "bytes", len(body), "pushes", n)
	return n
}

// pushWhere queues one encoding of a push on every open connection that
// match accepts and returns how many it was queued on.
func (s *Server) pushWhere(cmd uint32, body []byte, match func(*conn) bool) int {
	data, n := s.pushPacket(cmd, body), 0
	for _, c := range s.snapshot() {
		if match(c) && c.pushPacket(data, nil) {
			n++
		}
	}
	return n
}

// pushPacket encodes a push (seq 0) of cmd and body in the server's version.
func (s *Server) pushPacket(cmd uint32, body []byte) []byte {
	data, _ := wire.Mars{ClientVersion: s.cfg.ClientVersion}.Append(nil, wire.Push(cmd, body))
	return data
}

// Conns lists the open long-link connections in accept order.
func (s *Server) Conns() []ConnInfo {
	cs := s.snapshot()
	out := make([]ConnInfo, len(cs))
	for i, c := range cs {
		out[i] = ConnInfo{ID: c.id, Remote: c.nc.RemoteAddr().String(), Listener: c.listener}
	}
	return out
}

// CloseConns closes every open long-link connection (the listener stays
// up) and returns how many it closed: a server-side disconnect for tests.
func (s *Server) CloseConns() int {
	cs := s.snapshot()
	for _, c := range cs {
		c.close()
	}
	return len(cs)
}

// snapshot returns the open connections sorted by id.
func (s *Server) snapshot() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *conn) int { return cmp.Compare(a.id, b.id) })
	return out
}

// pushLoop sends the periodic push of Config.PushEvery until Close.
func (s *Server) pushLoop() {
	t := time.NewTicker(s.cfg.PushEvery)
	defer t.Stop()
	for i := 1; ; i++ {
		select {
		case <-t.C:
			body := s.cfg.PushBody
			if body == nil {
				body = fmt.Appendf(nil, "marsd push %d", i)
			}
			s.Push(PushCmdID, body)
		case <-s.closing:
			return
		}
	}
}
