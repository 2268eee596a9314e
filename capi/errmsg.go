package main

/*
#include "mars.h"
*/
import "C"

import (
	"bytes"
	"errors"
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
// call, with bytes.IndexByte (vector compares) rather than a byte loop.
func borrowString(s *C.char) string {
	if s == nil {
		return ""
	}
	p := unsafe.Pointer(s)
	for n := 0; ; {
		at := unsafe.Add(p, n)
		// Up to the end of at's 4 KiB: no page is smaller, so the scan
		// never reads from a page that s does not reach into.
		b := unsafe.Slice((*byte)(at), cStringChunk-int(uintptr(at)%cStringChunk))
		if i := bytes.IndexByte(b, 0); i >= 0 {
			return unsafe.String((*byte)(p), n+i)
		}
		n += len(b)
	}
}

// cStringChunk is the smallest page size of the platforms libmars builds
// for (4 KiB; arm64 may use 16 or 64 KiB, multiples of it).
const cStringChunk = 4096
