// Package xlog is a logger that writes Mars's xlog files: Mars's line
// layout, crash-safe async buffering through an mmap file, compression and
// optional public-key encryption.
//
// Layers, each its own package: this API (level check, stats, modes) →
// internal/linefmt (the line) → xlog/block (compress, encrypt, frame) →
// internal/mmapbuf (crash-safe buffer) → internal/files (names, rotation,
// cleanup). Several Loggers may be open at once, each with its own files.
//
// Async design: a log call formats its line into a pooled buffer, then
// compresses and encrypts it straight into the mmap buffer, as Mars does.
// Doing it on the caller's goroutine means a line is crash-safe as soon as
// the call returns, costs no hand-off, and allocates nothing; handing
// plaintext to the writer would leave it in memory where a crash loses it.
// Where Mars compresses under one lock, so that threads logging at once take
// turns, zlib lines are parsed (their matches found, most of the work) by
// the calling threads at the same time, and only written in order under the
// lock (pipeline.go); LZ4 and zstd lines are compressed by whichever thread
// holds the lock, its own and those waiting (combining), and a call leaves
// its line to the thread that is writing lines rather than take the lock
// itself, so the compressor stays on one core. The file keeps the order of
// the calls.
//
// The buffer has two halves: when one is a third full it is finished and
// handed to the writer goroutine, which writes it to the file while callers
// fill the other half (double buffer), so file I/O never blocks a log call
// unless the writer falls a whole half behind.
//
// Line limit: a line holds at most MaxLine bytes (Mars's 16 KiB line
// buffer): the prefix up to 1023 bytes, the message the rest minus
// 130. Mars cuts a longer message silently; here it is cut on a rune
// boundary and ends in "…[truncated N bytes]" (N = bytes left out), and the
// line counts in Stats.LinesTruncated. Log long payloads in several lines.
//
// Back-pressure: where Mars replaces lines by a warning at 4/5 full and then
// drops them silently, a call that finds both halves full waits up to
// Config.MaxBlockWait for the writer (or, with NonBlocking, drops at once);
// every dropped line is counted in Stats and a "N lines dropped" record is
// written once the writer has caught up.
package xlog

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/internal/files"
	"github.com/mars-go/mars/xlog/internal/linefmt"
)

// MaxLine is the most bytes one formatted line takes in the file (newline
// included); see the package doc for how a longer message is cut.
const MaxLine = linefmt.MaxLine

// ErrClosed is returned by calls on a closed Logger.
var ErrClosed = errors.New("xlog: logger closed")

// Entry is one record for Write. Zero Time means now; zero Pid and Tid mean
// this process and the calling thread.
type Entry struct {
	Level   Level
	Tag     string
	File    string // a path; only its base name is written
	Func    string
	Line    int
	Message string
	Time    time.Time
	Pid     int
	Tid     int
}

// Logger writes one set of log files. All methods are safe for concurrent use.
type Logger struct {
	cfg     Config
	pid     int
	level   atomic.Int32
	console atomic.Bool
	stats   counters
	format  linefmt.Formatter
	builder *block.Builder // lines; under mu
	records *block.Builder // clear-text marker records; under fileMu
	errs    errorReporter
	pipe    *pipeline // zlib: lines parsed in parallel; LZ4, zstd: lines combined

	consoleMu sync.Mutex // serialises ConsoleWriter

	fileMu      sync.Mutex // guards files and filesClosed; after mu when both
	files       *files.Manager
	filesClosed bool
	maxAlive    time.Duration // Config.MaxAliveTime, changeable
	timers      []*time.Timer // one-shot cleanup and cache moves

	modeMu sync.Mutex  // serialises SetMode and Close; taken before mu
	mapped atomic.Bool // the async buffer is file-backed

	mu      sync.Mutex   // guards everything below and the buffer halves
	closed  bool         // lines are refused; set by Close, under modeMu too
	mode    Mode         // current mode; SetMode changes it
	syncBuf []byte       // Sync mode: the record being written
	async   *asyncBuffer // nil until the logger first runs in Async mode
}

// linePool holds line buffers; buffers that grew past maxPooledLine are
// dropped rather than kept (zerolog does the same).
var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

const maxPooledLine = 64 << 10

// Open starts a logger. In Async mode it maps (or creates) the buffer file,
// first writing out whatever a crashed predecessor left in it, and starts the
// writer goroutine. A buffer that cannot be mapped, or a log dir that cannot
// be written, is reported through OnError and does not fail Open: logging
// continues in memory.
func Open(cfg Config) (*Logger, error) {
	cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	opts := block.Options{
		Compression: blockCompression(cfg.Compression), Level: cfg.CompressLevel, PublicKey: cfg.PublicKey,
	}
	b, err := block.NewBuilder(opts)
	if err != nil {
		return nil, fmt.Errorf("xlog: %w", err)
	}
	recs, err := block.NewBuilder(opts)
	if err != nil {
		return nil, fmt.Errorf("xlog: %w", err)
	}
	l := &Logger{cfg: cfg, pid: os.Getpid(), builder: b, records: recs, mode: cfg.Mode, pipe: newPipeline(b, cfg.Compression)}
	l.errs.onError = cfg.OnError
	l.maxAlive = cfg.MaxAliveTime
	l.level.Store(int32(cfg.Level))
	l.console.Store(cfg.Console)
	l.files = files.New(files.Config{
		LogDir: cfg.LogDir, CacheDir: cfg.CacheDir, Prefix: cfg.NamePrefix,
		MaxFileSize: cfg.MaxFileSize, CacheDays: cfg.CacheDays, FS: cfg.fs, MaxBlock: cfg.BufferSize,
	})
	now := time.Now()
	if cfg.Mode == Async {
		if l.async, err = l.openBuffer(now); err != nil {
			return nil, err
		}
	}
	l.writeOpenBanner(now)
	if l.async != nil {
		go l.writerLoop(l.async)
	}
	l.scheduleMaintenance()
	return l, nil
}

func blockCompression(c Compression) block.Compression {
	switch c {
	case LZ4:
		return block.LZ4
	case Zstd:
		return block.Zstd
	}
	return block.Zlib
}

// Config returns the configuration in use, defaults filled in (the level and
// console switch as at Open; see Level for the current level).
func (l *Logger) Config() Config { return l.cfg }

// Enabled reports whether a line at level would be written: one atomic load.
func (l *Logger) Enabled(level Level) bool {
	return level >= Level(l.level.Load()) && level < LevelNone
}

// Level returns the current level.
func (l *Logger) Level() Level { return Level(l.level.Load()) }

// SetLevel changes the lowest level written; LevelNone turns output off.
func (l *Logger) SetLevel(level Level) { l.level.Store(int32(level)) }

// SetConsole switches the console mirror on or off.
func (l *Logger) SetConsole(on bool) { l.console.Store(on) }

// SetMaxFileSize changes Config.MaxFileSize from the next file write on
// (Mars appender_set_max_file_size); negative values mean 0.
func (l *Logger) SetMaxFileSize(bytes int64) {
	l.withFiles(func() { l.files.SetMaxFileSize(bytes) })
}

// SetMaxAliveTime changes Config.MaxAliveTime for the cleanup that has not
// run yet (Mars appender_set_max_alive_duration); values below one day are
// raised to one day.
func (l *Logger) SetMaxAliveTime(d time.Duration) {
	l.withFiles(func() { l.maxAlive = max(d, MinMaxAliveTime) })
}

// Stats returns the logger's counters.
func (l *Logger) Stats() Stats {
	s := l.stats.snapshot()
	s.Mapped = l.mapped.Load()
	return s
}

// Log writes one line with the given level, tag, source position and message
// at the current time, from the calling thread.
func (l *Logger) Log(level Level, tag, file, fn string, line int, msg string) {
	if !l.Enabled(level) {
		return
	}
	e := Entry{Level: level, Tag: tag, File: file, Func: fn, Line: line, Message: msg}
	l.write(&e)
}

// Write writes one entry, filling in time, pid and tid when they are zero.
func (l *Logger) Write(e *Entry) {
	if !l.Enabled(e.Level) {
		return
	}
	l.write(e)
}

func (l *Logger) write(e *Entry) {
	rec := linefmt.Record{
		Letter: e.Level.Letter(), Time: e.Time, Pid: e.Pid, Tid: e.Tid,
		Tag: e.Tag, File: e.File, Func: e.Func, Line: e.Line, Message: e.Message,
	}
	if rec.Time.IsZero() {
		rec.Time = time.Now()
	}
	if rec.Pid == 0 {
		rec.Pid = l.pid
	}
	if rec.Tid == 0 {
		rec.Tid = threadID()
	}
	rec.Main = rec.Tid == rec.Pid
	bp := linePool.Get().(*[]byte)
	line, cut := l.format.AppendLineCut((*bp)[:0], &rec)
	if cut > 0 {
		l.stats.truncated.Add(1)
	}
	if l.console.Load() {
		full := linefmt.AppendConsole(line, &rec)
		l.writeConsole(full[len(line):])
		line = full[:len(line)]
	}
	l.put(line, rec.Time, e.Level == LevelFatal, rec.Tid)
	if cap(line) <= maxPooledLine {
		*bp = line
		linePool.Put(bp)
	}
}

func (l *Logger) writeConsole(b []byte) {
	w := l.cfg.ConsoleWriter
	if w == nil {
		w = os.Stdout
	}
	l.consoleMu.Lock()
	defer l.consoleMu.Unlock()
	// The console is a mirror; failing to print loses nothing from the file.
	_, _ = w.Write(b)
}

// Flush writes buffered lines to the file. With wait false it only wakes the
// writer; with wait true it returns once every line logged before the call
// has been handed to the file (Mars appender_flush / appender_flush_sync).
// Sync mode writes every line at once, so Flush has nothing to do there.
func (l *Logger) Flush(wait bool) error {
	l.mu.Lock()
	closed, a := l.closed, l.async
	l.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if a != nil {
		requestFlush(a, wait)
	}
	return nil
}

// Close writes the closing banner, flushes, stops the writer and closes the
// files. Lines logged after Close are counted as dropped. A second Close
// returns ErrClosed.
func (l *Logger) Close() error {
	now := time.Now()
	l.modeMu.Lock()
	defer l.modeMu.Unlock()
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed { // modeMu held: no other Close is half-way through
		return ErrClosed
	}
	l.writeCloseBanner(now)
	l.mu.Lock()
	l.closed = true
	a := l.async
	l.mu.Unlock()
	var err error
	if a != nil {
		err = stopWriter(a)
	}
	for _, t := range l.timers {
		t.Stop()
	}
	l.fileMu.Lock()
	l.filesClosed = true
	if cerr := l.files.Close(); err == nil {
		err = cerr
	}
	l.fileMu.Unlock()
	return err
}

// hour is the local hour Mars puts in block headers.
func hour(t time.Time) uint8 { return uint8(t.Hour()) }
