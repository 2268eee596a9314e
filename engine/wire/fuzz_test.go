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
