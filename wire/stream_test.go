package wire

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func drain(t *testing.T, s *Stream) []Packet {
	t.Helper()
	var out []Packet
	for {
		p, ok, err := s.Next()
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if !ok {
			return out
		}
		out = append(out, p)
	}
}

// TestStreamByteByByte pins Mars's behaviour: a packet delivered one byte at a time
// and two packets in one read both parse.
func TestStreamByteByByte(t *testing.T) {
	c := NewMars(testVersion)
	b, _ := c.Append(nil, Packet{CmdID: 7, Seq: 1, Body: []byte("abc")})
	s := NewStream(c)
	for i, x := range b {
		_, _ = s.Write([]byte{x})
		got := drain(t, s)
		if i < len(b)-1 && len(got) != 0 {
			t.Fatalf("packet after %d of %d bytes", i+1, len(b))
		}
		if i == len(b)-1 && (len(got) != 1 || string(got[0].Body) != "abc") {
			t.Fatalf("after all bytes got %v", got)
		}
	}
	if s.Buffered() != 0 {
		t.Fatalf("Buffered = %d after a whole packet", s.Buffered())
	}
}

func TestStreamTwoInOneWrite(t *testing.T) {
	c := NewMars(testVersion)
	b, _ := c.Append(nil, Packet{CmdID: 1, Seq: 1, Body: []byte("first")})
	b, _ = c.Append(b, Packet{CmdID: 2, Seq: 2, Body: []byte("second")})
	b, _ = c.Append(b, Packet{CmdID: 3, Seq: 3, Body: []byte("third")})
	s := NewStream(c)
	_, _ = s.Write(b[:len(b)-2])
	got := drain(t, s)
	if len(got) != 2 || string(got[0].Body) != "first" || string(got[1].Body) != "second" {
		t.Fatalf("got %v", got)
	}
	_, _ = s.Write(b[len(b)-2:])
	got = drain(t, s)
	if len(got) != 1 || string(got[0].Body) != "third" || got[0].CmdID != 3 {
		t.Fatalf("got %v", got)
	}
}

func TestStreamCompactsAndKeepsOrder(t *testing.T) {
	c := NewMars(testVersion)
	s := NewStream(c)
	var want uint32
	for round := uint32(1); round <= 200; round++ {
		b, _ := c.Append(nil, Packet{CmdID: round, Seq: round, Body: make([]byte, round)})
		// Split each packet unevenly so partial tails survive compaction.
		cut := int(round) % len(b)
		_, _ = s.Write(b[:cut])
		for _, p := range drain(t, s) {
			want++
			if p.Seq != want {
				t.Fatalf("seq %d, want %d", p.Seq, want)
			}
		}
		_, _ = s.Write(b[cut:])
		for _, p := range drain(t, s) {
			want++
			if p.Seq != want || len(p.Body) != int(want) {
				t.Fatalf("seq %d len %d, want %d", p.Seq, len(p.Body), want)
			}
		}
	}
	if want != 200 {
		t.Fatalf("got %d packets, want 200", want)
	}
}

func TestStreamErrorIsSticky(t *testing.T) {
	s := NewStream(NewMars(testVersion))
	_, _ = s.Write(hdr(20, 1, 1, 1, 0))
	if _, _, err := s.Next(); !errors.Is(err, ErrVersion) {
		t.Fatalf("Next = %v, want ErrVersion", err)
	}
	good, _ := NewMars(testVersion).Append(nil, Packet{CmdID: 1, Seq: 1})
	_, _ = s.Write(good)
	if _, ok, err := s.Next(); ok || !errors.Is(err, ErrVersion) {
		t.Fatalf("after corruption Next = ok %v err %v", ok, err)
	}
}

// MaxPacket holds whatever the codec accepts: a whole packet over it, or
// more bytes of an incomplete one buffered, is ErrTooLarge, after the
// packets before it.
func TestStreamMaxPacketWholeOrPartial(t *testing.T) {
	lenient := Mars{ClientVersion: testVersion, MaxPacket: 1 << 30}
	small, _ := lenient.Append(nil, Packet{CmdID: 7, Seq: 1, Body: []byte("ok")})
	big, _ := lenient.Append(nil, Packet{CmdID: 7, Seq: 2, Body: make([]byte, 200)})
	for name, in := range map[string][]byte{"whole": append(small, big...), "partial": append(small, big[:150]...)} {
		t.Run(name, func(t *testing.T) {
			s := NewStream(lenient)
			s.MaxPacket = 100
			_, _ = s.Write(in)
			if p, ok, err := s.Next(); !ok || err != nil || p.Seq != 1 {
				t.Fatalf("first Next = %v %v %v, want the small packet", p, ok, err)
			}
			if _, ok, err := s.Next(); ok || !errors.Is(err, ErrTooLarge) {
				t.Fatalf("second Next = ok %v err %v, want ErrTooLarge", ok, err)
			}
		})
	}
	s := NewStream(lenient)
	s.MaxPacket = 100
	_, _ = s.Write(big[:100])
	if _, ok, err := s.Next(); ok || err != nil {
		t.Fatalf("100 of 220 bytes buffered under a 100-byte limit: ok %v err %v, want more needed", ok, err)
	}
}

// PeekSeq names the seq of a packet whose header has arrived, and nothing
// for a codec that cannot peek.
func TestStreamPeekSeq(t *testing.T) {
	c := NewMars(testVersion)
	b, _ := c.Append(nil, Packet{CmdID: 7, Seq: 42, Body: make([]byte, 100)})
	s := NewStream(c)
	_, _ = s.Write(b[:HeaderLen-1])
	if _, ok := s.PeekSeq(); ok {
		t.Fatal("PeekSeq named a seq before the header arrived")
	}
	_, _ = s.Write(b[HeaderLen-1 : 30])
	if seq, ok := s.PeekSeq(); !ok || seq != 42 {
		t.Fatalf("PeekSeq = %d %v, want 42", seq, ok)
	}
	blind := NewStream(noPeek{c})
	_, _ = blind.Write(b[:30])
	if _, ok := blind.PeekSeq(); ok {
		t.Fatal("PeekSeq named a seq for a codec without SeqPeeker")
	}
}

// noPeek hides Mars's SeqPeeker.
type noPeek struct{ Codec }

// ReadOnce reads straight into the buffer, packets straddling reads parse,
// and the buffer grows when one packet outgrows it.
func TestStreamReadOnce(t *testing.T) {
	c := NewMars(testVersion)
	var in []byte
	for seq := uint32(1); seq <= 20; seq++ {
		in, _ = c.Append(in, Packet{CmdID: 7, Seq: seq, Body: make([]byte, 50*seq)})
	}
	r := iotest.OneByteReader(bytes.NewReader(in))
	s := NewStreamSize(c, 16)
	var want uint32 = 1
	for {
		_, err := s.ReadOnce(r)
		for _, p := range drain(t, s) {
			if p.Seq != want || len(p.Body) != int(50*want) {
				t.Fatalf("packet %v, want seq %d", p, want)
			}
			want++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if want != 21 || s.Buffered() != 0 {
		t.Fatalf("got %d packets, %d bytes left over", want-1, s.Buffered())
	}
}
