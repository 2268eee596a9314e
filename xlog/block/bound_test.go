package block

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

func allOptions(t *testing.T) []Options {
	_, hpub, err := crypt.GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	var opts []Options
	for _, c := range []Compression{Zlib, LZ4, Zstd} {
		for _, k := range []string{"", benchTestPub, hpub} {
			opts = append(opts, Options{Compression: c, PublicKey: k})
		}
	}
	return opts
}

// TestMaxAppendHoldsForIncompressibleLines feeds random lines of many
// sizes and checks each append plus Finish stays within MaxAppend.
func TestMaxAppendHoldsForIncompressibleLines(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, o := range allOptions(t) {
		b, err := NewBuilder(o)
		if err != nil {
			t.Fatal(err)
		}
		if b.MaxLineOverhead() <= 0 {
			t.Fatalf("%v: MaxLineOverhead %d", o.Compression, b.MaxLineOverhead())
		}
		dst, _ := b.Start(make([]byte, 0, 4<<20), 1, 0)
		for _, n := range []int{0, 1, 7, 8, 13, 100, 4096, 65519, 65520, 70000, 200000} {
			line := make([]byte, n)
			for i := range line {
				line[i] = byte(r.Uint32())
			}
			prev := len(dst)
			if dst, err = b.AppendLine(dst, line); err != nil {
				t.Fatal(err)
			}
			added := len(dst) - prev
			if reserve := b.MaxAppend(0) - b.crypt.overhead(compressBound(o.Compression, 0)); added > b.MaxAppend(n)-reserve {
				t.Fatalf("%v key=%.6q: line of %d took %d bytes, bound %d", o.Compression, o.PublicKey, n, added, b.MaxAppend(n)-reserve)
			}
		}
		before := len(dst)
		dst = b.Finish(dst, 0)
		if len(dst)-before > b.crypt.finishReserve()+format.TailSize {
			t.Fatalf("Finish took %d bytes", len(dst)-before)
		}
	}
}

func TestNoPlaintextReachesTheBuffer(t *testing.T) {
	for _, o := range allOptions(t) {
		if o.PublicKey == "" {
			continue
		}
		b, err := NewBuilder(o)
		if err != nil {
			t.Fatal(err)
		}
		dst, _ := b.Start(make([]byte, 0, 1<<20), 1, 0)
		for i := range 200 {
			l := testLine(i)
			if dst, err = b.AppendLine(dst, l); err != nil {
				t.Fatal(err)
			}
			// TEA leaves up to 7 compressed bytes clear; no 16-byte run of
			// the line may appear.
			for j := 0; j+16 <= len(l); j += 16 {
				if bytes.Contains(dst, l[j:j+16]) {
					t.Fatalf("%v key=%.6q: plaintext of line %d in the buffer", o.Compression, o.PublicKey, i)
				}
			}
		}
	}
}

func TestCallsOutOfOrder(t *testing.T) {
	b, err := NewBuilder(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AppendLine(nil, []byte("x")); !errors.Is(err, ErrNoBlock) {
		t.Fatalf("AppendLine before Start: %v", err)
	}
	if got := b.Finish([]byte{1}, 0); !bytes.Equal(got, []byte{1}) {
		t.Fatal("Finish without a block changed dst")
	}
	if _, err := b.Start(make([]byte, 0, format.HeaderSize), 1, 0); !errors.Is(err, ErrFull) {
		t.Fatalf("Start without room for the tail: %v", err)
	}
	if _, err := NewBuilder(Options{PublicKey: "nope"}); !errors.Is(err, crypt.ErrBadKey) {
		t.Fatalf("bad key: %v", err)
	}
	if _, err := NewBuilder(Options{Compression: 9}); err == nil {
		t.Fatal("unknown compression accepted")
	}
}

func TestSyncBlocks(t *testing.T) {
	for _, o := range allOptions(t) {
		b, err := NewBuilder(o)
		if err != nil {
			t.Fatal(err)
		}
		blk, err := b.AppendSync([]byte("prefix"), []byte("tip\n"), 7)
		if err != nil {
			t.Fatal(err)
		}
		blk = blk[len("prefix"):]
		h, err := format.ParseHeader(blk)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := h.Magic.Info()
		if !info.Sync || h.Seq != 0 || h.BeginHour != 7 || h.EndHour != 7 || int(h.Length)+format.BlockOverhead != len(blk) || blk[len(blk)-1] != 0 {
			t.Fatalf("%+v", h)
		}
		clear := bytes.Contains(blk, []byte("tip\n"))
		switch kind, _ := crypt.PublicKeyKind(o.PublicKey); kind {
		case crypt.KindNone:
			want := format.MagicSyncNoCryptZlib
			if o.Compression == Zstd {
				want = format.MagicSyncNoCryptZstd
			}
			if h.Magic != want || !clear {
				t.Fatalf("no key: magic %#x clear %v", h.Magic, clear)
			}
		case crypt.KindMars: // Mars leaves sync lines clear
			want := format.MagicSyncZlib
			if o.Compression == Zstd {
				want = format.MagicSyncZstd
			}
			if h.Magic != want || !clear || h.Key == [format.KeySize]byte{} {
				t.Fatalf("mars: magic %#x clear %v", h.Magic, clear)
			}
		case crypt.KindHPKE:
			if h.Magic != format.MagicSyncHPKE || clear {
				t.Fatalf("hpke: magic %#x clear %v", h.Magic, clear)
			}
		}
	}
}
