package block

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/decode"
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

// TestLineInProgressLeavesRecoveryAlone: a crash inside AppendLine, before
// it updates the length, must recover every line added before the call.
// With a Mars key the new line's first TEA group takes in the clear tail of
// the line before, whose call had returned (and zlib rewrites its carried
// byte there): changed in place without the journal, that line decoded to
// garbage.
func TestLineInProgressLeavesRecoveryAlone(t *testing.T) {
	hpriv, hpub, err := crypt.GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	keys := []struct {
		pub  string
		priv crypt.PrivateKeys
	}{{"", crypt.PrivateKeys{}}, {benchTestPub, crypt.PrivateKeys{Mars: benchTestPriv}}, {hpub, crypt.PrivateKeys{HPKE: hpriv}}}
	for _, c := range []Compression{Zlib, LZ4, Zstd} {
		for _, k := range keys {
			b, err := NewBuilder(Options{Compression: c, PublicKey: k.pub})
			if err != nil {
				t.Fatal(err)
			}
			mmap := make([]byte, 64<<10)
			dst, err := b.Start(mmap[:0], 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			var want []byte
			for i := range 150 {
				out, err := b.appendUncommitted(dst, testLine(i))
				if err != nil {
					t.Fatal(err)
				}
				blk, ok := Recover(mmap) // the crash
				if ok != (i > 0) {
					t.Fatalf("%v key=%.6q: line %d in progress: recovered a block: %v", c, k.pub, i, ok)
				}
				if got := decodeText(t, k.priv, blk); ok && !bytes.Equal(got, want) {
					t.Fatalf("%v key=%.6q: line %d in progress: recovered text %q is not that of the lines before it", c, k.pub, i, got[max(0, len(got)-40):])
				}
				b.commit(out)
				dst = out
				want = append(want, testLine(i)...)
			}
		}
	}
}

// benchTestPriv is benchTestPub's private key (the testdata's pair).
const benchTestPriv = "cd3ebd9bde16e288447f8fe4b53766640bf5a3838bfe3e9769c8d5402c351b24"

// decodeText decodes blk with keys and returns its text.
func decodeText(t *testing.T, keys crypt.PrivateKeys, blk []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if _, err := decode.Decode(&out, bytes.NewReader(blk), decode.Options{Keys: keys}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestStartVoidsTheJournal: a journal left by the block before in the same
// region must not patch the new block when its length reaches the same
// value.
func TestStartVoidsTheJournal(t *testing.T) {
	b, err := NewBuilder(Options{PublicKey: benchTestPub})
	if err != nil {
		t.Fatal(err)
	}
	mmap := make([]byte, 8192)
	dst, _ := b.Start(mmap[:0], 1, 0)
	for i := range 20 {
		dst, _ = b.AppendLine(dst, testLine(i))
	}
	journal := mmap[len(mmap)-teaJournalSize:]
	if bytes.Count(journal, []byte{0}) == len(journal) {
		t.Fatal("20 lines left no journal")
	}
	clear(dst)
	if _, err := b.Start(mmap[:0], 2, 0); err != nil {
		t.Fatal(err)
	}
	if bytes.Count(journal, []byte{0}) != len(journal) {
		t.Fatalf("journal after Start: % x", journal)
	}
}

// TestHPKEBlockTakesTheSealerMadeAhead: a block's sealer (two X25519
// multiplications) is made ahead, off the logger's lock: the second block
// uses the sealer that the first block's begin started, and starts the
// third's.
func TestHPKEBlockTakesTheSealerMadeAhead(t *testing.T) {
	_, pub, err := crypt.GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	pk, err := crypt.ParseHPKEPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	h, err := newHPKECrypt(pk)
	if err != nil {
		t.Fatal(err)
	}
	var key [format.KeySize]byte
	if err := h.begin(format.MagicAsyncLZ4HPKE, 1, &key); err != nil {
		t.Fatal(err)
	}
	if !h.preparing {
		t.Fatal("the first block started no sealer for the next")
	}
	ahead := <-h.spare // once the goroutine has made it
	h.spare <- ahead
	if err := h.begin(format.MagicAsyncLZ4HPKE, 2, &key); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key[:crypt.HPKEEncSize], ahead.enc) || h.s != ahead.s {
		t.Error("the second block made its own sealer instead of the one made ahead")
	}
	if !h.preparing {
		t.Error("the second block started no sealer for the third")
	}
	<-h.spare // the third block's goroutine has ended

	// A block that comes while the sealer made ahead is still being made
	// makes its own and starts no second goroutine; the late one serves the
	// block after.
	h.preparing = true // as if the goroutine were still at work
	if err := h.begin(format.MagicAsyncLZ4HPKE, 3, &key); err != nil {
		t.Fatal(err)
	}
	if len(h.spare) != 0 || !h.preparing {
		t.Fatal("a block made its own sealer and started another goroutine besides the one at work")
	}
	late := newHPKESealer(pk)
	h.spare <- late // the goroutine at work delivers
	if err := h.begin(format.MagicAsyncLZ4HPKE, 4, &key); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key[:crypt.HPKEEncSize], late.enc) {
		t.Error("the block after did not take the late sealer")
	}
	<-h.spare // the goroutine this block started has ended
}
