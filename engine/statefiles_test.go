package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mars-go/mars/engine/internal/ipsort"
)

// stallWrites makes e's state-file writer report the first path it starts
// on and wait for release before it writes it; later writes go through.
func stallWrites(e *Engine) (started <-chan string, release chan<- struct{}) {
	s, r := make(chan string, 1), make(chan struct{})
	var once sync.Once
	e.files.write = func(path string, b []byte) error { // before the first put: nothing has been posted yet
		once.Do(func() {
			s <- path
			<-r
		})
		return writeFileAtomic(path, b)
	}
	return s, r
}

// TestOwnerDoesNotWaitForAStalledStateFile: a network change saves the IP
// history and connect times; with the disk stalled the owner goes on (an
// API call that waits for it returns), and Close writes the files once the
// disk answers.
func TestOwnerDoesNotWaitForAStalledStateFile(t *testing.T) {
	dir := t.TempDir()
	e, err := New(Config{AppFilePath: dir, DisableLongLink: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	started, release := stallWrites(e)
	e.OnNetworkChangeWithLabel(NetworkWiFi, "office")
	<-started // the writer is stuck in its first file
	if e.HasTask(12345) {
		t.Fatal("HasTask: no task was started")
	}
	// HasTask came back: the owner did not wait for the disk.
	close(release)
	e.Close() // waits for the writer
	for _, name := range []string{ipsort.FileName, rttFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("after Close: %v", err)
		}
	}
}

// TestStateFilesWriteTheNewestAndEndOnClose: a file handed over twice
// before the writer got to it is written once, with the newer content;
// close writes what is pending and ends the goroutine; a failed write is
// logged; a put once the writer has ended is not kept.
func TestStateFilesWriteTheNewestAndEndOnClose(t *testing.T) {
	dir := t.TempDir()
	var logged []string
	f := newStateFiles(func(_ LogLevel, format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) })
	writes := map[string]int{}
	f.write = func(path string, b []byte) error {
		writes[path]++
		if filepath.Base(path) == "bad" {
			return errors.New("disk full")
		}
		return writeFileAtomic(path, b)
	}
	a, bad := filepath.Join(dir, "sub", "a"), filepath.Join(dir, "bad")
	f.put(a, []byte("old"))
	f.put(a, []byte("new"))
	f.put(bad, []byte("x"))
	f.close()
	f.run() // returns: closed
	if got, err := os.ReadFile(a); err != nil || string(got) != "new" || writes[a] != 1 {
		t.Errorf("a: %q, %v, written %d times; want \"new\" once", got, err, writes[a])
	}
	if len(logged) != 1 || writes[bad] != 1 {
		t.Errorf("failed write: logged %q", logged)
	}
	if f.q.Post(stateFile{a, []byte("after close")}) {
		t.Error("a put after the writer ended was kept")
	}
	if _, err := os.Stat(a + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temporary file left: %v", err)
	}
}
