package format

import (
	"bytes"
	"testing"
)

// block returns a block with magic 0x09 holding payload.
func testBlock(payload []byte) []byte {
	h := Header{Magic: MagicAsyncNoCryptZlib, Seq: 1, BeginHour: 3, EndHour: 4, Length: uint32(len(payload))}
	return append(append(h.Append(nil), payload...), Tail)
}

func TestTornTailFindsTheCutBlock(t *testing.T) {
	a := testBlock(bytes.Repeat([]byte{0x55}, 300))
	b := testBlock(bytes.Repeat([]byte{0x09, 0x00, 0x07}, 200)) // magics and zeros inside
	file := append(bytes.Clone(a), b...)
	if got := TornTail(file, true, 1<<20); got != 0 {
		t.Fatalf("complete file: cut %d", got)
	}
	for cut := 1; cut < len(b); cut++ {
		torn := file[:len(a)+cut]
		if got := TornTail(torn, true, 1<<20); got != cut {
			t.Fatalf("block cut after %d bytes: TornTail = %d", cut, got)
		}
		// Seen through a window that starts inside the first block, the
		// boundary cannot be proved: nothing is cut.
		if got := TornTail(torn[1:], false, 1<<20); got != 0 {
			t.Fatalf("window without a boundary: cut %d", got)
		}
	}
	if got := TornTail(b[:100], true, 1<<20); got != 100 {
		t.Fatalf("a file that is one torn block: cut %d", got)
	}
	if got := TornTail(append(bytes.Clone(file), 0, 0, 0), true, 1<<20); got != 0 {
		t.Fatalf("zero bytes after the last block are no torn block: cut %d", got)
	}
}

// FuzzTornTail: any bytes; the cut is within the input, and cutting it
// leaves a tail that needs no further cut when it was whole.
func FuzzTornTail(f *testing.F) {
	a := testBlock([]byte("line one\n"))
	f.Add(append(bytes.Clone(a), testBlock([]byte("line two\n"))[:20]...), true)
	f.Add(a, false)
	f.Fuzz(func(t *testing.T, tail []byte, whole bool) {
		cut := TornTail(tail, whole, 1<<16)
		if cut < 0 || cut > len(tail) {
			t.Fatalf("cut %d of %d bytes", cut, len(tail))
		}
		if cut > 0 && whole {
			if again := TornTail(tail[:len(tail)-cut], true, 1<<16); again != 0 && again >= len(tail)-cut {
				t.Fatalf("cut %d, then %d more of %d", cut, again, len(tail)-cut)
			}
		}
	})
}
