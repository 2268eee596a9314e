package xlog

import (
	"errors"
	"fmt"
	"time"
)

// putSyncLocked writes line at once as its own clear-text block (Mars sync
// mode). Unlike Mars, which leaves it in a stdio
// buffer, the block goes straight to the file, so a crash loses nothing that
// was logged.
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

// SetMode switches between Async and Sync at run time (Mars
// appender_setmode). Leaving Async writes the buffer to the file first, so
// lines keep their order across the switch.
// Entering Async for the first time maps the buffer file (recovering what it
// holds) and starts the writer.
func (l *Logger) SetMode(m Mode) error {
	if m != Async && m != Sync {
		return errors.New("xlog: unknown Mode")
	}
	l.modeMu.Lock()
	defer l.modeMu.Unlock()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	if l.mode == m {
		l.mu.Unlock()
		return nil
	}
	a := l.async
	if m == Sync {
		err := l.leaveAsyncLocked(a)
		l.mu.Unlock()
		l.errs.report(err)
		return nil
	}
	l.mu.Unlock()
	if a == nil {
		var err error
		if a, err = l.openBuffer(time.Now()); err != nil {
			return err
		}
		go l.writerLoop(a)
	}
	l.mu.Lock()
	l.async, l.mode = a, Async
	l.mu.Unlock()
	return nil
}

// leaveAsyncLocked writes the buffer out and switches to Sync, with mu held
// throughout but while the writer finishes a half it is writing: no line
// can be written in Sync mode, straight to the file, before the lines still
// in the buffer.
func (l *Logger) leaveAsyncLocked(a *asyncBuffer) error {
	for a.pending {
		freed := a.freed
		l.mu.Unlock()
		<-freed // Close, which stops the writer, waits for modeMu
		l.mu.Lock()
	}
	l.mode = Sync
	h := &a.halves[a.active]
	if h.lines == 0 {
		return nil
	}
	now := time.Now()
	blk := l.builder.Finish(h.mem[:h.n], hour(now))
	err := l.writeBlock(blk, h.lines, now)
	clear(blk)
	h.n, h.lines = 0, 0
	a.urgent = false
	return err
}
