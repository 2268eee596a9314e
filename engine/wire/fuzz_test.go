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
// (and the same error) as feeding it whole.
func FuzzStream(f *testing.F) {
	c := NewMars(testVersion)
	var two []byte
	two, _ = c.Append(two, Packet{CmdID: 1, Seq: 1, Body: []byte("first")})
	two, _ = c.Append(two, Packet{CmdID: 2, Seq: 2, Body: []byte("second")})
	f.Add(two, []byte{1, 3, 7, 20})
	f.Add(append(two, hdr(20, 1, 1, 1, 0)...), []byte{25})
	f.Fuzz(func(t *testing.T, b, cuts []byte) {
		whole, wholeErr := collect(c, [][]byte{b})
		var pieces [][]byte
		rest := b
		for _, n := range cuts {
			if len(rest) == 0 {
				break
			}
			k := min(int(n), len(rest))
			pieces, rest = append(pieces, rest[:k]), rest[k:]
		}
		split, splitErr := collect(c, append(pieces, rest))
		if (wholeErr == nil) != (splitErr == nil) || len(whole) != len(split) {
			t.Fatalf("whole: %d packets, err %v; split: %d packets, err %v", len(whole), wholeErr, len(split), splitErr)
		}
		for i := range whole {
			if whole[i].CmdID != split[i].CmdID || whole[i].Seq != split[i].Seq || !bytes.Equal(whole[i].Body, split[i].Body) {
				t.Fatalf("packet %d: %v vs %v", i, whole[i], split[i])
			}
		}
	})
}

// collect feeds pieces to a fresh Stream and returns what it parses.
func collect(c Codec, pieces [][]byte) ([]Packet, error) {
	s := NewStream(c)
	var out []Packet
	for _, p := range pieces {
		_, _ = s.Write(p)
		for {
			pkt, ok, err := s.Next()
			if err != nil {
				return out, err
			}
			if !ok {
				break
			}
			out = append(out, pkt)
		}
	}
	return out, nil
}
