package mmapbuf

import (
	"path/filepath"
	"testing"
)

// BenchmarkFill writes 177-byte lines (Mars's bench line) through a 150 KiB
// region and zeroes it when full, as the logger does, mapped and in memory.
func BenchmarkFill(b *testing.B) {
	line := make([]byte, 177)
	for _, mapped := range []bool{true, false} {
		name := map[bool]string{true: "mmap", false: "memory"}[mapped]
		b.Run(name, func(b *testing.B) {
			buf := Memory(150 * 1024)
			if mapped {
				var err error
				if buf, err = Open(filepath.Join(b.TempDir(), "b.mmap3"), 150*1024); err != nil {
					b.Fatal(err)
				}
			}
			defer buf.Close()
			mem := buf.Bytes()
			b.SetBytes(int64(len(line)))
			off := 0
			for b.Loop() {
				if off+len(line) > len(mem) {
					clear(mem)
					off = 0
				}
				off += copy(mem[off:], line)
			}
		})
	}
}
