package decode

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
)

// BenchmarkDecodeMarsTestdata decodes each file Mars wrote; MB/s counts
// decoded text (Mars's C decoder: ≈ 21 MB of zlib file, 177 MB of text, in
// ≈ 1 s).
func BenchmarkDecodeMarsTestdata(b *testing.B) {
	for _, file := range marsFiles(b) {
		in, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(file), func(b *testing.B) {
			benchDecode(b, crypt.PrivateKeys{Mars: marsTestPriv}, in)
		})
	}
}

// BenchmarkDecodeLarge decodes generated files of 100 blocks × 2 000 lines
// (≈ 36 MB of text) in each mode we write.
func BenchmarkDecodeLarge(b *testing.B) {
	for _, c := range []block.Compression{block.Zlib, block.LZ4, block.Zstd} {
		for _, k := range keysets(b) {
			b.Run(c.String()+"/"+k.name, func(b *testing.B) {
				file, _ := buildFile(b, block.Options{Compression: c, PublicKey: k.pub}, 100, 2000)
				benchDecode(b, k.priv, file)
			})
		}
	}
}

func benchDecode(b *testing.B, keys crypt.PrivateKeys, in []byte) {
	d, err := New(Options{Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	var cw countWriter
	cw.w = io.Discard
	if _, err := d.Decode(&cw, bytes.NewReader(in)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Decode(io.Discard, bytes.NewReader(in)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(in))/float64(cw.n)*100, "file-%-of-text")
}
