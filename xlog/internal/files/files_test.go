package files

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

var day1 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.Local)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestNameAndDay(t *testing.T) {
	if got := Name("app", Day(day1), 0); got != "app_20261129.xlog" {
		t.Fatal(got)
	}
	if got := Name("app", "20261129", 3); got != "app_20261129_3.xlog" {
		t.Fatal(got)
	}
	for name, want := range map[string]int{"app_20261129.xlog": 0, "app_20261129_12.xlog": 12} {
		if idx, ok := splitIndex(name, "app", "20261129"); !ok || idx != want {
			t.Errorf("splitIndex(%q) = %d, %v", name, idx, ok)
		}
	}
	for _, bad := range []string{"app_20261129_x.xlog", "app_20261129.log", "app_202611291.xlog", "b_20261129.xlog"} {
		if _, ok := splitIndex(bad, "app", "20261129"); ok {
			t.Errorf("splitIndex(%q) accepted", bad)
		}
	}
}

func TestSplitAtMaxSizeOvershootsByOneWrite(t *testing.T) {
	dir := t.TempDir()
	m := New(Config{LogDir: dir, Prefix: "app", MaxFileSize: 100})
	block := bytes.Repeat([]byte("x"), 60)
	for range 5 {
		if err := m.Write(block, day1); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()
	want := map[string]int64{"app_20261129.xlog": 120, "app_20261129_1.xlog": 120, "app_20261129_2.xlog": 60}
	for name, size := range want {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Size() != size {
			t.Errorf("%s: %v %v, want size %d", name, st, err, size)
		}
	}
	// A new manager (next process) continues at the highest index.
	m2 := New(Config{LogDir: dir, Prefix: "app", MaxFileSize: 100})
	if err := m2.Write(block, day1); err != nil {
		t.Fatal(err)
	}
	if m2.Path() != filepath.Join(dir, "app_20261129_2.xlog") {
		t.Fatalf("continued in %s", m2.Path())
	}
	if err := m2.Write(block, day1); err != nil {
		t.Fatal(err)
	}
	if m2.Path() != filepath.Join(dir, "app_20261129_3.xlog") {
		t.Fatalf("split into %s", m2.Path())
	}
	m2.Close()
}

func TestDayChangeOpensNewFile(t *testing.T) {
	dir := t.TempDir()
	m := New(Config{LogDir: dir, Prefix: "app"})
	defer m.Close()
	for _, ts := range []time.Time{day1, day1.Add(24 * time.Hour)} {
		if err := m.Write([]byte("b"), ts); err != nil {
			t.Fatal(err)
		}
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"app_20261129.xlog", "app_20261130.xlog"}) {
		t.Fatal(got)
	}
}

func TestCleanupRemovesOnlyOldFilesOfOurPrefix(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	old := day1.Add(-11 * 24 * time.Hour)
	for _, p := range []string{
		filepath.Join(dir, "app_20261118.xlog"), filepath.Join(cache, "app_20261118.xlog"),
		filepath.Join(dir, "other_20261118.xlog"), filepath.Join(dir, "app_20261128.xlog"),
	} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if filepath.Base(p) != "app_20261128.xlog" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	m := New(Config{LogDir: dir, CacheDir: cache, Prefix: "app"})
	n, err := m.Cleanup(day1, 10*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("removed %d, %v", n, err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"app_20261128.xlog", "other_20261118.xlog"}) {
		t.Fatal(got)
	}
	if got := dirNames(t, cache); len(got) != 0 {
		t.Fatal(got)
	}
}

func TestMoveCacheAppendsAndDeletes(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "app_20261128.xlog"), []byte("A"), 0o644))
	must(os.WriteFile(filepath.Join(cache, "app_20261128.xlog"), []byte("B"), 0o644))
	must(os.WriteFile(filepath.Join(cache, "app_20261127.xlog"), []byte("C"), 0o644))
	m := New(Config{LogDir: dir, CacheDir: cache, Prefix: "app"})
	n, err := m.MoveCache(day1)
	if err != nil || n != 2 {
		t.Fatalf("moved %d, %v", n, err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "app_20261128.xlog")); string(got) != "AB" {
		t.Fatalf("merged file %q", got)
	}
	if got := dirNames(t, cache); len(got) != 0 {
		t.Fatal(got)
	}
}

func TestCacheDaysWritesToCacheAndKeepsYoungFiles(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	m := New(Config{LogDir: dir, CacheDir: cache, Prefix: "app", CacheDays: 2})
	defer m.Close()
	if err := m.Write([]byte("x"), day1); err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(m.Path()) != cache {
		t.Fatalf("cache mode wrote to %s", m.Path())
	}
	if n, err := m.MoveCache(day1.Add(5 * 24 * time.Hour)); n != 0 || err != nil {
		t.Fatalf("moved the open file: %d %v", n, err)
	}
	m.Close()
	if n, err := m.MoveCache(day1); n != 0 || err != nil {
		t.Fatalf("moved a young file: %d %v", n, err)
	}
	if n, err := m.MoveCache(time.Now().Add(3 * 24 * time.Hour)); n != 1 || err != nil {
		t.Fatalf("old file not moved: %d %v", n, err)
	}
}

func TestUnwritableLogDirFallsBackToCache(t *testing.T) {
	base := t.TempDir()
	blocker := filepath.Join(base, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(base, "cache")
	m := New(Config{LogDir: filepath.Join(blocker, "logs"), CacheDir: cache, Prefix: "app"})
	defer m.Close()
	if err := m.Write([]byte("x"), day1); err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(m.Path()) != cache {
		t.Fatalf("wrote to %s", m.Path())
	}
	bad := New(Config{LogDir: filepath.Join(blocker, "logs"), Prefix: "app"})
	if err := bad.Write([]byte("x"), day1); err == nil {
		t.Fatal("want error for a dir under a regular file")
	}
}

// fullFS is the OS file system with a disk of limit bytes.
type fullFS struct {
	OS
	limit int64
}

type fullFile struct {
	*os.File
	fs *fullFS
}

func (f *fullFS) OpenAppend(name string) (File, error) {
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return fullFile{file, f}, nil
}

func (f fullFile) Write(p []byte) (int, error) {
	st, err := f.File.Stat()
	if err != nil {
		return 0, err
	}
	if room := f.fs.limit - st.Size(); int64(len(p)) > room {
		n, _ := f.File.Write(p[:max(room, 0)])
		return n, syscall.ENOSPC
	}
	return f.File.Write(p)
}

func TestFullDiskCutsBackPartialWrite(t *testing.T) {
	dir := t.TempDir()
	m := New(Config{LogDir: dir, Prefix: "app", FS: &fullFS{limit: 100}})
	defer m.Close()
	if err := m.Write(bytes.Repeat([]byte("a"), 70), day1); err != nil {
		t.Fatal(err)
	}
	err := m.Write(bytes.Repeat([]byte("b"), 70), day1)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("want ENOSPC, got %v", err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "app_20261129.xlog"))
	if !bytes.Equal(got, bytes.Repeat([]byte("a"), 70)) {
		t.Fatalf("file holds %d bytes after failed write, want the 70 before it", len(got))
	}
	if err := m.Write(bytes.Repeat([]byte("c"), 30), day1); err != nil {
		t.Fatalf("write after failure: %v", err)
	}
}
