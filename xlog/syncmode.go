package xlog

import (
	"fmt"
	"time"
)

// putSync writes line at once as its own clear-text block (Mars sync mode,
// reference/mars-xlog.md §3.3). Unlike Mars, which leaves it in a stdio
// buffer, the block goes straight to the file, so a crash loses nothing that
// was logged.
func (l *Logger) putSync(line []byte, now time.Time) {
	l.mu.Lock()
	err := l.putSyncLocked(line, now)
	l.mu.Unlock()
	l.errs.report(err) // outside the lock: OnError may log
}

func (l *Logger) putSyncLocked(line []byte, now time.Time) error {
	if l.closed {
		l.stats.dropped.Add(1)
		return nil
	}
	var err error
	l.syncBuf, err = l.builder.AppendSync(l.syncBuf[:0], line, hour(now))
	if err != nil {
		l.stats.dropped.Add(1)
		return fmt.Errorf("xlog: sync record: %w", err)
	}
	l.stats.written.Add(1)
	err = l.writeBlock(l.syncBuf, 1, now)
	if cap(l.syncBuf) > maxPooledLine {
		l.syncBuf = nil
	}
	return err
}
