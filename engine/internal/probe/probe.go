// Package probe checks that a long-link server answers: connect, send one
// noop, wait for the noop answer. It is Mars's NetSourceTimerCheck speed
// test and does nothing else.
package probe

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/mars-go/mars/wire"
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
	_, err = Exchange(ctx, c, codec)
	return err
}

// Exchange sends one noop on c and waits, until ctx is done, for its
// answer; out-of-band packets (cmdid 72) are skipped, any other packet is
// ErrNoAnswer. rest is what followed the answer in the last read, for the
// connection's next reader. On success c has no deadline set.
func Exchange(ctx context.Context, c net.Conn, codec wire.Codec) (rest []byte, err error) {
	stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Now()) }) // unblock I/O at the deadline
	defer func() {
		if !stop() && err == nil { // the deadline fired as the answer came: the connection is past it
			rest, err = nil, ctx.Err()
		}
	}()
	pkt, err := codec.Append(nil, codec.Noop())
	if err != nil {
		return nil, err
	}
	if _, err := c.Write(pkt); err != nil {
		return nil, err
	}
	var buf []byte
	tmp := make([]byte, 4096)
	for {
		for {
			p, n, err := codec.Parse(buf)
			if errors.Is(err, wire.ErrShort) {
				break
			}
			if err != nil {
				return nil, err
			}
			buf = buf[n:]
			if codec.IsNoopResponse(p) {
				return buf, nil
			}
			if p.CmdID != wire.OutOfBandCmdID {
				return nil, ErrNoAnswer
			}
		}
		n, err := c.Read(tmp)
		buf = append(buf, tmp[:n]...)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
	}
}
