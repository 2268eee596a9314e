package zstdread

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// samples are texts of the kinds a log and the format's modes meet, each
// over a block (128 KiB) long but small enough for -race.
var samples = sync.OnceValue(func() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	var text bytes.Buffer
	for i := range 3000 {
		fmt.Fprintf(&text, "[I][2026-12-07 +8.0 13:%02d:%02d.%03d][%d, %d][net.go:%d, send] task %d sent %d bytes to 10.0.%d.%d\n",
			i/60%60, i%60, i%1000, 1234, 1234+i%7, 100+i%50, i, r.IntN(100000), r.IntN(256), r.IntN(256))
	}
	random := make([]byte, 140<<10)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	skewed := make([]byte, 140<<10)
	for i := range skewed {
		skewed[i] = "aaaaaaaabbbbccd\n"[r.IntN(16)] + byte(r.IntN(2))*128
	}
	return map[string][]byte{
		"empty":  nil,
		"byte":   {'x'},
		"short":  []byte("hello, hello, hello zstd\n"),
		"text":   text.Bytes(),
		"random": random,
		"zeros":  make([]byte, 300<<10),
		"skewed": skewed,
		"period": bytes.Repeat([]byte("abcdefg"), 20000),
	}
})

func decodeAll(t testing.TB, d *Decoder, in []byte) ([]byte, error) {
	t.Helper()
	var out bytes.Buffer
	err := d.Decode(&out, in)
	return out.Bytes(), err
}

// TestMatchesKlauspost: frames klauspost writes at each level, streamed
// and whole, with and without checksum, decode to their text.
func TestMatchesKlauspost(t *testing.T) {
	var d Decoder
	for name, text := range samples() {
		for _, level := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression, zstd.SpeedBestCompression} {
			for _, crc := range []bool{false, true} {
				enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(level), zstd.WithEncoderCRC(crc), zstd.WithEncoderConcurrency(1))
				if err != nil {
					t.Fatal(err)
				}
				whole := enc.EncodeAll(text, nil)
				var streamed bytes.Buffer
				enc.Reset(&streamed)
				for p := text; len(p) > 0; {
					n := min(len(p), 1000+len(p)%7000)
					enc.Write(p[:n])
					if len(p)%3 == 0 {
						enc.Flush()
					}
					p = p[n:]
				}
				enc.Close()
				for form, frame := range map[string][]byte{"whole": whole, "streamed": streamed.Bytes()} {
					got, err := decodeAll(t, &d, frame)
					if err != nil || !bytes.Equal(got, text) {
						t.Fatalf("%s/%v/crc=%v/%s: %d of %d bytes, %v", name, level, crc, form, len(got), len(text), err)
					}
				}
			}
		}
	}
}
