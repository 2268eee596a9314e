package longlink

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/mars-go/mars/wire"
)

// replayConn serves the same bytes rounds times in reads of at most chunk
// bytes, then io.EOF; writes are discarded.
type replayConn struct {
	net.Conn
	data   []byte
	chunk  int
	off    int
	rounds int
}

func (c *replayConn) Read(b []byte) (int, error) {
	if c.off == len(c.data) {
		if c.rounds == 0 {
			return 0, io.EOF
		}
		c.rounds--
		c.off = 0
	}
	n := copy(b[:min(len(b), c.chunk)], c.data[c.off:])
	c.off += n
	return n, nil
}
func (c *replayConn) Write(b []byte) (int, error) { return len(b), nil }
func (c *replayConn) Close() error                { return nil }

// countEvents counts packets and releases them at once.
type countEvents struct {
	pkts   int
	closed chan Reason
}

func (e *countEvents) Received(l *Link, pkts []wire.Packet) {
	e.pkts += len(pkts)
	for _, p := range pkts {
		l.Release(Cost(p))
	}
}
func (e *countEvents) Progress(*Link, uint32)                  {}
func (e *countEvents) Written(*Link, []uint32, int, time.Time) {}
func (e *countEvents) Closed(_ *Link, why Reason)              { e.closed <- why }

// BenchmarkReader measures the reader turning bytes into packets: one op is
// 64 packets of 100-byte bodies, read in 1500-byte pieces so packets
// straddle reads.
func BenchmarkReader(b *testing.B) {
	var one []byte
	for seq := range uint32(64) {
		one, _ = codec.Append(one, wire.Packet{CmdID: 7, Seq: seq + 1, Body: make([]byte, 100)})
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(one)))
	conn := &replayConn{data: one, chunk: 1500, off: len(one), rounds: b.N}
	ev := &countEvents{closed: make(chan Reason, 1)}
	var wg sync.WaitGroup
	b.ResetTimer()
	Start(conn, codec, Limits{MaxPacket: 1 << 20, Backlog: 1 << 20}, ev, nil, &wg)
	why := <-ev.closed
	wg.Wait()
	if why.Kind != PeerClosed || ev.pkts != 64*b.N {
		b.Fatalf("closed with %v after %d packets, want PeerClosed after %d", why.Kind, ev.pkts, 64*b.N)
	}
}
