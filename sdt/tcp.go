package sdt

import (
	"context"
	"time"
)

// tcpConnect connects to addr ("ip:port") and closes the connection at once.
// The connect time is the result; a failure carries the errno.
func (r *run) tcpConnect(ctx context.Context, addr string) Result {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.TCPTimeout)
	defer cancel()
	start := time.Now()
	conn, err := r.cfg.Dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return failure(ctx, KindTCP, addr, err)
	}
	connect := time.Since(start)
	if err := conn.Close(); err != nil {
		return failure(ctx, KindTCP, addr, err)
	}
	return Result{OK: true, Connect: connect}
}
