// Package mmapbuf is the crash-safe buffer under the async logger: a fixed-size
// region shared-mapped from a file, so that whatever the logger has put into it
// survives a crash of the process and is found again at the next open.
// When mapping is impossible the caller falls
// back to Memory, which behaves the same but does not survive a crash.
package mmapbuf

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrLocked means another Buffer, in this process or another, has the file
// open: two writers in one buffer would corrupt each other's blocks.
var ErrLocked = errors.New("buffer file in use by another logger")

// Buffer is a fixed-size byte region; Bytes never changes length or address
// until Close.
type Buffer struct {
	data   []byte
	file   *os.File
	mapped bool
}

// Memory returns a heap buffer of size bytes (the "use mmap:0" fallback).
func Memory(size int) *Buffer { return &Buffer{data: make([]byte, size)} }

// Open maps the first size bytes of the file at path, creating it if needed,
// and locks it (ErrLocked if that fails; the lock ends with Close or with the
// process).
// A missing or short file is first extended with ordinary zero writes, so a
// full disk shows up here as an error instead of a SIGBUS later (Mars does the
// same, mmap_util.cc). The old content is kept: the caller recovers it.
func Open(path string, size int) (*Buffer, error) {
	if size <= 0 {
		return nil, errors.New("mmapbuf: size must be positive")
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("mmapbuf: %s: %w", path, err)
	}
	if err := extend(f, int64(size)); err != nil {
		f.Close()
		return nil, fmt.Errorf("mmapbuf: extend %s: %w", path, err)
	}
	data, err := mapFile(f, size)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("mmapbuf: map %s: %w", path, err)
	}
	return &Buffer{data: data, file: f, mapped: true}, nil
}

// extend writes zeros from the file's end up to size. A longer file (left by
// a logger with a bigger buffer) is cut to size, so that bytes beyond the
// mapping cannot resurface as stale blocks when a bigger buffer maps them again.
func extend(f *os.File, size int64) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	have := st.Size()
	if have > size {
		return f.Truncate(size)
	}
	if have == size {
		return nil
	}
	zeros := make([]byte, 32*1024)
	if _, err := f.Seek(have, io.SeekStart); err != nil {
		return err
	}
	for have < size {
		n := min(int64(len(zeros)), size-have)
		w, err := f.Write(zeros[:n])
		have += int64(w)
		if err != nil {
			return err
		}
	}
	return f.Sync()
}

// Bytes is the whole region. Writes to it reach the file without any call.
func (b *Buffer) Bytes() []byte { return b.data }

// Mapped reports whether the region is backed by the file (crash-safe).
func (b *Buffer) Mapped() bool { return b.mapped }

// Close unmaps the region and closes the file; the file's content stays as the
// caller left it. Close on a Memory buffer only drops the slice.
func (b *Buffer) Close() error {
	data := b.data
	b.data = nil
	if !b.mapped {
		return nil
	}
	b.mapped = false
	err := unmap(data)
	if cerr := b.file.Close(); err == nil {
		err = cerr
	}
	return err
}
