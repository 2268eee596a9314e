package main

/*
#include "mars.h"
*/
import "C"

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"sync/atomic"
	"unsafe"

	"github.com/mars-go/mars/xlog"
)

// errDetail is the last error text of one handle, or of the process for
// calls that have no handle (create/open failures). The code is the
// contract; the text is a hint that a concurrent call may replace.
type errDetail struct{ p atomic.Pointer[string] }

func (d *errDetail) set(msg string) { d.p.Store(&msg) }

func (d *errDetail) get() string {
	if s := d.p.Load(); s != nil {
		return *s
	}
	return ""
}

// processErr holds details of calls without a handle.
var processErr errDetail

// fail records msg as the detail of d (nil: the process) and returns code.
func fail(d *errDetail, code C.int, msg string) C.int {
	if d == nil {
		d = &processErr
	}
	d.set(msg)
	return code
}

// processDetail is the process-wide text: the last handle-less failure or
// recovered panic, whichever came last.
func processDetail() string { return processErr.get() }

// copyErrmsg copies msg into buf[0:n], NUL-terminated, tailscale_errmsg
// style: MARS_ERANGE when it had to truncate.
func copyErrmsg(msg string, buf *C.char, n C.size_t) C.int {
	if buf == nil || n == 0 {
		return C.MARS_EINVAL
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	k := copy(dst[:len(dst)-1], msg)
	dst[k] = 0
	if k < len(msg) {
		return C.MARS_ERANGE
	}
	return C.MARS_OK
}

// closedCode maps the libraries' "closed" errors; other errors map to def.
func closedCode(err error, def C.int) C.int {
	if errors.Is(err, xlog.ErrClosed) || isEngineClosed(err) {
		return C.MARS_ECLOSED
	}
	return def
}

// cBool turns a C truth value into a Go bool.
func cBool(v C.int32_t) bool { return v != 0 }

// goString copies a C string; NULL is "".
func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// borrowString views a C string as a Go string without copying it; NULL is
// "". The result is valid only during the export that received s, and only
// for code that does not keep it (mars_xlog_write: the line is formatted
// before the call returns). It finds the NUL in Go, so it costs no cgo
// call, eight bytes at a time rather than one.
//
// Every read is an aligned 8-byte word holding at least one byte of the
// string (the first word from below s, the last the one holding the NUL),
// as C libraries' strlen reads: no read reaches a page, or a 16-byte
// memory-tagging granule (Android's MTE, HWASan), that the string does not
// reach into, which a vector scan running past the NUL could.
func borrowString(s *C.char) string {
	if s == nil {
		return ""
	}
	p := unsafe.Pointer(s)
	off := int(uintptr(p) & 7)
	// The bytes before s in its first word are not its: set them non-zero.
	x := loadWord(unsafe.Add(p, -off)) | (uint64(1)<<(8*off) - 1)
	n := -off // where the word just read starts, from s
	for {
		if z := (x - 0x0101010101010101) & ^x & 0x8080808080808080; z != 0 {
			// The lowest flagged byte is the first zero byte; higher
			// flags may be false.
			return unsafe.String((*byte)(p), n+bits.TrailingZeros64(z)/8)
		}
		n += 8
		x = loadWord(unsafe.Add(p, n))
	}
}

// loadWord reads the aligned 8 bytes at p as a little-endian word (byte 0
// lowest), on any platform.
func loadWord(p unsafe.Pointer) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice((*byte)(p), 8))
}
