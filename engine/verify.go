package engine

import (
	"context"
	"fmt"
	"net"
	"syscall"
	"time"

	"github.com/mars-go/mars/engine/internal/probe"
	"github.com/mars-go/mars/internal/prefixconn"
	"github.com/mars-go/mars/wire"
)

// verifyDialer is Mars's optional connect verification
// (longlink_complexconnect_need_verify): each raced candidate, once
// connected (and secured), exchanges a noop, and only a candidate whose
// noop was answered can win the race.
type verifyDialer struct {
	d     Dialer
	codec wire.Codec
}

// verifyTimeout is Mars's wait for the noop answer of a candidate whose
// connect took rtt: max(3 s, min(6·rtt, 10 s − rtt)).
func verifyTimeout(rtt time.Duration) time.Duration {
	return max(3*time.Second, min(6*rtt, 10*time.Second-rtt))
}

func (v *verifyDialer) DialContext(ctx context.Context, network, target string) (net.Conn, error) {
	start := time.Now()
	c, err := v.d.DialContext(ctx, network, target)
	if err != nil {
		return nil, err
	}
	vctx, cancel := context.WithTimeout(ctx, verifyTimeout(time.Since(start)))
	defer cancel()
	rest, err := probe.Exchange(vctx, c, v.codec)
	if err != nil {
		_ = c.Close() // unverified: the candidate lost
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// ETIMEDOUT for no answer, as Mars reports a candidate that lost.
		return nil, fmt.Errorf("connect verification: %w (%w)", syscall.ETIMEDOUT, err)
	}
	return prefixconn.New(c, rest), nil // bytes past the answer come first
}
