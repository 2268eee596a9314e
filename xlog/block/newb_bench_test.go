package block

import "testing"

// BenchmarkNewBuilder reports what one appender open costs per mode
// (memory held by the compressor; Mars: one ECDH per open).
func BenchmarkNewBuilder(b *testing.B) {
	for _, name := range []string{"zlib", "zlib+mars", "lz4", "zstd", "zlib+hpke"} {
		o := benchOptions(b)[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bl, err := NewBuilder(o)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := bl.Start(make([]byte, 0, 1024), 1, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
