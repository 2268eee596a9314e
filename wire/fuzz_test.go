package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// FuzzPacket feeds arbitrary bytes to Parse. Properties: never panics;
// consumed length is within the input and the limit; and what parses with
// head_length 20 re-encodes to exactly the bytes it consumed.
func FuzzPacket(f *testing.F) {
	c := NewMars(testVersion)
	for _, p := range []Packet{
		{CmdID: 7, Seq: 1, Body: []byte("abc")},
		c.Noop(),
		Push(10001, []byte("push")),
		Identify(9, []byte("identify")),
	} {
		b, _ := c.Append(nil, p)
		f.Add(b)
	}
	f.Add(append(hdr(28, testVersion, 1, 1, 2), "12345678ab"...))
	f.Add(hdr(20, testVersion, 1, 1, 0xFFFFFFFF))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, n, err := c.Parse(b)
		if err != nil {
			if n != 0 {
				t.Fatalf("error %v with n=%d", err, n)
			}
			if errors.Is(err, ErrShort) && len(b) >= DefaultMaxPacket {
				t.Fatalf("ErrShort with %d bytes", len(b))
			}
			return
		}
		if n < HeaderLen || n > len(b) || n > DefaultMaxPacket {
			t.Fatalf("consumed %d of %d", n, len(b))
		}
		if binary.BigEndian.Uint32(b) != HeaderLen {
			return
		}
		again, err := c.Append(nil, p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, b[:n]) {
			t.Fatalf("re-encoded % x, consumed % x", again, b[:n])
		}
	})
}

// FuzzStream checks that reassembly does not depend on how reads split the
// bytes: feeding b in pieces of the fuzzed sizes yields the same packets
// (and the same error) as feeding it whole, through Write or through
// ReadOnce, under a fuzzed MaxPacket (0: none) that no delivered packet
// exceeds.
func FuzzStream(f *testing.F) {
	c := NewMars(testVersion)
	var two []byte
	two, _ = c.Append(two, Packet{CmdID: 1, Seq: 1, Body: []byte("first")})
	two, _ = c.Append(two, Packet{CmdID: 2, Seq: 2, Body: []byte("second")})
	f.Add(two, []byte{1, 3, 7, 20}, uint16(0))
	f.Add(append(two, hdr(20, 1, 1, 1, 0)...), []byte{25}, uint16(0))
	f.Add(two, []byte{30}, uint16(25))
	f.Fuzz(func(t *testing.T, b, cuts []byte, limit uint16) {
		whole, wholeErr := collect(c, int(limit), [][]byte{b})
		pieces := cut(b, cuts)
		for name, read := range map[string]func(Codec, int, [][]byte) ([]Packet, error){"Write": collect, "ReadOnce": collectReads} {
			split, splitErr := read(c, int(limit), pieces)
			if (wholeErr == nil) != (splitErr == nil) || len(whole) != len(split) {
				t.Fatalf("whole: %d packets, err %v; %s split: %d packets, err %v", len(whole), wholeErr, name, len(split), splitErr)
			}
			for i := range whole {
				if whole[i].CmdID != split[i].CmdID || whole[i].Seq != split[i].Seq || !bytes.Equal(whole[i].Body, split[i].Body) {
					t.Fatalf("%s packet %d: %v vs %v", name, i, whole[i], split[i])
				}
			}
		}
		for _, p := range whole {
			if n := HeaderLen + len(p.Body); limit > 0 && n > int(limit) {
				t.Fatalf("delivered a %d-byte packet past the %d-byte limit", n, limit)
			}
		}
	})
}

// cut splits b into pieces of the sizes in cuts, and the rest.
func cut(b, cuts []byte) [][]byte {
	var pieces [][]byte
	for _, n := range cuts {
		if len(b) == 0 {
			break
		}
		k := min(int(n), len(b))
		pieces, b = append(pieces, b[:k]), b[k:]
	}
	return append(pieces, b)
}

// collect feeds pieces to a fresh Stream with Write and returns what it
// parses.
func collect(c Codec, limit int, pieces [][]byte) ([]Packet, error) {
	s := NewStream(c)
	s.MaxPacket = limit
	var out []Packet
	for _, p := range pieces {
		_, _ = s.Write(p)
		var err error
		if out, err = drainAll(s, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// collectReads has a fresh Stream read pieces, one per ReadOnce, and
// returns what it parses.
func collectReads(c Codec, limit int, pieces [][]byte) ([]Packet, error) {
	s := NewStreamSize(c, 8)
	s.MaxPacket = limit
	var out []Packet
	for _, p := range pieces {
		r := bytes.NewReader(p)
		for r.Len() > 0 {
			if _, err := s.ReadOnce(r); err != nil {
				return out, err
			}
			var err error
			if out, err = drainAll(s, out); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// drainAll appends every complete packet s holds to out.
func drainAll(s *Stream, out []Packet) ([]Packet, error) {
	for {
		p, ok, err := s.Next()
		if !ok {
			return out, err
		}
		out = append(out, p)
	}
}
