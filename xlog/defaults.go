package xlog

import "time"

// Defaults. Mars's numbers come from its xlog sources; ours are marked as
// such.
const (
	// DefaultBufferSize is one buffer half: Mars's kBufferBlockLength,
	// 150 KiB. The buffer file holds two halves (ours: double buffer).
	DefaultBufferSize = 150 * 1024
	// MinBufferSize keeps room for at least a few maximal lines (ours).
	MinBufferSize = 32 * 1024
	// MaxBufferSize bounds the buffer file (two halves: 32 MiB) (ours).
	MaxBufferSize = 16 << 20
	// DefaultFlushInterval is Mars's 15-minute flusher timer.
	DefaultFlushInterval = 15 * time.Minute
	// DefaultMaxAliveTime is how long log files are kept: 10 days.
	DefaultMaxAliveTime = 10 * 24 * time.Hour
	// MinMaxAliveTime: Mars ignores values below one day; we clamp.
	MinMaxAliveTime = 24 * time.Hour
	// DefaultMaxBlockWait bounds how long a log call waits for buffer space
	// in blocking mode before it drops the line and counts it (ours).
	DefaultMaxBlockWait = time.Second
	// DefaultNamePrefix is used when Config.NamePrefix is empty (ours; Mars
	// requires a prefix).
	DefaultNamePrefix = "mars"
	// DefaultCleanupDelay: Mars deletes old files once, 2 minutes after
	// open.
	DefaultCleanupDelay = 2 * time.Minute
	// DefaultCacheMoveDelay: Mars moves cache-dir files to the log dir once,
	// 3 minutes after open.
	DefaultCacheMoveDelay = 3 * time.Minute
	// mmapSuffix names the buffer file <prefix>.mmap3.
	mmapSuffix = ".mmap3"
)

// flushThreshold is the fill level at which the writer is woken: one third
// of the buffer, Mars's 51200 bytes.
func flushThreshold(bufferSize int) int { return bufferSize / 3 }
