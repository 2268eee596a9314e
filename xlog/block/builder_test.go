package block

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/mars-go/mars/xlog/format"
)

func testLine(i int) []byte {
	return fmt.Appendf(nil, "[I][2026-11-29 +0.0 12:33:24.330][27513, 27517][bench][bench.cc:41, worker][t=0 seq=%07d h=%08x action=upload_chunk status=ok\n", i, uint32(i+1)*2654435761)
}

// inflateAll reads an unterminated raw-deflate stream to its end.
func inflateAll(t *testing.T, p []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(p)))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("inflate: %v", err)
	}
	return out
}

func TestZlibBlockIsMarsShaped(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, 0, 150<<10)
	dst, err = b.Start(dst, 7, 12)
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for i := range 50 {
		prev := len(dst)
		line := testLine(i)
		if dst, err = b.AppendLine(dst, line); err != nil {
			t.Fatal(err)
		}
		// One fixed-code block stays open: no sync flush after a line.
		if bytes.Contains(dst[format.HeaderSize:], []byte{0, 0, 0xff, 0xff}) || dst[format.HeaderSize]&7 != fixedBlockHeader {
			t.Fatalf("line %d: not one open fixed-code block: % x", i, dst[format.HeaderSize:])
		}
		// Crash safety: a crash before the length grew leaves the old
		// length over the rewritten partial byte: the earlier lines.
		if got := inflateAll(t, dst[format.HeaderSize:prev]); !bytes.Equal(got, want) {
			t.Fatalf("line %d: old prefix decodes to %d bytes, want %d", i, len(got), len(want))
		}
		want = append(want, line...)
		if got := format.Length(dst); int(got) != len(dst)-format.HeaderSize {
			t.Fatalf("line %d: length field %d, payload %d", i, got, len(dst)-format.HeaderSize)
		}
		// Crash safety: the prefix decodes to every line so far.
		if got := inflateAll(t, dst[format.HeaderSize:]); !bytes.Equal(got, want) {
			t.Fatalf("line %d: prefix decodes to %d bytes, want %d", i, len(got), len(want))
		}
	}
	dst = b.Finish(dst, 13)
	h, err := format.ParseHeader(dst)
	if err != nil {
		t.Fatal(err)
	}
	if h.Magic != format.MagicAsyncNoCryptZlib || h.Seq != 7 || h.BeginHour != 12 || h.EndHour != 13 {
		t.Fatalf("header %+v", h)
	}
	if h.Key != [format.KeySize]byte{} {
		t.Fatal("key field not zero without a key")
	}
	if int(h.Length) != len(dst)-format.BlockOverhead || dst[len(dst)-1] != format.Tail {
		t.Fatalf("length %d for block of %d, tail %#x", h.Length, len(dst), dst[len(dst)-1])
	}
}

func TestAppendLineNeverGrowsDst(t *testing.T) {
	for _, o := range []Options{{}, {Compression: LZ4}} {
		b, err := NewBuilder(o)
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, 0, 4096)
		base := &dst[:1][0]
		dst, err = b.Start(dst, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		full := false
		for i := range 1000 {
			var err error
			prev := len(dst)
			dst, err = b.AppendLine(dst, testLine(i))
			if errors.Is(err, ErrFull) {
				if len(dst) != prev {
					t.Fatal("ErrFull changed dst")
				}
				full = true
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if !full {
			t.Fatalf("%v: 4 KiB never filled", o.Compression)
		}
		dst = b.Finish(dst, 0)
		if &dst[0] != base || cap(dst) != 4096 {
			t.Fatalf("%v: dst was reallocated", o.Compression)
		}
	}
}

func TestRecover(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 8192)
	buf, _ = b.Start(buf, 3, 5)
	buf, _ = b.AppendLine(buf, []byte("hello\n"))
	mmap := buf[:cap(buf)] // zeros after the block, like the mmap file
	blk, ok := Recover(mmap)
	if !ok {
		t.Fatal("nothing recovered")
	}
	if len(blk) != len(buf)+1 || blk[len(blk)-1] != format.Tail || !bytes.Equal(blk[:len(buf)], buf) {
		t.Fatalf("recovered %d bytes, want %d", len(blk), len(buf)+1)
	}
	if got := inflateAll(t, blk[format.HeaderSize:len(blk)-1]); string(got) != "hello\n" {
		t.Fatalf("recovered text %q", got)
	}
	if at, ok := RecoverAt(mmap, 9); !ok || at[format.OffEndHour] != 9 || blk[format.OffEndHour] != 5 {
		t.Fatal("RecoverAt does not set the end hour (or Recover does)")
	}
	if _, ok := Recover(make([]byte, 1000)); ok {
		t.Fatal("zeros recovered as a block")
	}
	empty, _ := b.Start(nil, 4, 5)
	if _, ok := Recover(empty); ok {
		t.Fatal("block without lines recovered")
	}
}
