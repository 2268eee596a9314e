package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

const testVersion = 200

// hdr builds a raw header for hand-made (possibly malformed) packets.
func hdr(headLen, version, cmd, seq, bodyLen uint32) []byte {
	b := make([]byte, 0, HeaderLen)
	for _, v := range []uint32{headLen, version, cmd, seq, bodyLen} {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

// TestAppendGolden pins Mars's behaviour: cmdid 7, body "abc" is exactly 23 bytes.
func TestAppendGolden(t *testing.T) {
	c := NewMars(testVersion)
	got, err := c.Append(nil, Packet{CmdID: 7, Seq: 0x01020304, Body: []byte("abc")})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0, 0, 0, 20,
		0, 0, 0, 200,
		0, 0, 0, 7,
		1, 2, 3, 4,
		0, 0, 0, 3,
		'a', 'b', 'c',
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Append = % x\nwant     % x", got, want)
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	c := NewMars(1)
	got, err := c.Append([]byte("xy"), Packet{CmdID: 1, Seq: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2+HeaderLen || string(got[:2]) != "xy" {
		t.Fatalf("Append dropped the prefix or wrote %d bytes: % x", len(got), got)
	}
}

func TestNoopGolden(t *testing.T) {
	c := NewMars(testVersion)
	got, err := c.Append(nil, c.Noop())
	if err != nil {
		t.Fatal(err)
	}
	want := hdr(20, testVersion, 6, 0xFFFFFFFF, 0)
	if !bytes.Equal(got, want) {
		t.Fatalf("noop = % x, want % x", got, want)
	}
}

func TestParseRoundTrip(t *testing.T) {
	c := NewMars(testVersion)
	for _, p := range []Packet{
		{CmdID: 7, Seq: 1, Body: []byte("abc")},
		{CmdID: 10001, Seq: 0, Body: []byte{}},
		{CmdID: 0xFFFFFFFF, Seq: 0xFFFFFFFE, Body: bytes.Repeat([]byte{0xAB}, 4096)},
	} {
		b, err := c.Append(nil, p)
		if err != nil {
			t.Fatal(err)
		}
		got, n, err := c.Parse(append(b, "trailing"...))
		if err != nil {
			t.Fatalf("Parse(%v): %v", p, err)
		}
		if n != len(b) || got.CmdID != p.CmdID || got.Seq != p.Seq || !bytes.Equal(got.Body, p.Body) {
			t.Fatalf("Parse = %v (n=%d), want %v (n=%d)", got, n, p, len(b))
		}
	}
}

func TestParseBodyIsCopy(t *testing.T) {
	c := NewMars(testVersion)
	b, _ := c.Append(nil, Packet{CmdID: 1, Seq: 1, Body: []byte("abc")})
	p, _, err := c.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0
	}
	if string(p.Body) != "abc" {
		t.Fatalf("body changed with the input buffer: %q", p.Body)
	}
}

// TestParseLongHeader pins Mars's behaviour: head_length 28 puts the body after 8
// extension bytes.
func TestParseLongHeader(t *testing.T) {
	c := NewMars(testVersion)
	b := append(hdr(28, testVersion, 9, 5, 3), "EXTENSIONabc"[:8]...)
	b = append(b, "abc"...)
	p, n, err := c.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if n != 31 || string(p.Body) != "abc" || p.CmdID != 9 || p.Seq != 5 {
		t.Fatalf("Parse = %v n=%d body=%q", p, n, p.Body)
	}
}

func TestParseShort(t *testing.T) {
	c := NewMars(testVersion)
	full, _ := c.Append(nil, Packet{CmdID: 1, Seq: 2, Body: []byte("hello")})
	for i := 0; i < len(full); i++ {
		if _, n, err := c.Parse(full[:i]); !errors.Is(err, ErrShort) || n != 0 {
			t.Fatalf("Parse(%d of %d bytes) = n %d, err %v; want ErrShort", i, len(full), n, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	c := NewMars(testVersion)
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"version", hdr(20, testVersion+1, 1, 1, 0), ErrVersion},
		{"oversize header only", hdr(20, testVersion, 1, 1, DefaultMaxPacket-19), ErrTooLarge},
		{"oversize head_length", hdr(DefaultMaxPacket, testVersion, 1, 1, 1), ErrTooLarge},
		{"uint32 overflow", hdr(0xFFFFFFFF, testVersion, 1, 1, 0xFFFFFFFF), ErrTooLarge},
		{"head_length below 20", hdr(19, testVersion, 1, 1, 0), ErrHeader},
		{"version before size", hdr(20, 7, 1, 1, 0xFFFFFFFF), ErrVersion},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, n, err := c.Parse(tc.in)
			if !errors.Is(err, tc.want) || n != 0 {
				t.Fatalf("Parse = n %d, err %v; want %v", n, err, tc.want)
			}
		})
	}
}

func TestParseAtLimit(t *testing.T) {
	c := NewMars(testVersion)
	b, _ := c.Append(nil, Packet{CmdID: 1, Seq: 1, Body: make([]byte, DefaultMaxPacket-HeaderLen)})
	if _, n, err := c.Parse(b); err != nil || n != DefaultMaxPacket {
		t.Fatalf("1 MiB packet: n %d err %v", n, err)
	}
}

func TestCustomMaxPacket(t *testing.T) {
	c := Mars{ClientVersion: 1, MaxPacket: 4 << 20}
	b, _ := c.Append(nil, Packet{CmdID: 1, Seq: 1, Body: make([]byte, 2<<20)})
	if _, _, err := c.Parse(b); err != nil {
		t.Fatalf("2 MiB under a 4 MiB limit: %v", err)
	}
	if _, _, err := NewMars(1).Parse(b); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("2 MiB under the default limit: %v, want ErrTooLarge", err)
	}
}

func TestClassify(t *testing.T) {
	c := NewMars(testVersion)
	cases := []struct {
		p                      Packet
		noopResp, push, identy bool
	}{
		{c.Noop(), true, false, false},
		{Packet{CmdID: 6, Seq: 0}, true, true, false},
		{Packet{CmdID: 6, Seq: 12}, true, false, false},
		{Push(10001, []byte("x")), false, true, false},
		{Identify(55, []byte("id")), false, false, true},
		{Packet{CmdID: 7, Seq: 3}, false, false, false},
	}
	for _, tc := range cases {
		if got := c.IsNoopResponse(tc.p); got != tc.noopResp {
			t.Errorf("IsNoopResponse(%v) = %v", tc.p, got)
		}
		if got := c.IsPush(tc.p); got != tc.push {
			t.Errorf("IsPush(%v) = %v", tc.p, got)
		}
		if got := c.IsIdentifyResponse(tc.p); got != tc.identy {
			t.Errorf("IsIdentifyResponse(%v) = %v", tc.p, got)
		}
	}
}

func TestReservedAndServerHelpers(t *testing.T) {
	for seq, want := range map[uint32]bool{0: true, 1: false, 0xFFFFFFEF: false,
		0xFFFFFFF0: true, SignallingSeqTCP: true, IdentifySeq: true, NoopSeq: true} {
		if IsReservedSeq(seq) != want {
			t.Errorf("IsReservedSeq(%#x) = %v", seq, !want)
		}
	}
	req := Packet{CmdID: 6, Seq: 0xFFFFFFFF}
	if !IsNoopRequest(req) || IsNoopRequest(Packet{CmdID: 7}) {
		t.Error("IsNoopRequest misclassifies")
	}
	if r := NoopResponse(req); r.CmdID != 6 || r.Seq != 0xFFFFFFFF || len(r.Body) != 0 {
		t.Errorf("NoopResponse = %v", r)
	}
	if s := (Packet{CmdID: 7, Seq: 0x10, Body: []byte("abc")}).String(); s != "packet{cmd=7 seq=0x10 body=3B}" {
		t.Errorf("String = %q", s)
	}
}
