package main

import (
	"fmt"
	"testing"

	"github.com/mars-go/mars/xlog"
	"github.com/mars-go/mars/xlog/crypt"
)

// TestDecodeDirCountsLostLines writes ids 0..9 but one, and one twice, and
// checks that decodeDir sees exactly the nine distinct ones.
func TestDecodeDirCountsLostLines(t *testing.T) {
	dir := t.TempDir()
	l, err := xlog.Open(xlog.Config{LogDir: dir, NamePrefix: "bench", Compression: xlog.LZ4})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int{0, 1, 2, 3, 4, 4, 6, 7, 8, 9} {
		l.Log(xlog.LevelInfo, "bench", "f.c", "fn", 1, fmt.Sprintf("req=%010d GET /v2/files/%d 200 12ms user=erin", id, id*7))
	}
	l.Close()
	size, found, err := decodeDir(dir, crypt.PrivateKeys{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if found != 9 || size == 0 {
		t.Errorf("found %d ids in %d bytes, want 9 in > 0", found, size)
	}
}
