// Package probe checks that a long-link server answers: connect, send one
// noop, wait for the noop answer. It is Mars's NetSourceTimerCheck speed
// test and does nothing else.
package probe

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/mars-go/mars/engine/wire"
)

// Dialer opens one connection; *net.Dialer satisfies it.
type Dialer interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// ErrNoAnswer means the server sent something other than a noop answer.
var ErrNoAnswer = errors.New("probe: no noop answer")

// Noop connects to addr and exchanges one noop within timeout (connect
// included). Any packet that is not a noop answer fails the probe, except
// out-of-band packets Mars tolerates (cmdid 72), which are skipped. wrap,
// when not nil, secures the connection first (the long link's TLS).
func Noop(ctx context.Context, d Dialer, addr string, codec wire.Codec, timeout time.Duration,
	wrap func(context.Context, net.Conn) (net.Conn, error)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer raw.Close()
	c := raw
	if wrap != nil {
		if c, err = wrap(ctx, raw); err != nil {
			return err
		}
	}
	stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Now()) }) // unblock I/O at the deadline
	defer stop()
	pkt, err := codec.Append(nil, codec.Noop())
	if err != nil {
		return err
	}
	if _, err := c.Write(pkt); err != nil {
		return err
	}
	s := wire.NewStream(codec)
	buf := make([]byte, 4096)
	for {
		p, ok, err := s.Next()
		if err != nil {
			return err
		}
		if ok {
			if codec.IsNoopResponse(p) {
				return nil
			}
			if p.CmdID != wire.OutOfBandCmdID {
				return ErrNoAnswer
			}
			continue
		}
		n, err := c.Read(buf)
		if n > 0 {
			_, _ = s.Write(buf[:n]) // a Stream's Write never fails
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
	}
}
