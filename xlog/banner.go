package xlog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/format"
	"github.com/mars-go/mars/xlog/internal/linefmt"
	"github.com/mars-go/mars/xlog/internal/mmapbuf"
)

// Texts of the lines xlog writes by itself.
const (
	bannerName      = "mars-go"
	mmapBeginMarker = "~~~~~ begin of mmap ~~~~~\n"
	mmapEndMarker   = "~~~~~ end of mmap ~~~~~"
	droppedTag      = "xlog"
)

// openBuffer maps <cachedir or logdir>/<prefix>.mmap3 (two halves), falling
// back to memory, and writes out what a crashed predecessor left there. A
// buffer file locked by another logger is an error: sharing it would corrupt
// both loggers' blocks.
func (l *Logger) openBuffer(now time.Time) (*asyncBuffer, error) {
	size := l.cfg.BufferSize
	dir := l.cfg.CacheDir
	if dir == "" {
		dir = l.cfg.LogDir
	}
	region, err := (*mmapbuf.Buffer)(nil), os.MkdirAll(dir, 0o755)
	if err == nil {
		region, err = mmapbuf.Open(filepath.Join(dir, l.cfg.NamePrefix+mmapSuffix), 2*size)
	}
	if errors.Is(err, mmapbuf.ErrLocked) {
		return nil, fmt.Errorf("xlog: %w", err)
	}
	if err != nil {
		l.errs.report(fmt.Errorf("xlog: no buffer file, logging continues in memory: %w", err))
		region = mmapbuf.Memory(2 * size)
	}
	a := newAsyncBuffer(region, size)
	l.mapped.Store(region.Mapped())
	l.recoverBuffer(a, now)
	return a, nil
}

// recoverBuffer writes the blocks found in the buffer halves to the log file,
// oldest first, between Mars's clear-text markers, then zeroes the buffer.
// The blocks keep their magic, seq and key: they decode with the parameters
// of the session that wrote them.
func (l *Logger) recoverBuffer(a *asyncBuffer, now time.Time) {
	var found [][]byte
	for i := range a.halves {
		if blk, ok := block.RecoverAt(a.halves[i].mem, hour(now)); ok {
			found = append(found, bytes.Clone(blk))
		}
		clear(a.halves[i].mem)
	}
	if len(found) == 0 {
		return
	}
	if len(found) == 2 && seqBefore(seqOf(found[1]), seqOf(found[0])) {
		found[0], found[1] = found[1], found[0]
	}
	h := hour(now)
	out, err := l.records.AppendSync(nil, []byte(mmapBeginMarker), h)
	for _, blk := range found {
		out = append(out, blk...)
	}
	end := linefmt.AppendBannerTime([]byte(mmapEndMarker), l.pid, threadID(), now)
	if err == nil {
		out, err = l.records.AppendSync(out, append(end, '\n'), h)
	}
	if err != nil {
		l.errs.report(fmt.Errorf("xlog: recovery markers: %w", err))
	}
	l.errs.report(l.writeBlock(out, 0, now))
}

func seqOf(blk []byte) uint16 {
	hdr, err := format.ParseHeader(blk)
	if err != nil {
		return 0
	}
	return hdr.Seq
}

// seqBefore orders 16-bit seqs across the wrap.
func seqBefore(a, b uint16) bool { return int16(a-b) < 0 }

// writeOpenBanner writes the lines Mars writes at open (shortened: no build
// information we do not have).
func (l *Logger) writeOpenBanner(now time.Time) {
	line := l.banner('^', now)
	l.putRaw(line, now)
	mapped := 0
	if l.mapped.Load() {
		mapped = 1
	}
	l.putRaw(fmt.Appendf(nil, "log appender mode:%d, use mmap:%d\n", int(l.cfg.Mode), mapped), now)
}

func (l *Logger) writeCloseBanner(now time.Time) { l.putRaw(l.banner('$', now), now) }

// banner is "<10 c>mars-go<10 c>[pid,tid][YYYY-MM-DD ±hhmm hh:mm:ss]\n".
func (l *Logger) banner(c byte, now time.Time) []byte {
	fence := bytes.Repeat([]byte{c}, 10)
	b := append(append(append([]byte(nil), fence...), bannerName...), fence...)
	return append(linefmt.AppendBannerTime(b, l.pid, threadID(), now), '\n')
}

// putRaw writes a line without the record prefix.
func (l *Logger) putRaw(line []byte, now time.Time) { l.put(line, now, false, 0) }

// droppedRecord is the line that replaces lines dropped on a full buffer.
func droppedRecord(pid int, n uint64, now time.Time) linefmt.Record {
	return linefmt.Record{
		Letter: LevelWarn.Letter(), Time: now, Pid: pid, Tid: pid, Main: true, Tag: droppedTag,
		Message: strconv.FormatUint(n, 10) + " lines dropped: log buffer full",
	}
}

func appendRecord(dst []byte, r *linefmt.Record) []byte { return linefmt.AppendLine(dst, r) }
