package zstdread

import (
	"bytes"
	"os"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// TestCutFramesGiveEveryWholeBlock: a frame cut at any byte gives exactly
// the text of the blocks before the cut, and ErrTruncated: a crash or a
// short file loses no line whose block is whole.
func TestCutFramesGiveEveryWholeBlock(t *testing.T) {
	file, err := os.ReadFile(marsZstd + ".xlog")
	if err != nil {
		t.Fatal(err)
	}
	frames := map[string][]byte{"mars": payloads(t, file)[1]}
	w, _ := writerFrames(t, 6, 120, 120)
	frames["writer"] = w[0]
	frames["klauspost flushed"], _ = klauspostFlushed(t, zstd.SpeedDefault, 100)
	var d Decoder
	for name, frame := range frames {
		// The text each block adds, in order.
		var ends []int
		total := 0
		if err := d.Decode(writerFunc(func(p []byte) { total += len(p); ends = append(ends, total) }), frame); err != nil && err != ErrTruncated {
			t.Fatal(err)
		}
		blocks := walk(t, frame)
		if len(blocks) != len(ends) {
			t.Fatalf("%s: %d blocks, %d writes", name, len(blocks), len(ends))
		}
		var full bytes.Buffer
		d.Decode(&full, frame)
		for cut := 1; cut < len(frame); cut++ {
			want := 0
			for i, b := range blocks {
				if b.end <= cut {
					want = ends[i]
				}
			}
			got, err := decodeAll(t, &d, frame[:cut])
			if err != ErrTruncated || !bytes.Equal(got, full.Bytes()[:want]) {
				t.Fatalf("%s cut at %d: %d bytes, %v; want the %d bytes of the whole blocks", name, cut, len(got), err, want)
			}
		}
	}
}
