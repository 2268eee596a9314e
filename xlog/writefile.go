package xlog

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// writeBlock appends blk (holding lines lines) to the log file. A failed
// write loses the block: the lines are counted as lost and a clear-text
// "write file error" record is attempted so that readers see where the gap
// is. The error is returned for the caller to report once it
// holds no lock (OnError may log); so is the note that a torn block left by
// a crash was cut off the file before appending (files.Manager.Repairs).
func (l *Logger) writeBlock(blk []byte, lines int, now time.Time) error {
	l.fileMu.Lock()
	defer l.fileMu.Unlock()
	if l.filesClosed {
		l.stats.lost.Add(uint64(lines))
		return nil
	}
	err := l.files.Write(blk, now)
	if err == nil {
		l.stats.blocks.Add(1)
		l.stats.bytes.Add(uint64(len(blk)))
		l.errs.ok()
		return l.files.Repairs()
	}
	l.stats.writeErrors.Add(1)
	l.stats.lost.Add(uint64(lines))
	marker, merr := l.records.AppendSync(nil, []byte("\nwrite file error: "+err.Error()+"\n"), hour(now))
	if merr == nil && l.files.Write(marker, now) == nil {
		l.stats.blocks.Add(1)
		l.stats.bytes.Add(uint64(len(marker)))
	}
	return fmt.Errorf("xlog: %d lines lost: %w", lines, err)
}

// errorReporter reports the first error of a streak of failures, so a full
// disk is said once, not once per block. report is called with no xlog lock
// held: OnError may log, but must not call Flush(true) or Close, which wait
// for the writer goroutine that may be the one reporting.
type errorReporter struct {
	mu      sync.Mutex
	failing bool
	onError func(error)
}

func (r *errorReporter) report(err error) {
	if err == nil {
		return
	}
	r.mu.Lock()
	first := !r.failing
	r.failing = true
	r.mu.Unlock()
	if !first {
		return
	}
	if r.onError != nil {
		r.onError(err)
		return
	}
	fmt.Fprintln(os.Stderr, err)
}

func (r *errorReporter) ok() {
	r.mu.Lock()
	r.failing = false
	r.mu.Unlock()
}

// scheduleMaintenance arms Mars's one-shot jobs: old-file cleanup 2 minutes
// and cache-dir moves 3 minutes after open.
func (l *Logger) scheduleMaintenance() {
	l.timers = append(l.timers, time.AfterFunc(DefaultCleanupDelay, func() {
		var err error
		l.withFiles(func() { _, err = l.files.Cleanup(time.Now(), l.maxAlive) })
		if err != nil {
			l.errs.report(fmt.Errorf("xlog: cleanup: %w", err))
		}
	}))
	if l.cfg.CacheDir != "" {
		l.timers = append(l.timers, time.AfterFunc(DefaultCacheMoveDelay, func() {
			var err error
			l.withFiles(func() { _, err = l.files.MoveCache(time.Now()) })
			if err != nil {
				l.errs.report(fmt.Errorf("xlog: moving cache files: %w", err))
			}
		}))
	}
}

// withFiles runs f with the file manager unless the logger is closed.
func (l *Logger) withFiles(f func()) {
	l.fileMu.Lock()
	defer l.fileMu.Unlock()
	if !l.filesClosed {
		f()
	}
}
