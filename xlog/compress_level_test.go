package xlog

import (
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
)

// TestCompressionNumbersAreMars: a ported Mars app passes TCompressMode's
// numbers (kZlib = 0, kZstd = 1).
func TestCompressionNumbersAreMars(t *testing.T) {
	if Zlib != 0 || Zstd != 1 {
		t.Fatalf("Zlib = %d, Zstd = %d; Mars has 0 and 1", Zlib, Zstd)
	}
	if LZ4 == 0 || LZ4 == 1 || LZ4 == 2 {
		t.Fatalf("LZ4 = %d takes a number Mars uses or an old one", LZ4)
	}
}

// TestCompressLevelRoundTrip: every level of each codec writes files that
// decode, and out-of-range levels fail Open.
func TestCompressLevelRoundTrip(t *testing.T) {
	for _, c := range []struct {
		comp   Compression
		levels []int
	}{{Zlib, []int{1, 9}}, {Zstd, []int{1, 19}}} {
		for _, lv := range c.levels {
			dir := t.TempDir()
			l, err := Open(Config{LogDir: dir, NamePrefix: "lv", Compression: c.comp, CompressLevel: lv})
			if err != nil {
				t.Fatalf("%v level %d: %v", c.comp, lv, err)
			}
			for i := range 200 {
				l.Log(LevelInfo, "lv", "lv.go", "f", 1, testMessage(i))
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			checkMessages(t, decodeDir(t, dir, crypt.PrivateKeys{}).messages("lv"), 200)
		}
	}
	for _, bad := range []Config{
		{Compression: Zlib, CompressLevel: 10}, {Compression: Zstd, CompressLevel: 23},
		{Compression: LZ4, CompressLevel: 1}, {Compression: Zlib, CompressLevel: -1},
	} {
		bad.LogDir = t.TempDir()
		if l, err := Open(bad); err == nil {
			_ = l.Close()
			t.Errorf("%+v: Open accepted level %d", bad.Compression, bad.CompressLevel)
		}
	}
}
