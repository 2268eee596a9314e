package files

import (
	"io/fs"
	"os"
)

// FS is the slice of the file system the manager uses. OS is the real one;
// tests put a full or broken disk behind it.
type FS interface {
	MkdirAll(dir string) error
	// OpenAppend opens name for appending (and reading: a torn last block
	// is found by reading the end), creating it if needed.
	OpenAppend(name string) (File, error)
	ReadFile(name string) ([]byte, error)
	ReadDir(dir string) ([]fs.DirEntry, error)
	Stat(name string) (fs.FileInfo, error)
	Remove(name string) error
}

// File is an open log file.
type File interface {
	Write(p []byte) (int, error)
	// ReadAt reads the end of the file to find a torn last block; a file
	// that cannot be read is appended to as it is.
	ReadAt(p []byte, off int64) (int, error)
	// Truncate cuts the file back after a failed write (Mars does the same
	// with ftruncate).
	Truncate(size int64) error
	Stat() (fs.FileInfo, error)
	Close() error
}

// OS is the operating system's file system.
type OS struct{}

// MkdirAll creates dir and its parents.
func (OS) MkdirAll(dir string) error { return os.MkdirAll(dir, 0o755) }

// OpenAppend opens name with O_APPEND (read-write), creating it with mode
// 0644.
func (OS) OpenAppend(name string) (File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
}

// ReadFile reads the whole file.
func (OS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// ReadDir lists dir.
func (OS) ReadDir(dir string) ([]fs.DirEntry, error) { return os.ReadDir(dir) }

// Stat describes name.
func (OS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// Remove deletes name.
func (OS) Remove(name string) error { return os.Remove(name) }
