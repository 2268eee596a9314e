// Package files decides where log blocks go on disk and puts them there:
// Mars's file names (<prefix>_YYYYMMDD.xlog, then _1, _2 … once a file is over
// the max size), the cache directory and its moves to the log directory, and the
// cleanup of old files. Of the bytes it
// writes it knows only the block framing, to repair a file whose last block
// a crash cut short before appending to it (format.TornTail).
package files

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mars-go/mars/xlog/format"
)

// Config says where files go. Zero MaxFileSize means one file per day.
type Config struct {
	LogDir   string
	CacheDir string // "" = none
	Prefix   string
	// MaxFileSize in bytes: a file larger than this gets a successor _N+1
	// before the next write, so files overshoot by up to one write.
	MaxFileSize int64
	// CacheDays > 0 with a CacheDir: today's logs are written to the cache
	// dir and moved to the log dir once older than this many days.
	CacheDays int
	// MaxBlock is the largest block the writers of these files produce,
	// in bytes; a torn last block is looked for in the last 2×MaxBlock
	// bytes of a file. At least DefaultMaxBlock.
	MaxBlock int
	FS       FS // nil = OS
}

// DefaultMaxBlock covers Mars's 150 KiB buffer and ours by default.
const DefaultMaxBlock = 512 << 10

// maxDeclared is the largest payload length a header may declare to be
// taken for a block (decode.DefaultMaxBlock).
const maxDeclared = 16 << 20

// Manager appends blocks to the right file. It is not safe for concurrent
// use: the logger calls it from one goroutine at a time.
type Manager struct {
	cfg     Config
	repairs []error // torn tails cut, not yet taken by Repairs
	cur     File
	path    string // of cur
	dir     string // of cur
	day     string // of cur, YYYYMMDD
	idx     int    // split index of cur, 0 = no suffix
	size    int64  // of cur, before any failed write
}

// New returns a manager; nothing is opened until the first Write.
func New(cfg Config) *Manager {
	if cfg.FS == nil {
		cfg.FS = OS{}
	}
	cfg.MaxBlock = max(cfg.MaxBlock, DefaultMaxBlock) // an earlier writer may have used the default
	return &Manager{cfg: cfg}
}

// Name returns "<prefix>_<day>.xlog" or "<prefix>_<day>_<idx>.xlog".
func Name(prefix, day string, idx int) string {
	if idx == 0 {
		return prefix + "_" + day + ".xlog"
	}
	return prefix + "_" + day + "_" + strconv.Itoa(idx) + ".xlog"
}

// Day formats t's local date as Mars does in file names.
func Day(t time.Time) string { return t.Format("20060102") }

// SetMaxFileSize changes the split size from the next Write on (0 = one file
// per day).
func (m *Manager) SetMaxFileSize(n int64) { m.cfg.MaxFileSize = max(n, 0) }

// Path is the file Write last opened ("" before any), whether or not the
// write that followed succeeded.
func (m *Manager) Path() string { return m.path }

// Write appends p as one unit to today's file. On a failed write the file is
// cut back to its previous size, so a block is either wholly there or not at
// all, and the error is returned. If the log dir cannot be opened and a cache
// dir is set, the cache dir is used instead.
func (m *Manager) Write(p []byte, now time.Time) error {
	if err := m.ensure(now); err != nil {
		return err
	}
	n, err := m.cur.Write(p)
	if err == nil {
		m.size += int64(n)
		return nil
	}
	terr := m.cur.Truncate(m.size)
	m.closeCur()
	return errors.Join(err, terr) // *PathError: names the file
}

// ensure opens the file for now's day, moving to the next split index when
// the current one is over the max size.
func (m *Manager) ensure(now time.Time) error {
	day := Day(now)
	dirs := m.dirs()
	if m.cur != nil && m.day == day && m.dir == dirs[0] {
		if m.cfg.MaxFileSize <= 0 || m.size <= m.cfg.MaxFileSize {
			return nil
		}
		m.closeCur()
		return m.open(m.dir, day, m.idx+1)
	}
	m.closeCur()
	var errs []error
	for _, dir := range dirs {
		idx, err := m.pickIndex(dir, day)
		if err == nil {
			err = m.open(dir, day, idx)
		}
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// dirs lists the directories to try, preferred first.
func (m *Manager) dirs() []string {
	switch {
	case m.cfg.CacheDir == "":
		return []string{m.cfg.LogDir}
	case m.cfg.CacheDays > 0:
		return []string{m.cfg.CacheDir, m.cfg.LogDir}
	default:
		return []string{m.cfg.LogDir, m.cfg.CacheDir}
	}
}

// pickIndex finds the highest existing split index for day in dir and moves
// past it if that file is over the max size.
func (m *Manager) pickIndex(dir, day string) (int, error) {
	if err := m.cfg.FS.MkdirAll(dir); err != nil {
		return 0, err
	}
	if m.cfg.MaxFileSize <= 0 {
		return 0, nil
	}
	ents, err := m.cfg.FS.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	best := 0
	for _, e := range ents {
		if idx, ok := splitIndex(e.Name(), m.cfg.Prefix, day); ok && idx > best {
			best = idx
		}
	}
	if st, err := m.cfg.FS.Stat(filepath.Join(dir, Name(m.cfg.Prefix, day, best))); err == nil &&
		st.Size() > m.cfg.MaxFileSize {
		best++
	}
	return best, nil
}

// splitIndex parses name as <prefix>_<day>[_N].xlog.
func splitIndex(name, prefix, day string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix+"_"+day)
	if !ok {
		return 0, false
	}
	rest, ok = strings.CutSuffix(rest, ".xlog")
	if !ok {
		return 0, false
	}
	if rest == "" {
		return 0, true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(rest, "_"))
	if err != nil || rest[0] != '_' || n <= 0 {
		return 0, false
	}
	return n, true
}

func (m *Manager) open(dir, day string, idx int) error {
	path := filepath.Join(dir, Name(m.cfg.Prefix, day, idx))
	f, size, err := m.openAppend(path)
	if err != nil {
		return err
	}
	m.cur, m.path, m.dir, m.day, m.idx, m.size = f, path, dir, day, idx, size
	return nil
}

// openAppend opens path for appending and returns its current size, after
// cutting off a torn last block (repairTail).
func (m *Manager) openAppend(path string) (File, int64, error) {
	f, err := m.cfg.FS.OpenAppend(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, m.repairTail(f, path, st.Size()), nil
}

// repairTail cuts off the bytes of a block whose write a crash interrupted
// (format.TornTail) and returns the new size. Its lines are not lost: the
// block was still in the crash-safe buffer, which the next open writes out
// after it. Left in place, its stale length would swallow every block
// appended after it for readers that trust it, Mars's decoder among them.
// A file whose end cannot be read is left as it is.
func (m *Manager) repairTail(f File, path string, size int64) int64 {
	window := min(size, 2*int64(m.cfg.MaxBlock+format.BlockOverhead))
	if window == 0 {
		return size
	}
	tail := make([]byte, window)
	if n, _ := f.ReadAt(tail, size-window); int64(n) != window {
		return size // unreadable (a write-only file?): append as is
	}
	cut := format.TornTail(tail, window == size, maxDeclared)
	if cut == 0 {
		return size
	}
	if err := f.Truncate(size - int64(cut)); err != nil {
		m.repairs = append(m.repairs, fmt.Errorf("xlog: %s ends in a block cut short by a crash; cutting it off failed: %w", path, err))
		return size
	}
	m.repairs = append(m.repairs, fmt.Errorf("xlog: %s ended in a block cut short by a crash: cut its %d bytes off before appending", path, cut))
	return size - int64(cut)
}

// Repairs returns (and forgets) a note for each torn block cut off since
// the last call, for the logger to report.
func (m *Manager) Repairs() error {
	err := errors.Join(m.repairs...)
	m.repairs = nil
	return err
}

func (m *Manager) closeCur() {
	if m.cur != nil {
		// A close error after successful writes loses nothing we could
		// still save; the next Write reopens.
		_ = m.cur.Close()
		m.cur = nil
	}
}

// Close closes the open file.
func (m *Manager) Close() error {
	if m.cur == nil {
		return nil
	}
	err := m.cur.Close()
	m.cur = nil
	return err
}
