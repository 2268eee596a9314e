package format

import (
	"bytes"
	"errors"
	"testing"
)

func TestHeaderBytes(t *testing.T) {
	h := Header{Magic: MagicAsyncNoCryptZlib, Seq: 0x0201, BeginHour: 12, EndHour: 13, Length: 0x0a0b0c0d}
	h.Key[0], h.Key[63] = 0xAA, 0xBB
	b := h.Append([]byte{0xFF})
	if len(b) != 1+HeaderSize {
		t.Fatalf("header is %d bytes", len(b)-1)
	}
	want := []byte{0xFF, 0x09, 0x01, 0x02, 12, 13, 0x0d, 0x0c, 0x0b, 0x0a, 0xAA}
	if !bytes.Equal(b[:len(want)], want) || b[len(b)-1] != 0xBB {
		t.Fatalf("bytes % x", b[:len(want)])
	}
	got, err := ParseHeader(b[1:])
	if err != nil || got != h {
		t.Fatalf("parse: %+v, %v", got, err)
	}
	PutLength(b[1:], 7)
	PutEndHour(b[1:], 23)
	if Length(b[1:]) != 7 || b[1+OffEndHour] != 23 {
		t.Fatal("in-place updates")
	}
}

func TestParseHeaderRejects(t *testing.T) {
	h := Header{Magic: MagicSyncNoCryptZlib}
	b := h.Append(nil)
	if _, err := ParseHeader(b[:HeaderSize-1]); !errors.Is(err, ErrShortHeader) {
		t.Fatalf("short: %v", err)
	}
	b[0] = 0x0E
	if _, err := ParseHeader(b); !errors.Is(err, ErrUnknownMagic) {
		t.Fatalf("magic 0x0E: %v", err)
	}
}

func TestMagicTable(t *testing.T) {
	// Mars's magics.
	for m, want := range map[Magic]Info{
		0x06: {Sync: true}, 0x07: {Codec: CodecZlib, Crypt: CryptTEA},
		0x08: {Sync: true}, 0x09: {Codec: CodecZlib},
		0x0A: {Sync: true}, 0x0B: {Sync: true},
		0x0C: {Codec: CodecZstd, Crypt: CryptTEA}, 0x0D: {Codec: CodecZstd},
	} {
		if got, ok := m.Info(); !ok || got != want {
			t.Errorf("%#x: %+v %v", m, got, ok)
		}
	}
	for _, m := range []Magic{0x00, 0x01, 0x05, 0x0E, 0x1F, 0x26, 0xFF} {
		if m.Known() {
			t.Errorf("%#x known", m)
		}
	}
	for _, c := range []Codec{CodecZlib, CodecLZ4, CodecZstd} {
		for _, k := range []Crypt{CryptNone, CryptTEA, CryptHPKE} {
			m, ok := AsyncMagic(c, k)
			if !ok {
				t.Fatalf("no magic for %v/%v", c, k)
			}
			if i, _ := m.Info(); i.Sync || i.Codec != c || i.Crypt != k {
				t.Fatalf("%#x: %+v", m, i)
			}
			if m >= 0x01 && m <= 0x0D && c == CodecLZ4 {
				t.Fatalf("%#x in Mars's scan range", m)
			}
		}
	}
	if m, _ := AsyncMagic(CodecZstd, CryptNone); m != MagicAsyncNoCryptZstd {
		t.Fatalf("zstd magic %#x", m)
	}
	if _, ok := AsyncMagic(CodecNone, CryptNone); ok {
		t.Fatal("async clear text has a magic")
	}
}

func FuzzParseHeader(f *testing.F) {
	h := Header{Magic: MagicAsyncZlib, Seq: 9, BeginHour: 1, EndHour: 2, Length: 100}
	f.Add(h.Append(nil))
	f.Add([]byte{0x08})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		if !bytes.Equal(h.Append(nil), b[:HeaderSize]) {
			t.Fatal("parse/append do not round-trip")
		}
	})
}
