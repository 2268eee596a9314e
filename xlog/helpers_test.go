package xlog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/decode"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Test keys: the Mars pair from shared/testdata/mars-xlog/README.md.
const (
	marsPriv = "cd3ebd9bde16e288447f8fe4b53766640bf5a3838bfe3e9769c8d5402c351b24"
	marsPub  = "3108f6a59fcebc32fcc67c5307cdade439b2a8be7dfc1bfff37280afa4ba471b07b03a897b83199b5311362db259404679a40e3b997ab82cb44f8d605e361333"
)

// decoded is the text of a directory's .xlog files and the decoder's events.
type decoded struct {
	text   string
	events []decode.Event
}

// decodeDir decodes every .xlog file in dir (sorted by name) with keys.
func decodeDir(t testing.TB, dir string, keys crypt.PrivateKeys) decoded {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.xlog"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var out decoded
	var text bytes.Buffer
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		d, err := decode.New(decode.Options{Keys: keys, OnEvent: func(e decode.Event) { out.events = append(out.events, e) }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Decode(&text, f); err != nil {
			t.Fatalf("decode %s: %v", name, err)
		}
		f.Close()
	}
	out.text = text.String()
	return out
}

// messages returns the message part of every record line with the tag.
func (d decoded) messages(tag string) []string {
	var msgs []string
	marker := "][" + tag + "]["
	for _, line := range strings.SplitAfter(d.text, "\n") {
		i := strings.Index(line, marker)
		if i < 0 {
			continue
		}
		rest := line[i+len(marker):] // file:line, func][message\n
		j := strings.Index(rest, "][")
		if j < 0 {
			continue
		}
		msgs = append(msgs, strings.TrimSuffix(rest[j+2:], "\n"))
	}
	return msgs
}

func testMessage(i int) string {
	return fmt.Sprintf("msg=%07d the quick brown fox jumps over the lazy dog %d", i, i*7919)
}

// logN logs testMessage(from..to-1) at info level with tag.
func logN(l *Logger, tag string, from, to int) {
	for i := from; i < to; i++ {
		l.Log(LevelInfo, tag, "x.go", "f", 1, testMessage(i))
	}
}

// logFixedTid is logN with thread id tid in every line, so that every line
// has the length its message gives it. (Log writes the id of whichever
// thread runs the goroutine at the moment: one with fewer digits, or the
// main thread's "pid*", makes a line shorter or longer by a byte or more.)
func logFixedTid(l *Logger, tag string, from, to, tid int) {
	for i := from; i < to; i++ {
		l.Write(&Entry{Level: LevelInfo, Tag: tag, File: "x.go", Func: "f", Line: 1, Message: testMessage(i), Tid: tid})
	}
}

// checkMessages asserts that got is exactly testMessage(0..n-1).
func checkMessages(t testing.TB, got []string, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("decoded %d lines, want %d", len(got), n)
	}
	for i, m := range got {
		if m != testMessage(i) {
			t.Fatalf("line %d: got %q want %q", i, m, testMessage(i))
		}
	}
}

// testBlockWait replaces the 1 s MaxBlockWait in tests that expect no drops:
// on a loaded machine with the race detector the writer can stall longer.
const testBlockWait = time.Minute
