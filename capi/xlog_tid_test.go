package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mars-go/mars/xlog/decode"
)

// The shim caches each C thread's id and passes it with the line; the line
// must carry that id, not one xlog looks up again.
func TestXlogWriteUsesTheShimsThreadID(t *testing.T) {
	dir := t.TempDir()
	h, rc := testOpenXlog(dir)
	if rc != 0 {
		t.Fatalf("open: %d", rc)
	}
	if rc := testXlogWriteTid(h, "from the shim", 424242); rc != 0 {
		t.Fatalf("write: %d", rc)
	}
	if rc := testCloseXlog(h); rc != 0 {
		t.Fatalf("close: %d", rc)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xlog"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if _, err := decode.Decode(&text, bytes.NewReader(raw), decode.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(text.String(), "\n") {
		if strings.Contains(line, "from the shim") {
			if !strings.Contains(line, ", 424242]") {
				t.Fatalf("line %q does not carry the shim's thread id", line)
			}
			return
		}
	}
	t.Fatalf("line missing from %q", text.String())
}
