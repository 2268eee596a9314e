package main

/*
#include "mars.h"

// Defined in shim.c: the C-side mirror of each appender's level.
void marsgo_level_mirror_store(uintptr_t id, int level);
void marsgo_level_mirror_clear(uintptr_t id);
*/
import "C"

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/mars-go/mars/xlog"
	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/decode"
)

// xlogHandle is what a mars_xlog id names.
type xlogHandle struct {
	l       *xlog.Logger
	err     errDetail
	levelMu sync.Mutex // a level change and its C-side mirror happen together
}

var xlogs = newHandleTable[*xlogHandle](kindXlog)

// withXlog is the body of every export on an appender (withHandle).
func withXlog(name string, h C.uintptr_t, f func(*xlogHandle) C.int) C.int {
	return withHandle(name, xlogs, h, f)
}

//export marsgo_xlog_config_init
func marsgo_xlog_config_init(c *C.mars_xlog_config) (rc C.int) {
	defer fence("mars_xlog_config_init", &rc)
	enter("mars_xlog_config_init")
	if c == nil {
		return C.MARS_EINVAL
	}
	d := xlog.DefaultConfig()
	c.mode = C.int32_t(d.Mode)
	c.compress_mode = C.int32_t(d.Compression)
	c.compress_level = C.int32_t(d.CompressLevel)
	c.level = C.int32_t(d.Level)
	c.max_file_size = C.int64_t(d.MaxFileSize)
	c.max_alive_time_ms = C.int64_t(d.MaxAliveTime.Milliseconds())
	c.cache_days = C.int32_t(d.CacheDays)
	c.max_block_wait_ms = C.int64_t(d.MaxBlockWait.Milliseconds())
	c.flush_interval_ms = C.int64_t(d.FlushInterval.Milliseconds())
	c.buffer_size = C.int32_t(d.BufferSize)
	return C.MARS_OK
}

// xlogConfig converts a C appender config (copied to full size by the shim).
func xlogConfig(c *C.mars_xlog_config) (xlog.Config, error) {
	cfg := xlog.Config{
		Mode: xlog.Mode(c.mode), LogDir: goString(c.log_dir), CacheDir: goString(c.cache_dir),
		NamePrefix: goString(c.name_prefix), PublicKey: goString(c.pub_key),
		Compression: compression(c.compress_mode), CompressLevel: int(c.compress_level),
		Level:       xlog.Level(c.level),
		MaxFileSize: int64(c.max_file_size), CacheDays: int(c.cache_days),
		Console: cBool(c.console), NonBlocking: cBool(c.non_blocking), BufferSize: int(c.buffer_size),
	}
	err := setDurations([]msField{
		{"max_alive_time_ms", c.max_alive_time_ms, &cfg.MaxAliveTime},
		{"max_block_wait_ms", c.max_block_wait_ms, &cfg.MaxBlockWait},
		{"flush_interval_ms", c.flush_interval_ms, &cfg.FlushInterval},
	}, 0)
	if err != nil {
		return cfg, err
	}
	if c.buffer_size < 0 || c.buffer_size > 64<<20 {
		return cfg, fmt.Errorf("buffer_size = %d is out of range", int(c.buffer_size))
	}
	return cfg, nil
}

// oldZstd is what compress_mode 2 meant before 0.2.0 took Mars's numbers
// (zstd = 1, lz4 = 3). It stays zstd so an old caller still gets files
// Mars's tools read; no mode will ever take the number.
const oldZstd = 2

// compression maps compress_mode to the xlog numbers, which are the C ones.
func compression(mode C.int32_t) xlog.Compression {
	if mode == oldZstd {
		return xlog.Zstd
	}
	return xlog.Compression(mode)
}

//export marsgo_xlog_open
func marsgo_xlog_open(c *C.mars_xlog_config, out *C.uintptr_t) (rc C.int) {
	defer fence("mars_xlog_open", &rc)
	enter("mars_xlog_open")
	if c == nil || out == nil {
		return fail(nil, C.MARS_EINVAL, "mars_xlog_open: cfg and out are required")
	}
	*out = 0
	cfg, err := xlogConfig(c)
	if err != nil {
		return fail(nil, C.MARS_EINVAL, "mars_xlog_open: "+err.Error())
	}
	l, err := xlog.Open(cfg)
	if err != nil {
		return fail(nil, C.MARS_EINVAL, "mars_xlog_open: "+err.Error())
	}
	id, ok := xlogs.add(&xlogHandle{l: l})
	if !ok {
		_ = l.Close() // nothing was logged through it
		return fail(nil, C.MARS_ELIMIT, "mars_xlog_open: "+xlogs.limit("appenders"))
	}
	C.marsgo_level_mirror_store(C.uintptr_t(id), C.int(l.Level()))
	*out = C.uintptr_t(id)
	return C.MARS_OK
}

//export marsgo_xlog_close
func marsgo_xlog_close(h C.uintptr_t) (rc C.int) {
	defer fence("mars_xlog_close", &rc)
	enter("mars_xlog_close")
	if h == 0 {
		return C.MARS_OK
	}
	x, ok := xlogs.remove(uintptr(h))
	if !ok {
		return C.MARS_EBADHANDLE
	}
	C.marsgo_level_mirror_clear(h)
	if err := x.l.Close(); err != nil {
		return fail(nil, closedCode(err, C.MARS_EIO), "mars_xlog_close: "+err.Error())
	}
	return C.MARS_OK
}

// validLevel reports whether l is a MARS_LEVEL_* (with or without NONE).
func validLevel(l C.int, allowNone bool) bool {
	if allowNone {
		return l >= C.MARS_LEVEL_VERBOSE && l <= C.MARS_LEVEL_NONE
	}
	return l >= C.MARS_LEVEL_VERBOSE && l < C.MARS_LEVEL_NONE
}

// tid is the calling thread's kernel id, cached per thread by the shim; 0
// lets xlog look it up. sec and nsec are the line's wall-clock time, read by
// the shim; both 0 let xlog read it.
//
//export marsgo_xlog_write
func marsgo_xlog_write(h C.uintptr_t, level C.int, tag, file, fn *C.char, line C.int, msg *C.char, tid C.int, sec C.int64_t, nsec C.int32_t) C.int {
	return withXlog("mars_xlog_write", h, func(x *xlogHandle) C.int {
		if msg == nil || !validLevel(level, false) {
			return C.MARS_EINVAL
		}
		lv := xlog.Level(level)
		if !x.l.Enabled(lv) {
			return C.MARS_OK
		}
		// Borrowed, not copied: Log formats the line before it returns.
		e := xlog.Entry{
			Level: lv, Tag: borrowString(tag), File: borrowString(file), Func: borrowString(fn),
			Line: int(line), Message: borrowString(msg), Tid: int(tid),
		}
		if sec != 0 || nsec != 0 {
			e.Time = time.Unix(int64(sec), int64(nsec))
		}
		x.l.Write(&e)
		return C.MARS_OK
	})
}

//export marsgo_xlog_flush
func marsgo_xlog_flush(h C.uintptr_t, sync C.int) C.int {
	return withXlog("mars_xlog_flush", h, func(x *xlogHandle) C.int {
		if err := x.l.Flush(sync != 0); err != nil {
			return fail(&x.err, closedCode(err, C.MARS_EIO), "mars_xlog_flush: "+err.Error())
		}
		return C.MARS_OK
	})
}

//export marsgo_xlog_set_level
func marsgo_xlog_set_level(h C.uintptr_t, level C.int) C.int {
	return withXlog("mars_xlog_set_level", h, func(x *xlogHandle) C.int {
		if !validLevel(level, true) {
			return C.MARS_EINVAL
		}
		x.levelMu.Lock()
		defer x.levelMu.Unlock()
		x.l.SetLevel(xlog.Level(level))
		C.marsgo_level_mirror_store(h, level)
		return C.MARS_OK
	})
}

//export marsgo_xlog_get_level
func marsgo_xlog_get_level(h C.uintptr_t, out *C.int) C.int {
	return withXlog("mars_xlog_get_level", h, func(x *xlogHandle) C.int {
		if out == nil {
			return C.MARS_EINVAL
		}
		*out = C.int(x.l.Level())
		return C.MARS_OK
	})
}

//export marsgo_xlog_set_console
func marsgo_xlog_set_console(h C.uintptr_t, on C.int) C.int {
	return withXlog("mars_xlog_set_console", h, func(x *xlogHandle) C.int {
		x.l.SetConsole(on != 0)
		return C.MARS_OK
	})
}

//export marsgo_xlog_set_mode
func marsgo_xlog_set_mode(h C.uintptr_t, mode C.int) C.int {
	return withXlog("mars_xlog_set_mode", h, func(x *xlogHandle) C.int {
		m := xlog.Mode(mode)
		if m != xlog.Async && m != xlog.Sync {
			return fail(&x.err, C.MARS_EINVAL, fmt.Sprintf("mars_xlog_set_mode: mode %d", int(mode)))
		}
		if err := x.l.SetMode(m); err != nil {
			return fail(&x.err, closedCode(err, C.MARS_EIO), "mars_xlog_set_mode: "+err.Error())
		}
		return C.MARS_OK
	})
}

//export marsgo_xlog_set_max_file_size
func marsgo_xlog_set_max_file_size(h C.uintptr_t, n C.int64_t) C.int {
	return withXlog("mars_xlog_set_max_file_size", h, func(x *xlogHandle) C.int {
		if n < 0 {
			return C.MARS_EINVAL
		}
		x.l.SetMaxFileSize(int64(n))
		return C.MARS_OK
	})
}

//export marsgo_xlog_set_max_alive_time
func marsgo_xlog_set_max_alive_time(h C.uintptr_t, ms C.int64_t) C.int {
	return withXlog("mars_xlog_set_max_alive_time", h, func(x *xlogHandle) C.int {
		if ms < 0 || ms > maxDurationMs {
			return C.MARS_EINVAL
		}
		x.l.SetMaxAliveTime(time.Duration(ms) * time.Millisecond)
		return C.MARS_OK
	})
}

//export marsgo_xlog_get_stats
func marsgo_xlog_get_stats(h C.uintptr_t, out *C.mars_xlog_stats) C.int {
	return withXlog("mars_xlog_get_stats", h, func(x *xlogHandle) C.int {
		if out == nil {
			return C.MARS_EINVAL
		}
		s := x.l.Stats()
		out.struct_size = C.sizeof_mars_xlog_stats
		out.lines_written, out.lines_dropped = C.uint64_t(s.LinesWritten), C.uint64_t(s.LinesDropped)
		out.lines_lost, out.blocked_waits = C.uint64_t(s.LinesLost), C.uint64_t(s.BlockedWaits)
		out.blocks, out.bytes_written = C.uint64_t(s.Blocks), C.uint64_t(s.BytesWritten)
		out.write_errors = C.uint64_t(s.WriteErrors)
		out.mapped = C.int32_t(cInt(s.Mapped))
		out.lines_truncated = C.uint64_t(s.LinesTruncated)
		return C.MARS_OK
	})
}

//export marsgo_xlog_errmsg
func marsgo_xlog_errmsg(h C.uintptr_t, buf *C.char, n C.size_t) (rc C.int) {
	defer fence("mars_xlog_errmsg", &rc)
	enter("mars_xlog_errmsg")
	if h == 0 {
		return copyErrmsg(processDetail(), buf, n)
	}
	x, ok := xlogs.get(uintptr(h))
	if !ok {
		return C.MARS_EBADHANDLE
	}
	return copyErrmsg(x.err.get(), buf, n)
}

// decodeTo decodes the file at in into w with the optional private key.
// Input that could be decoded only in part gives MARS_EPARTIAL, with w
// holding what could.
func decodeTo(w io.Writer, in, key string) C.int {
	var keys crypt.PrivateKeys
	if key != "" {
		if err := keys.AddPrivateKey(key); err != nil {
			return fail(nil, C.MARS_EINVAL, "mars_xlog_decode: key: "+err.Error())
		}
	}
	d, err := decode.New(decode.Options{Keys: keys})
	if err != nil {
		return fail(nil, C.MARS_EINVAL, "mars_xlog_decode: "+err.Error())
	}
	f, err := os.Open(in)
	if err != nil {
		return fail(nil, C.MARS_EIO, "mars_xlog_decode: "+err.Error())
	}
	defer f.Close()
	st, err := d.Decode(w, f)
	if err != nil {
		return fail(nil, C.MARS_EIO, "mars_xlog_decode: "+err.Error())
	}
	if err := st.Incomplete(); err != nil {
		return fail(nil, C.MARS_EPARTIAL, "mars_xlog_decode: "+in+": "+err.Error())
	}
	return C.MARS_OK
}

//export marsgo_xlog_decode_file
func marsgo_xlog_decode_file(in, key, out *C.char) (rc C.int) {
	defer fence("mars_xlog_decode_file", &rc)
	enter("mars_xlog_decode_file")
	if in == nil || out == nil {
		return fail(nil, C.MARS_EINVAL, "mars_xlog_decode_file: in_path and out_path are required")
	}
	f, err := os.Create(C.GoString(out))
	if err != nil {
		return fail(nil, C.MARS_EIO, "mars_xlog_decode_file: "+err.Error())
	}
	rc = decodeTo(f, C.GoString(in), goString(key))
	if err := f.Close(); err != nil && rc == C.MARS_OK {
		return fail(nil, C.MARS_EIO, "mars_xlog_decode_file: "+err.Error())
	}
	return rc
}

//export marsgo_xlog_decode
func marsgo_xlog_decode(in, key *C.char, text **C.char, n *C.size_t) (rc C.int) {
	defer fence("mars_xlog_decode", &rc)
	enter("mars_xlog_decode")
	if in == nil || text == nil || n == nil {
		return fail(nil, C.MARS_EINVAL, "mars_xlog_decode: in_path, out_text and out_len are required")
	}
	*text, *n = nil, 0
	var buf bytes.Buffer
	if rc = decodeTo(&buf, C.GoString(in), goString(key)); rc != C.MARS_OK && rc != C.MARS_EPARTIAL {
		return rc
	}
	p := cText(buf.Bytes())
	if p == nil {
		return fail(nil, C.MARS_ENOMEM, "mars_xlog_decode: out of memory")
	}
	*text, *n = p, C.size_t(buf.Len())
	return rc
}
