package sdt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/mars-go/mars/wire"
)

// probeReadSize is the read buffer of the long-link probe. Mars reads up to
// 64 KiB per readiness event, but a probe waits
// for one empty noop answer; a larger packet (a push) is reassembled by the
// Stream over several reads.
const probeReadSize = 4 << 10

// errClosedBeforeNoop reports a server that closed the probe connection
// without answering the noop.
var errClosedBeforeNoop = errors.New("connection closed before the noop answer")

// droppedAtNoop wraps the close or reset of a connection that answered the
// noop with nothing at all: what a Mars server does with a packet whose
// client_version it does not expect, so the report names that suspect.
type droppedAtNoop struct {
	err     error
	version uint32
	custom  bool // a caller's Codec chose the version
}

func (e droppedAtNoop) Error() string {
	if e.custom {
		return fmt.Sprintf("%v, with nothing read after the noop: the codec's client version may be wrong", e.err)
	}
	return fmt.Sprintf("%v, with nothing read after the noop: the client version may be wrong (sent %d; marsd and the Mars sample server expect 200)",
		e.err, e.version)
}

func (e droppedAtNoop) Unwrap() error { return e.err }

// longLinkProbe is Mars's TCP checker and speed test: connect
// to addr, send one noop on the fresh connection and wait for the noop
// answer. Other packets (a push) are skipped; a corrupt stream or a version
// mismatch is a protocol failure.
func (r *run) longLinkProbe(ctx context.Context, addr string) Result {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.ProbeTimeout)
	defer cancel()
	start := time.Now()
	conn, err := r.cfg.Dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return failure(ctx, KindLongLink, addr, err)
	}
	defer conn.Close()
	out := Result{Connect: time.Since(start)}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) }) // wake blocked I/O on timeout or cancel
	defer stop()
	sent := time.Now()
	if err := r.exchangeNoop(conn); err != nil {
		f := failure(ctx, KindLongLink, addr, err)
		f.Connect = out.Connect
		return f
	}
	out.FirstByte = time.Since(sent)
	out.OK = true
	return out
}

// exchangeNoop writes the codec's noop and reads until its answer.
func (r *run) exchangeNoop(conn net.Conn) error {
	codec := r.cfg.Codec
	if codec == nil {
		codec = wire.NewMars(r.cfg.ClientVersion)
	}
	req, err := codec.Append(nil, codec.Noop())
	if err != nil {
		return err
	}
	if _, err := conn.Write(req); err != nil {
		return err
	}
	stream := wire.NewStream(codec)
	buf := make([]byte, probeReadSize)
	received := false
	for {
		p, ok, err := stream.Next()
		if err != nil {
			return protocolError{err}
		}
		if ok {
			if codec.IsNoopResponse(p) {
				return nil
			}
			continue
		}
		n, err := conn.Read(buf)
		if n > 0 {
			received = true
			_, _ = stream.Write(buf[:n]) // Stream.Write never fails
		}
		if errors.Is(err, io.EOF) {
			err = errClosedBeforeNoop
		}
		if err != nil && !received && (errors.Is(err, errClosedBeforeNoop) || errors.Is(err, syscall.ECONNRESET)) {
			return droppedAtNoop{err: err, version: r.cfg.ClientVersion, custom: r.cfg.Codec != nil}
		}
		if err != nil {
			return err
		}
	}
}

// protocolError marks a peer that sent bytes the codec rejects.
type protocolError struct{ err error }

func (e protocolError) Error() string { return fmt.Sprintf("bad answer: %v", e.err) }
func (e protocolError) Unwrap() error { return e.err }
