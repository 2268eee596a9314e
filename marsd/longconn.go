package marsd

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/mars-go/mars/wire"
)

// conn is one accepted long-link connection: a reader goroutine that parses
// requests and decides answers, and a writer goroutine that performs the
// queued writes in order (with their delays, trickles and byte limit).
type conn struct {
	id       uint64
	srv      *Server
	nc       net.Conn
	listener string // the name of the listener that accepted it

	out  chan outItem  // reader, pushes -> writer
	done chan struct{} // closed by close: both loops stop
	once sync.Once

	written int64 // bytes written; owned by the writer
}

func (s *Server) acceptLoop(ln net.Listener, name string) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("accept", "err", err)
			}
			return
		}
		s.addConn(nc, name, ln)
	}
}

// addConn registers nc, accepted by ln, and starts its loops, unless the
// server is closing or ln was closed (CloseLongListener) in between: that
// call has already closed the connections it saw, and would miss this one.
func (s *Server) addConn(nc net.Conn, listener string, ln net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || listener != MainListener && s.extra[listener] != ln {
		_ = nc.Close() // raced with Close or CloseLongListener: nothing to serve
		return
	}
	s.nextID++
	c := &conn{id: s.nextID, srv: s, nc: nc, listener: listener, out: make(chan outItem, outQueueLen),
		done: make(chan struct{})}
	s.conns[c.id] = c
	s.stats.accepted.Add(1)
	s.stats.open.Add(1)
	s.log.Info("long link accepted", "conn", c.id, "listener", listener, "remote", nc.RemoteAddr().String())
	s.wg.Go(c.readLoop)
	s.wg.Go(c.writeLoop)
}

func (s *Server) removeConn(c *conn) {
	s.mu.Lock()
	delete(s.conns, c.id)
	s.mu.Unlock()
	s.stats.open.Add(-1)
	s.log.Info("long link closed", "conn", c.id)
}

// close closes the connection once; both loops notice through done.
func (c *conn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.nc.Close() // the peer may have closed first; nothing to report
	})
}

// enqueue hands one write to the writer; false if the connection closed.
func (c *conn) enqueue(it outItem) bool {
	select {
	case c.out <- it:
		return true
	case <-c.done:
		return false
	}
}

func (c *conn) readLoop() {
	defer c.srv.removeConn(c)
	defer c.close()
	codec := wire.Mars{ClientVersion: c.srv.cfg.ClientVersion, MaxPacket: c.srv.cfg.MaxPacket}
	stream := wire.NewStream(codec)
	buf := make([]byte, readBufferSize)
	for {
		n, err := c.nc.Read(buf)
		c.srv.stats.bytesIn.Add(int64(n))
		_, _ = stream.Write(buf[:n]) // Stream.Write never fails
		for {
			p, ok, perr := stream.Next()
			if perr != nil {
				c.srv.stats.badStreams.Add(1)
				c.srv.log.Warn("corrupt stream, closing", "conn", c.id, "err", perr)
				return
			}
			if !ok {
				break
			}
			c.handle(p)
			if c.srv.cfg.OnPacket != nil {
				c.srv.cfg.OnPacket(c.id, p)
			}
			if c.srv.Behavior().OnePerRead {
				c.dropRestOfRead(stream)
				stream = wire.NewStream(codec) // the bytes behind it are gone
				break
			}
		}
		if err != nil {
			return
		}
	}
}

// dropRestOfRead counts and logs what a one-packet-per-read server loses.
func (c *conn) dropRestOfRead(s *wire.Stream) {
	if n := s.Buffered(); n > 0 {
		c.srv.stats.droppedBytes.Add(int64(n))
		c.srv.log.Info("one packet per read: dropped the rest", "conn", c.id, "bytes", n)
	}
}

// handle decides the answer to one received packet.
func (c *conn) handle(p wire.Packet) {
	s := c.srv
	b := s.Behavior()
	s.log.Debug("received", "conn", c.id, "packet", p.String())
	switch {
	case wire.IsNoopRequest(p):
		s.stats.noops.Add(1)
		if !b.Silent && !b.IgnoreNoop {
			c.enqueue(answerItem(s.encodeAnswer(wire.NoopResponse(p), b, p.CmdID), b))
		}
	case p.Seq == wire.IdentifySeq:
		s.stats.identifies.Add(1)
		if !b.Silent {
			c.enqueue(answerItem(s.encodeAnswer(p, b, 0), b))
		}
	default:
		s.stats.requests.Add(1)
		c.request(p, b)
	}
}

// request answers an ordinary request, applying its scripting cmdid.
func (c *conn) request(p wire.Packet, b Behavior) {
	if p.CmdID == CmdClose {
		c.srv.log.Info("closing on request", "conn", c.id)
		c.close()
		return
	}
	b = b.forRequest(p.CmdID)
	if b.Silent {
		return
	}
	c.enqueue(answerItem(c.srv.encodeAnswer(p, b, p.CmdID), b))
	switch p.CmdID {
	case CmdPushEcho:
		c.push(PushCmdID, p.Body)
	case CmdPushAll:
		c.srv.Push(PushCmdID, p.Body)
	}
}

// push queues a push packet (seq 0) on this connection.
func (c *conn) push(cmd uint32, body []byte) bool {
	return c.pushPacket(c.srv.pushPacket(cmd, body), nil)
}

// pushPacket queues an encoded push, giving up once stop fires (nil:
// never), for when the writer's queue stays full because the client
// stopped reading.
func (c *conn) pushPacket(data []byte, stop <-chan time.Time) bool {
	select {
	case c.out <- outItem{data: data}:
		c.srv.stats.pushes.Add(1)
		return true
	case <-c.done:
	case <-stop:
	}
	return false
}

func (c *conn) writeLoop() {
	defer c.close() // a failed write ends the reader too
	for {
		select {
		case it := <-c.out:
			if !c.write(it) {
				return
			}
		case <-c.done:
			return
		}
	}
}

// write performs one queued write; false means the connection is done.
func (c *conn) write(it outItem) bool {
	if !it.at.IsZero() && !c.sleep(time.Until(it.at)) {
		return false
	}
	data, cut := it.data, false
	if limit := c.srv.Behavior().CloseAfter; limit > 0 && c.written+int64(len(data)) >= limit {
		data, cut = data[:max(limit-c.written, 0)], true
	}
	if err := c.writeBytes(data, it.trickle); err != nil {
		return false
	}
	if cut {
		c.srv.log.Info("closing after byte limit", "conn", c.id, "written", c.written)
		return false
	}
	return true
}

// writeBytes writes data at once, or one byte per gap when trickling.
func (c *conn) writeBytes(data []byte, gap time.Duration) error {
	step := len(data)
	if gap > 0 {
		step = 1
	}
	for i := 0; i < len(data); i += step {
		if i > 0 && !c.sleep(gap) {
			return net.ErrClosed
		}
		n, err := c.nc.Write(data[i : i+step])
		c.written += int64(n)
		c.srv.stats.bytesOut.Add(int64(n))
		if err != nil {
			return err
		}
	}
	return nil
}

// sleep waits d unless the connection closes first.
func (c *conn) sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.done:
		return false
	}
}
