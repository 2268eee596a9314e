package xlog

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// blockChain walks file from its first byte block by block, as a reader
// that trusts every length does (Mars's decoder), and reports whether it
// lands exactly on the end with every tail byte in place.
func blockChain(file []byte) (blocks int, ok bool) {
	for off := 0; off < len(file); blocks++ {
		h, err := format.ParseHeader(file[off:])
		if err != nil {
			return blocks, false
		}
		off += format.BlockOverhead + int(h.Length)
		if off > len(file) || file[off-1] != format.Tail {
			return blocks, false
		}
	}
	return blocks, true
}

// TestReopenCutsATornBlockBeforeAppending is the kill-during-write case: the
// file ends with the first half of a block. On reopen the logger cuts it off
// (its lines are still in the buffer) before appending, so every line comes
// back and the file is a clean chain of blocks again, which Mars's decoder
// (trusting each length) reads too.
func TestReopenCutsATornBlockBeforeAppending(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	var notes []error
	cfg := Config{LogDir: dir, NamePrefix: "torn", MaxBlockWait: testBlockWait,
		OnError: func(err error) { mu.Lock(); notes = append(notes, err); mu.Unlock() }}
	l, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logN(l, "t", 0, 20000)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.xlog"))
	if len(names) != 1 {
		t.Fatalf("files %v", names)
	}
	file, err := os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	// The first half of the file's biggest block, as a killed write leaves it.
	var big []byte
	for off := 0; off < len(file); {
		h, _ := format.ParseHeader(file[off:])
		n := format.BlockOverhead + int(h.Length)
		if n > len(big) {
			big = file[off : off+n]
		}
		off += n
	}
	f, err := os.OpenFile(names[0], os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(big[:len(big)/2]); err != nil {
		t.Fatal(err)
	}
	f.Close()

	l, err = Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logN(l, "t", 20000, 40000)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	checkMessages(t, decodeDir(t, dir, crypt.PrivateKeys{}).messages("t"), 40000)
	after, _ := os.ReadFile(names[0])
	if _, ok := blockChain(after); !ok {
		t.Fatal("the file is not a clean chain of blocks: the torn block is still in it")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notes) != 1 || !strings.Contains(notes[0].Error(), "cut short by a crash") {
		t.Fatalf("OnError got %v, want one note about the torn block", errors.Join(notes...))
	}
}
