// Package prefixconn puts bytes already read from a connection back in
// front of it: a handshake (a proxy's CONNECT answer, a connect
// verification's noop) may read past its own end, and what came after
// belongs to whoever uses the connection next.
package prefixconn

import "net"

// New returns c reading rest first, then from c itself; c unchanged when
// rest is empty. rest is not copied: it must not change afterwards.
func New(c net.Conn, rest []byte) net.Conn {
	if len(rest) == 0 {
		return c
	}
	return &conn{Conn: c, rest: rest}
}

type conn struct {
	net.Conn
	rest []byte
}

func (p *conn) Read(b []byte) (int, error) {
	if len(p.rest) > 0 {
		n := copy(b, p.rest)
		p.rest = p.rest[n:]
		return n, nil
	}
	return p.Conn.Read(b)
}
