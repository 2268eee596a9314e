package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/xlog/decode"
)

// The shim caches each C thread's id and reads the clock, and passes both
// with the line; the line must carry that id and time, not ones xlog looks
// up again. A time of 0, 0 is read by xlog.
func TestXlogWriteUsesTheShimsThreadIDAndTime(t *testing.T) {
	at := time.Date(2021, 3, 4, 5, 6, 7, 891_000_000, time.Local)
	dir := t.TempDir()
	h, rc := testOpenXlog(dir)
	if rc != 0 {
		t.Fatalf("open: %d", rc)
	}
	if rc := testXlogWriteTid(h, "from the shim", 424242, at.Unix(), int32(at.Nanosecond())); rc != 0 {
		t.Fatalf("write: %d", rc)
	}
	before := time.Now()
	if rc := testXlogWriteTid(h, "timed by xlog", 424242, 0, 0); rc != 0 {
		t.Fatalf("write: %d", rc)
	}
	after := time.Now()
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
	// Each part must appear; "a|b" accepts either (the write may straddle midnight).
	want := map[string][]string{
		"from the shim": {", 424242]", "[2021-03-04 ", " 05:06:07.891]"},
		"timed by xlog": {", 424242]", before.Format("[2006-01-02 ") + "|" + after.Format("[2006-01-02 ")},
	}
	for _, line := range strings.Split(text.String(), "\n") {
		for msg, parts := range want {
			if !strings.HasSuffix(line, "["+msg) {
				continue
			}
			for _, p := range parts {
				a, b, _ := strings.Cut(p, "|")
				if !strings.Contains(line, a) && (b == "" || !strings.Contains(line, b)) {
					t.Errorf("line %q lacks %q", line, p)
				}
			}
			delete(want, msg)
		}
	}
	if len(want) != 0 {
		t.Fatalf("lines %v missing from %q", want, text.String())
	}
}
