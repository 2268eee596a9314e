package xlog

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/internal/files"
)

// Mode is the appender mode, with Mars's numbers.
type Mode int

// Modes.
const (
	// Async: lines are compressed (and encrypted) into a crash-safe mmap
	// buffer and written to the file in blocks by a writer goroutine.
	Async Mode = 0
	// Sync: every line is written to the file at once as its own clear-text
	// block (Mars sync mode, never encrypted).
	Sync Mode = 1
)

// Compression of async blocks.
type Compression int

// Compressions, with Mars's numbers (TCompressMode: kZlib = 0, kZstd = 1).
// LZ4 is ours and takes a number Mars does not use. 2 is not a mode: it
// was Zstd before 0.2.0, and the C ABI still reads it as zstd.
const (
	// Zlib is Mars-compatible (raw deflate, one stream per block that
	// Mars's decoders read).
	Zlib Compression = 0
	// Zstd is Mars-compatible (unterminated frame per block, 64 KiB window,
	// flush per line).
	Zstd Compression = 1
	// LZ4 is ours: several times faster, larger files, needs our decoder.
	LZ4 Compression = 3
)

// Compression levels (Config.CompressLevel).
const (
	DefaultZlibLevel = 6                  // Mars hard-wires 9; 6 takes half of 9's CPU for 3–7 % more bytes
	MaxZlibLevel     = block.MaxZlibLevel // flate's best
	DefaultZstdLevel = 3                  // zstd's own default, what Mars's Java layer gets by passing 0
	MaxZstdLevel     = block.MaxZstdLevel // zstd's best
)

// Config configures one logger. The zero value of every field means its
// default; DefaultConfig returns them filled in.
type Config struct {
	// Mode is Async (default) or Sync.
	Mode Mode
	// LogDir is where log files go. Required.
	LogDir string
	// CacheDir, if set, holds the buffer file, and log files when the log
	// dir fails or CacheDays > 0; its files are moved to LogDir later.
	CacheDir string
	// NamePrefix names the files: <prefix>_YYYYMMDD.xlog and <prefix>.mmap3.
	// Default "mars".
	NamePrefix string
	// PublicKey: "" = no encryption; 128 hex chars = Mars secp256k1+TEA; an
	// HPKE key as `mars xlog keygen` prints it. Passed to xlog/block. Sync
	// mode never encrypts.
	PublicKey string
	// Compression of async blocks: Zlib (default, Mars-compatible), Zstd
	// (Mars-compatible), LZ4.
	Compression Compression
	// CompressLevel is Mars's compress_level: 0 takes the codec's default
	// (DefaultZlibLevel, DefaultZstdLevel); zlib takes 1–9, zstd 1–22 (the
	// level sets how hard the matcher searches the earlier lines); LZ4 has
	// no levels and takes only 0. Unlike Mars, the zlib level is honoured too.
	CompressLevel int
	// MaxFileSize in bytes; 0 (default) = one file per day; otherwise files
	// split into _1, _2 … once over this size (overshooting by one block).
	MaxFileSize int64
	// MaxAliveTime: older files of this prefix are deleted once after open.
	// Default 10 days; values below one day are raised to one day.
	MaxAliveTime time.Duration
	// CacheDays > 0 with a CacheDir: logs are written to the cache dir and
	// moved to LogDir once older than this many days. Default 0.
	CacheDays int
	// Console mirrors every line to ConsoleWriter (Mars console format).
	// Default off.
	Console bool
	// ConsoleWriter receives console lines. Default os.Stdout.
	ConsoleWriter io.Writer
	// Level is the lowest level written. Default LevelVerbose (everything).
	Level Level
	// NonBlocking: when the buffer is full, drop the line at once (counted,
	// and reported by a "lines dropped" record) instead of waiting up to
	// MaxBlockWait for the writer. Default false (blocking).
	NonBlocking bool
	// MaxBlockWait bounds the wait of a blocked log call. Default 1 s.
	MaxBlockWait time.Duration
	// FlushInterval: the writer flushes a non-empty buffer at least this
	// often. Default 15 minutes (Mars).
	FlushInterval time.Duration
	// BufferSize is the size of one buffer half in bytes. Default 150 KiB
	// (Mars); clamped to 32 KiB … 16 MiB.
	BufferSize int
	// OnError is called (from the writer goroutine or a log call, with no
	// xlog lock held) the first time a file write fails after a success,
	// when the buffer file cannot be mapped, and when a log file ended in a
	// block cut short by a crash, which was cut off before appending (its
	// lines were still in the buffer). It may log; it must not call
	// Flush(true) or Close. Default: print the error to os.Stderr.
	OnError func(error)

	fs files.FS // nil = the OS; tests inject full disks
}

// DefaultConfig returns the defaults, with LogDir still to be set.
func DefaultConfig() Config {
	c := Config{}
	c.withDefaults()
	return c
}

// withDefaults fills zero fields and clamps out-of-range ones.
func (c *Config) withDefaults() {
	if c.NamePrefix == "" {
		c.NamePrefix = DefaultNamePrefix
	}
	if c.MaxAliveTime == 0 {
		c.MaxAliveTime = DefaultMaxAliveTime
	}
	c.MaxAliveTime = max(c.MaxAliveTime, MinMaxAliveTime)
	if c.MaxBlockWait <= 0 {
		c.MaxBlockWait = DefaultMaxBlockWait
	}
	if c.FlushInterval <= 0 {
		c.FlushInterval = DefaultFlushInterval
	}
	if c.BufferSize == 0 {
		c.BufferSize = DefaultBufferSize
	}
	c.BufferSize = min(max(c.BufferSize, MinBufferSize), MaxBufferSize)
	if c.fs == nil {
		c.fs = files.OS{}
	}
}

// maxLevel is the highest CompressLevel of a compression (0: no levels).
func maxLevel(c Compression) int {
	switch c {
	case Zlib:
		return MaxZlibLevel
	case Zstd:
		return MaxZstdLevel
	}
	return 0
}

// validate rejects what cannot be defaulted.
func (c *Config) validate() error {
	switch {
	case c.LogDir == "":
		return errors.New("xlog: Config.LogDir is required")
	case c.Mode != Async && c.Mode != Sync:
		return errors.New("xlog: unknown Config.Mode")
	case c.Compression != Zlib && c.Compression != LZ4 && c.Compression != Zstd:
		return errors.New("xlog: unknown Config.Compression")
	case c.CompressLevel < 0 || c.CompressLevel > maxLevel(c.Compression):
		return fmt.Errorf("xlog: Config.CompressLevel %d out of range for %v (0 = default, at most %d)",
			c.CompressLevel, blockCompression(c.Compression), maxLevel(c.Compression))
	case c.Level < LevelVerbose || c.Level > LevelNone:
		return errors.New("xlog: Config.Level out of range")
	case c.MaxFileSize < 0 || c.CacheDays < 0:
		return errors.New("xlog: negative MaxFileSize or CacheDays")
	}
	return nil
}
