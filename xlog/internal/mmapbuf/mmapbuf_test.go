package mmapbuf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenCreatesZeroFilledFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.mmap3")
	b, err := Open(path, 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Mapped() || len(b.Bytes()) != 1000 {
		t.Fatalf("mapped=%v len=%d", b.Mapped(), len(b.Bytes()))
	}
	if !bytes.Equal(b.Bytes(), make([]byte, 1000)) {
		t.Fatal("new buffer is not zero")
	}
	st, err := os.Stat(path)
	if err != nil || st.Size() != 1000 {
		t.Fatalf("file size %v, %v", st, err)
	}
}

// TestContentSurvivesReopen: what is written into the region is in the file
// without any sync call, and a second Open sees it (the crash-recovery path).
func TestContentSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.mmap3")
	b, err := Open(path, 4096)
	if err != nil {
		t.Fatal(err)
	}
	copy(b.Bytes()[10:], "hello")
	raw, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(raw[10:15], []byte("hello")) {
		t.Fatalf("file does not hold mapped write: %q %v", raw[10:15], err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := Open(path, 8192) // a bigger size extends, keeping content
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	if !bytes.Equal(b2.Bytes()[10:15], []byte("hello")) || len(b2.Bytes()) != 8192 {
		t.Fatal("content lost on reopen")
	}
}

func TestOpenFailsInMissingDir(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "no", "x.mmap3"), 100); err == nil {
		t.Fatal("want error")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "x"), 0); err == nil {
		t.Fatal("want error for size 0")
	}
}

func TestMemory(t *testing.T) {
	b := Memory(10)
	if b.Mapped() || len(b.Bytes()) != 10 {
		t.Fatal("bad memory buffer")
	}
	if err := b.Close(); err != nil || b.Bytes() != nil {
		t.Fatal("close")
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.mmap3")
	b, err := Open(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, 100); !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := Open(path, 100)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	b2.Close()
}

func TestLongerFileIsCut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.mmap3")
	if err := os.WriteFile(path, bytes.Repeat([]byte{7}, 5000), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := Open(path, 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if st, err := os.Stat(path); err != nil || st.Size() != 1000 {
		t.Fatalf("file not cut to the buffer size: %v %v", st.Size(), err)
	}
	if b.Bytes()[999] != 7 {
		t.Fatal("content within the size lost")
	}
}
