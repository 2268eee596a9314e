package main

/*
#include <stdlib.h>
#include "mars.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"time"
	"unsafe"
)

// maxDurationMs bounds every _ms value C hands in (STN and xlog alike),
// keeping milliseconds far from time.Duration overflow (about 31 years).
const maxDurationMs = 1_000_000_000_000

// msField is one _ms field of a C struct and the duration it fills.
type msField struct {
	name string
	ms   C.int64_t
	dst  *time.Duration
}

// setDurations converts each field, rejecting a value outside
// [lowest, maxDurationMs]; name is for the error text.
func setDurations(fields []msField, lowest int64) error {
	for _, f := range fields {
		if ms := int64(f.ms); ms < lowest || ms > maxDurationMs {
			return fmt.Errorf("%s = %d ms is out of range", f.name, ms)
		}
		*f.dst = time.Duration(f.ms) * time.Millisecond
	}
	return nil
}

// cText copies b into C memory with a NUL after it, for the caller to
// mars_free; nil if malloc fails.
func cText(b []byte) *C.char {
	p := C.malloc(C.size_t(len(b) + 1))
	if p == nil {
		return nil
	}
	dst := unsafe.Slice((*byte)(p), len(b)+1)
	copy(dst, b)
	dst[len(b)] = 0
	return (*C.char)(p)
}

// cstr returns s as a NUL-terminated string in Go memory, to pass directly
// as an argument to C (allowed: it holds no Go pointers). Valid only during
// that call.
func cstr(s string) *C.char {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return (*C.char)(unsafe.Pointer(&b[0]))
}

// cbytes returns b's data for a direct C argument (nil for empty b).
func cbytes(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// pinnedStr is cstr for a string stored inside a struct handed to C: the
// struct is Go memory, so what its pointers point to must be pinned.
func pinnedStr(p *runtime.Pinner, s string) *C.char {
	c := cstr(s)
	p.Pin(c)
	return c
}

// takeBuf copies what a callback wrote into b and frees b's C memory.
func takeBuf(b *C.mars_buf) []byte {
	if b.data == nil {
		return nil
	}
	defer C.free(unsafe.Pointer(b.data))
	n := min(b.len, b.cap)
	return C.GoBytes(unsafe.Pointer(b.data), C.int(n))
}

// appendBuf appends what a callback wrote into b to dst and frees b.
func appendBuf(dst []byte, b *C.mars_buf) []byte {
	if b.data == nil {
		return dst
	}
	defer C.free(unsafe.Pointer(b.data))
	n := min(b.len, b.cap)
	return append(dst, unsafe.Slice((*byte)(unsafe.Pointer(b.data)), int(n))...)
}

// takeStrList copies and frees a list a callback filled.
func takeStrList(l *C.mars_str_list) []string {
	if l.items == nil {
		return nil
	}
	defer C.free(unsafe.Pointer(l.items))
	items := unsafe.Slice(l.items, int(min(l.len, l.cap)))
	out := make([]string, 0, len(items))
	for _, s := range items {
		out = append(out, C.GoString(s))
		C.free(unsafe.Pointer(s))
	}
	return out
}

// goStrings copies an array of n C strings; ok is false if an entry is NULL.
func goStrings(arr **C.char, n C.size_t) ([]string, bool) {
	if n == 0 {
		return nil, true
	}
	if arr == nil {
		return nil, false
	}
	out := make([]string, 0, int(n))
	for _, s := range unsafe.Slice(arr, int(n)) {
		if s == nil {
			return nil, false
		}
		out = append(out, C.GoString(s))
	}
	return out, true
}

// cInt is a C truth value.
func cInt(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
