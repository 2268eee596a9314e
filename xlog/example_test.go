package xlog_test

import (
	"fmt"
	"os"

	"github.com/mars-go/mars/xlog"
)

// A logger writing Mars-compatible files; decode them with `mars xlog decode`.
func Example() {
	dir, err := os.MkdirTemp("", "xlog-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	cfg := xlog.DefaultConfig()
	cfg.LogDir = dir
	cfg.NamePrefix = "app"
	cfg.Level = xlog.LevelInfo
	l, err := xlog.Open(cfg)
	if err != nil {
		panic(err)
	}
	l.Log(xlog.LevelDebug, "net", "conn.go", "Dial", 12, "not written: below the level")
	l.Log(xlog.LevelInfo, "net", "conn.go", "Dial", 12, "connected")
	if err := l.Close(); err != nil {
		panic(err)
	}
	st := l.Stats()
	fmt.Println("dropped:", st.LinesDropped, "lost:", st.LinesLost, "blocks:", st.Blocks)
	// Output: dropped: 0 lost: 0 blocks: 1
}
