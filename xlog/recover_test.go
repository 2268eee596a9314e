package xlog

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
)

// writeBufferFile makes a <prefix>.mmap3 holding, in each half, an unfinished
// block with the given seq and lines, as a crashed logger leaves it.
func writeBufferFile(t testing.TB, path string, size int, halves map[int]struct {
	seq   uint16
	lines []string
}) {
	t.Helper()
	buf := make([]byte, 2*size)
	for i, h := range halves {
		b, err := block.NewBuilder(block.Options{})
		if err != nil {
			t.Fatal(err)
		}
		mem := buf[i*size : (i+1)*size : (i+1)*size]
		dst, err := b.Start(mem[:0], h.seq, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range h.lines {
			if dst, err = b.AppendLine(dst, []byte(line+"\n")); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestRecoveryOrdersHalvesBySeqAcrossWrap: a crash with both halves full
// (one pending for the writer, one being filled) recovers both, older first,
// with seq 65535 before seq 1.
func TestRecoveryOrdersHalvesBySeqAcrossWrap(t *testing.T) {
	dir := t.TempDir()
	writeBufferFile(t, filepath.Join(dir, "rc"+mmapSuffix), DefaultBufferSize, map[int]struct {
		seq   uint16
		lines []string
	}{
		0: {1, []string{"third", "fourth"}},
		1: {65535, []string{"first", "second"}},
	})
	l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "rc"})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	text := decodeDir(t, dir, crypt.PrivateKeys{}).text
	i := strings.Index(text, mmapBeginMarker)
	j := strings.Index(text, mmapEndMarker)
	if i < 0 || j < i {
		t.Fatalf("markers missing:\n%s", text)
	}
	got := strings.Split(strings.TrimSpace(text[i+len(mmapBeginMarker):j]), "\n")
	if want := []string{"first", "second", "third", "fourth"}; !slices.Equal(got, want) {
		t.Fatalf("recovered %q, want %q", got, want)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "rc"+mmapSuffix))
	for _, c := range raw {
		if c != 0 {
			t.Fatal("buffer file not zeroed after close")
		}
	}
}

// FuzzRecoverBuffer: whatever bytes a buffer file holds at open, Open must
// not fail or panic, and the log it writes must decode without a read error.
func FuzzRecoverBuffer(f *testing.F) {
	dir := f.TempDir()
	seed := filepath.Join(dir, "seed.mmap3")
	writeBufferFile(f, seed, MinBufferSize, map[int]struct {
		seq   uint16
		lines []string
	}{0: {7, []string{"a line", "another line"}}})
	raw, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw[:200])
	f.Add([]byte{0x09, 1, 0, 5, 5, 0xff, 0xff, 0xff, 0x7f})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		buf := make([]byte, 2*MinBufferSize)
		copy(buf, data)
		if len(data) > MinBufferSize {
			copy(buf[MinBufferSize:], data[MinBufferSize/2:])
		}
		if err := os.WriteFile(filepath.Join(dir, "fz"+mmapSuffix), buf, 0o600); err != nil {
			t.Fatal(err)
		}
		l, err := Open(Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "fz", BufferSize: MinBufferSize, OnError: func(error) {}})
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		d := decodeDir(t, dir, crypt.PrivateKeys{})
		if !strings.Contains(d.text, "$$$$$$$$$$mars-go") {
			t.Fatal("close banner missing after recovery")
		}
	})
}
