package block

import "testing"

// blockSize is the payload size of n log-like lines in one block (lines
// that differ in more than a counter, so that searching harder pays).
func blockSize(t *testing.T, o Options, n int) int {
	t.Helper()
	b, err := NewBuilder(o)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := b.Start(make([]byte, 0, 1<<20), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range logLines(1, n) {
		if dst, err = b.AppendLine(dst, l); err != nil {
			t.Fatal(err)
		}
	}
	return len(b.Finish(dst, 0))
}

// TestLevelIsHonoured: the level reaches the encoder, so the fastest and
// the best level of a codec give different output sizes.
func TestLevelIsHonoured(t *testing.T) {
	for _, c := range []struct {
		comp        Compression
		fast, best  int
		defaultSame int // a level that must give the default's output
	}{
		{Zlib, 1, MaxZlibLevel, zlibLevel},
		{Zstd, 1, MaxZstdLevel, 3},
	} {
		fast := blockSize(t, Options{Compression: c.comp, Level: c.fast}, 400)
		best := blockSize(t, Options{Compression: c.comp, Level: c.best}, 400)
		if best >= fast {
			t.Errorf("%v: level %d gives %d bytes, level %d %d: the level is not used", c.comp, c.best, best, c.fast, fast)
		}
		def := blockSize(t, Options{Compression: c.comp}, 400)
		same := blockSize(t, Options{Compression: c.comp, Level: c.defaultSame}, 400)
		if def != same {
			t.Errorf("%v: level 0 gives %d bytes, level %d %d: 0 is not the default", c.comp, def, c.defaultSame, same)
		}
	}
}

func TestLevelOutOfRange(t *testing.T) {
	for _, o := range []Options{
		{Compression: Zlib, Level: -1}, {Compression: Zlib, Level: MaxZlibLevel + 1},
		{Compression: Zstd, Level: MaxZstdLevel + 1}, {Compression: LZ4, Level: 1},
	} {
		if _, err := NewBuilder(o); err == nil {
			t.Errorf("%v level %d accepted", o.Compression, o.Level)
		}
	}
	for _, o := range []Options{{Compression: Zlib, Level: 9}, {Compression: Zstd, Level: 22}, {Compression: LZ4}} {
		if _, err := NewBuilder(o); err != nil {
			t.Errorf("%v level %d: %v", o.Compression, o.Level, err)
		}
	}
}
