package marsd

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/mars-go/mars/wire"
)

func TestEchoSameCmdSeqBody(t *testing.T) {
	s := start(t, Config{})
	c := client(t, s)
	c.Send(wire.Packet{CmdID: 7, Seq: 42, Body: []byte("abc")})
	got := c.WantPacket(7)
	if got.Seq != 42 || string(got.Body) != "abc" {
		t.Fatalf("answer %v %q", got, got.Body)
	}
	if st := s.Stats(); st.Requests != 1 || st.Accepted != 1 || st.Open != 1 || st.BytesIn != 23 {
		t.Fatalf("stats %+v", st)
	}
}

func TestPipelinedAnsweredInOrder(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	var batch []byte
	for i := uint32(1); i <= 50; i++ {
		batch = append(batch, encode(t, wire.Packet{CmdID: 100 + i, Seq: i, Body: fmt.Appendf(nil, "req %d", i)})...)
	}
	write(t, conn, batch) // fifty packets in one write
	raw, _ := readN(t, conn, len(batch))
	if !bytes.Equal(raw, batch) {
		t.Fatal("pipelined answers differ from the requests (echo, same order)")
	}
}

func TestNoopAnswered(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	write(t, conn, encode(t, codec.Noop()))
	raw, _ := readN(t, conn, wire.HeaderLen)
	if !bytes.Equal(raw, encode(t, wire.Packet{CmdID: 6, Seq: 0xFFFFFFFF})) {
		t.Fatalf("noop answer % x", raw)
	}
	if st := s.Stats(); st.Noops != 1 || st.Requests != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestIdentifyAnswered(t *testing.T) {
	s := start(t, Config{})
	c := client(t, s)
	c.Send(wire.Identify(55, []byte("who")))
	got := c.WantIdentify()
	if got.CmdID != 55 || string(got.Body) != "who" {
		t.Fatalf("identify answer %v %q", got, got.Body)
	}
	if st := s.Stats(); st.Identifies != 1 || st.Requests != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestStreamFraming(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	one := encode(t, wire.Packet{CmdID: 9, Seq: 1, Body: []byte("split")})
	for i := range one {
		write(t, conn, one[i:i+1]) // one byte per write
	}
	two := append(encode(t, wire.Packet{CmdID: 9, Seq: 2, Body: []byte("a")}),
		encode(t, wire.Packet{CmdID: 9, Seq: 3, Body: []byte("b")})...)
	write(t, conn, two)
	raw, _ := readN(t, conn, len(one)+len(two))
	if !bytes.Equal(raw, append(one, two...)) {
		t.Fatalf("answers % x", raw)
	}
}

func TestLongHeaderRequestAccepted(t *testing.T) {
	s := start(t, Config{})
	conn := dial(t, s)
	req := encode(t, wire.Packet{CmdID: 9, Seq: 1, Body: []byte("xyz")})
	ext := append([]byte{0, 0, 0, 24}, req[4:20]...)
	ext = append(append(ext, "EXTN"...), "xyz"...)
	write(t, conn, ext)
	raw, _ := readN(t, conn, len(req))
	if !bytes.Equal(raw, req) {
		t.Fatalf("answer % x, want % x", raw, req)
	}
}

func TestCorruptClientStreamClosed(t *testing.T) {
	cases := map[string][]byte{
		"wrong version": encodeVersion(testVersion+1, wire.Packet{CmdID: 7, Seq: 1}),
		"oversize":      {0, 0, 0, 20, 0, 0, 0, testVersion, 0, 0, 0, 7, 0, 0, 0, 1, 0x7F, 0, 0, 0},
		"short header":  {0, 0, 0, 8, 0, 0, 0, testVersion, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			s := start(t, Config{})
			conn := dial(t, s)
			write(t, conn, in)
			wantEOF(t, conn)
			if st := s.Stats(); st.BadStreams != 1 {
				t.Fatalf("stats %+v", st)
			}
		})
	}
}

func encodeVersion(v uint32, p wire.Packet) []byte {
	b, _ := wire.Mars{ClientVersion: v}.Append(nil, p)
	return b
}

func TestOnePerReadAnswersOnlyTheFirstPacketOfARead(t *testing.T) {
	s := start(t, Config{Behavior: Behavior{OnePerRead: true}})
	c := client(t, s)
	first := encode(t, codec.Noop())
	second := encode(t, wire.Packet{CmdID: 7, Seq: 1, Body: []byte("lost")})
	c.SendRaw(append(first, second...)) // one write: one read on loopback
	c.WantNoop()
	c.WantNothing(shortWait)
	if st := s.Stats(); st.DroppedBytes != int64(len(second)) || st.Requests != 0 {
		t.Fatalf("stats %+v, want the second packet's %d bytes dropped", st, len(second))
	}
	c.Send(wire.Packet{CmdID: 8, Seq: 2, Body: []byte("alone")}) // a read of its own is answered
	if got := c.WantPacket(8); got.Seq != 2 {
		t.Fatalf("answer %v", got)
	}
}
