package xlog

import "sync/atomic"

// Stats are a logger's counters since Open. Lines are never lost silently:
// every line that did not reach a file is in LinesDropped or LinesLost.
type Stats struct {
	LinesWritten uint64 // lines accepted (in the buffer, or written in sync mode), banner lines included
	LinesDropped uint64 // lines refused: buffer full, or logged after Close
	LinesLost    uint64 // accepted lines whose block could not be written to a file
	BlockedWaits uint64 // log calls that had to wait for buffer space
	Blocks       uint64 // blocks written to files (async blocks and sync records)
	BytesWritten uint64 // bytes written to log files
	WriteErrors  uint64 // failed file writes
	Mapped       bool   // the buffer is file-backed (crash-safe)
	// LinesTruncated counts lines whose message was cut to fit MaxLine;
	// each ends in "…[truncated N bytes]". They count in LinesWritten too.
	LinesTruncated uint64
}

// counters is the atomic form of Stats.
type counters struct {
	written, dropped, lost, blocked, blocks, bytes, writeErrors, truncated atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		LinesWritten: c.written.Load(),
		LinesDropped: c.dropped.Load(),
		LinesLost:    c.lost.Load(),
		BlockedWaits: c.blocked.Load(),
		Blocks:       c.blocks.Load(),
		BytesWritten: c.bytes.Load(),
		WriteErrors:  c.writeErrors.Load(),

		LinesTruncated: c.truncated.Load(),
	}
}
