package files

import (
	"errors"
	"path/filepath"
	"strings"
	"time"
)

// Cleanup deletes this prefix's .xlog files in the log and cache dirs whose
// modification time is more than maxAge before now. Unlike Mars,
// which deletes every .xlog whatever its prefix, only our own prefix is
// touched, so instances sharing a directory keep their own max-alive times.
// It returns how many files were removed.
func (m *Manager) Cleanup(now time.Time, maxAge time.Duration) (int, error) {
	removed := 0
	var errs []error
	for _, dir := range []string{m.cfg.LogDir, m.cfg.CacheDir} {
		if dir == "" {
			continue
		}
		ents, err := m.cfg.FS.ReadDir(dir)
		if err != nil {
			continue // a missing dir has nothing to clean
		}
		for _, e := range ents {
			if !e.Type().IsRegular() || !m.ours(e.Name()) {
				continue
			}
			info, err := e.Info()
			if err != nil || now.Sub(info.ModTime()) <= maxAge {
				continue
			}
			if err := m.cfg.FS.Remove(filepath.Join(dir, e.Name())); err != nil {
				errs = append(errs, err)
				continue
			}
			removed++
		}
	}
	return removed, errors.Join(errs...)
}

func (m *Manager) ours(name string) bool {
	return strings.HasPrefix(name, m.cfg.Prefix+"_") && strings.HasSuffix(name, ".xlog")
}

// MoveCache appends each of this prefix's cache-dir files to the log-dir file
// of the same name and deletes it. Files modified less than
// CacheDays days before now stay when CacheDays > 0, and the file being
// written is never moved. It stops at the first failure and returns how many
// files were moved.
func (m *Manager) MoveCache(now time.Time) (int, error) {
	if m.cfg.CacheDir == "" {
		return 0, nil
	}
	ents, err := m.cfg.FS.ReadDir(m.cfg.CacheDir)
	if err != nil {
		return 0, nil // no cache dir yet: nothing to move
	}
	keep := time.Duration(m.cfg.CacheDays) * 24 * time.Hour
	moved := 0
	for _, e := range ents {
		src := filepath.Join(m.cfg.CacheDir, e.Name())
		if !e.Type().IsRegular() || !m.ours(e.Name()) || (m.cur != nil && src == m.path) {
			continue
		}
		if info, err := e.Info(); err != nil || (keep > 0 && now.Sub(info.ModTime()) < keep) {
			continue
		}
		if err := m.moveOne(src, filepath.Join(m.cfg.LogDir, e.Name())); err != nil {
			return moved, err
		}
		moved++
	}
	return moved, nil
}

func (m *Manager) moveOne(src, dst string) error {
	data, err := m.cfg.FS.ReadFile(src)
	if err != nil {
		return err
	}
	if err := m.cfg.FS.MkdirAll(filepath.Dir(dst)); err != nil {
		return err
	}
	f, size, err := m.openAppend(dst)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		terr := f.Truncate(size)
		f.Close()
		return errors.Join(err, terr)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return m.cfg.FS.Remove(src)
}
