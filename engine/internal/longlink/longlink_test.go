package longlink

import (
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/engine/internal/fakenet"
	"github.com/mars-go/mars/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const version = 200

var codec = wire.NewMars(version)

// events records what a link reports.
type events struct {
	pkts     chan wire.Packet
	progress chan uint32
	written  chan []uint32
	closed   chan Reason
}

func newEvents() *events {
	return &events{
		pkts: make(chan wire.Packet, 1024), progress: make(chan uint32, 1024),
		written: make(chan []uint32, 1024), closed: make(chan Reason, 2),
	}
}

func (e *events) Received(_ *Link, pkts []wire.Packet) {
	for _, p := range pkts {
		e.pkts <- p
	}
}
func (e *events) Progress(_ *Link, seq uint32)                       { e.progress <- seq }
func (e *events) Written(_ *Link, seqs []uint32, _ int, _ time.Time) { e.written <- seqs }
func (e *events) Closed(_ *Link, why Reason)                         { e.closed <- why }

func encode(t testing.TB, p wire.Packet) []byte {
	b, err := codec.Append(nil, p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func start(t *testing.T, conn net.Conn) (*Link, *events, *sync.WaitGroup) {
	ev := newEvents()
	var wg sync.WaitGroup
	l := Start(conn, codec, Limits{}, ev, nil, &wg)
	t.Cleanup(func() { l.Close(); wg.Wait() })
	return l, ev, &wg
}

func TestPacketsSplitAndJoinedArriveWhole(t *testing.T) {
	a, b := fakenet.Pair("c", "s")
	defer b.Close()
	_, ev, _ := start(t, a)
	one := encode(t, wire.Packet{CmdID: 7, Seq: 1, Body: []byte("first")})
	two := encode(t, wire.Packet{CmdID: 8, Seq: 2, Body: []byte("second")})
	b.Write(one[:7])
	b.Write(append(one[7:], two...))
	for _, want := range []uint32{1, 2} {
		if p := <-ev.pkts; p.Seq != want {
			t.Fatalf("packet seq %d, want %d", p.Seq, want)
		}
	}
}

func TestPartialPacketReportsItsSeq(t *testing.T) {
	a, b := fakenet.Pair("c", "s")
	defer b.Close()
	_, ev, _ := start(t, a)
	full := encode(t, wire.Packet{CmdID: 7, Seq: 42, Body: make([]byte, 100)})
	b.Write(full[:30])
	if seq := <-ev.progress; seq != 42 {
		t.Fatalf("progress for seq %d, want 42", seq)
	}
}

func TestWrittenReportsSeqsAndCancelWithdrawsUnsent(t *testing.T) {
	a, b := net.Pipe() // unbuffered: the writer blocks until the peer reads
	defer b.Close()
	l, ev, _ := start(t, a)
	first := encode(t, wire.Packet{CmdID: 7, Seq: 1})
	l.Send(1, first)
	head := make([]byte, 1)
	b.Read(head) // the writer is now inside Write with packet 1
	if !l.Send(2, encode(t, wire.Packet{CmdID: 7, Seq: 2})) {
		t.Fatal("Send refused on an open link")
	}
	if l.SendIfIdle(wire.NoopSeq, encode(t, codec.Noop())) {
		t.Fatal("SendIfIdle queued behind data")
	}
	if !l.Cancel(2) {
		t.Fatal("Cancel did not find the unsent packet")
	}
	rest := make([]byte, len(first)-1)
	if _, err := b.Read(rest); err != nil {
		t.Fatal(err)
	}
	if seqs := <-ev.written; len(seqs) != 1 || seqs[0] != 1 {
		t.Fatalf("written %v, want [1]", seqs)
	}
	l.Send(3, encode(t, wire.Packet{CmdID: 7, Seq: 3}))
	buf := make([]byte, 64)
	n, _ := b.Read(buf)
	if p, _, err := codec.Parse(buf[:n]); err != nil || p.Seq != 3 {
		t.Fatalf("next packet on the wire %v %v, want seq 3 (2 was cancelled)", p, err)
	}
}

func TestCloseReasons(t *testing.T) {
	t.Run("peer close is PeerClosed", func(t *testing.T) {
		a, b := fakenet.Pair("c", "s")
		_, ev, _ := start(t, a)
		b.Close()
		if why := <-ev.closed; why.Kind != PeerClosed {
			t.Fatalf("reason %v", why.Kind)
		}
	})
	t.Run("wrong version is Corrupt", func(t *testing.T) {
		a, b := fakenet.Pair("c", "s")
		defer b.Close()
		_, ev, _ := start(t, a)
		bad, _ := wire.NewMars(version+1).Append(nil, wire.Packet{CmdID: 7, Seq: 1})
		b.Write(bad)
		if why := <-ev.closed; why.Kind != Corrupt {
			t.Fatalf("reason %v", why.Kind)
		}
	})
	t.Run("Close is Local and reported once", func(t *testing.T) {
		a, b := fakenet.Pair("c", "s")
		defer b.Close()
		l, ev, wg := start(t, a)
		l.Close()
		l.Close()
		wg.Wait()
		if why := <-ev.closed; why.Kind != Local {
			t.Fatalf("reason %v", why.Kind)
		}
		if len(ev.closed) != 0 {
			t.Fatal("Closed reported twice")
		}
		if l.Send(1, []byte{1}) {
			t.Fatal("Send accepted after Close")
		}
	})
}

// FuzzReader feeds arbitrary peer bytes to a link. Properties: no panic,
// exactly one Closed, and the packets delivered re-encode to no more bytes
// than were received.
// fuzzMaxPacket is the link's packet limit under FuzzReader, below the
// codec's own so the link's check is exercised.
const fuzzMaxPacket = 256

func FuzzReader(f *testing.F) {
	f.Add(encode(f, wire.Packet{CmdID: 7, Seq: 1, Body: []byte("abc")}))
	f.Add(append(encode(f, wire.Push(10001, []byte("p"))), encode(f, wire.NoopResponse(codec.Noop()))...))
	f.Add(encode(f, wire.Packet{CmdID: 7, Seq: 9, Body: make([]byte, 300)})[:50])
	f.Add([]byte{0, 0, 0, 20, 0, 0, 0, 200, 0, 0, 0, 7, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, b := fakenet.Pair("c", "s")
		ev := newEvents()
		var wg sync.WaitGroup
		Start(a, codec, Limits{MaxPacket: fuzzMaxPacket}, ev, nil, &wg)
		b.Write(data)
		b.Close()
		why := <-ev.closed
		wg.Wait()
		if why.Kind != PeerClosed && why.Kind != Corrupt {
			t.Fatalf("closed with %v", why.Kind)
		}
		if len(ev.closed) != 0 {
			t.Fatal("Closed reported twice")
		}
		total := 0
		for len(ev.pkts) > 0 {
			n := len(encode(t, <-ev.pkts))
			if n > fuzzMaxPacket {
				t.Fatalf("delivered a %d-byte packet past the %d-byte limit", n, fuzzMaxPacket)
			}
			total += n
		}
		if total > len(data) {
			t.Fatalf("delivered %d bytes of packets from %d input bytes", total, len(data))
		}
	})
}

// writeLog records every Write on a conn.
type writeLog struct {
	net.Conn
	writes chan []byte
}

func (w writeLog) Write(b []byte) (int, error) {
	w.writes <- append([]byte(nil), b...)
	return w.Conn.Write(b)
}

func TestEachPacketGoesOutInOneWrite(t *testing.T) {
	a, b := fakenet.Pair("c", "s")
	defer b.Close()
	w := writeLog{Conn: a, writes: make(chan []byte, 64)}
	l, ev, _ := start(t, w)
	for seq := uint32(1); seq <= 5; seq++ {
		l.Send(seq, encode(t, wire.Packet{CmdID: 7, Seq: seq, Body: make([]byte, int(seq)*100)}))
	}
	sent := 0
	for sent < 5 {
		sent += len(<-ev.written)
	}
	for range 5 {
		chunk := <-w.writes
		if _, n, err := codec.Parse(chunk); err != nil || n != len(chunk) {
			t.Fatalf("a write of %d bytes is not one whole packet (%v, parsed %d)", len(chunk), err, n)
		}
	}
}

// The link's own limit holds whatever the codec accepts: a packet larger
// than maxPacket is a corrupt stream whether it arrives whole or in parts.
func TestPacketOverTheLinkLimitIsCorruptWholeOrPartial(t *testing.T) {
	lenient := wire.Mars{ClientVersion: version, MaxPacket: 1 << 30}
	big, err := lenient.Append(nil, wire.Packet{CmdID: 7, Seq: 1, Body: make([]byte, 200)})
	if err != nil {
		t.Fatal(err)
	}
	for name, chunks := range map[string][][]byte{"whole": {big}, "partial": {big[:150]}} {
		t.Run(name, func(t *testing.T) {
			a, b := fakenet.Pair("c", "s")
			defer b.Close()
			ev := newEvents()
			var wg sync.WaitGroup
			l := Start(a, lenient, Limits{MaxPacket: 100}, ev, nil, &wg)
			defer func() { l.Close(); wg.Wait() }()
			for _, c := range chunks {
				b.Write(c)
			}
			why := <-ev.closed
			if why.Kind != Corrupt || !errors.Is(why.Err, wire.ErrTooLarge) {
				t.Fatalf("closed with %v (%v), want Corrupt: ErrTooLarge", why.Kind, why.Err)
			}
			if len(ev.pkts) != 0 {
				t.Fatal("the oversize packet was delivered")
			}
		})
	}
}
