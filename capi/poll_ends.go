//go:build !mars_xlog_only

package main

/*
#include <stdlib.h>
#include "mars.h"
*/
import "C"

import (
	"time"
	"unsafe"
)

// minTaskEndSize is sizeof(mars_task_end) of its first version: the
// smallest entry a caller may hand mars_stn_poll_task_ends.
const minTaskEndSize = 72

// maxTaskEndSize bounds end_size, so a garbage value is refused rather
// than used as a stride.
const maxTaskEndSize = 4096

//export marsgo_stn_poll_task_ends
func marsgo_stn_poll_task_ends(h C.uintptr_t, timeoutMs C.int64_t, out *C.mars_task_end, capacity, endSize C.size_t,
	outN *C.size_t, outBlock *unsafe.Pointer) C.int {
	return withSTN("mars_stn_poll_task_ends", h, func(s *stnHandle) C.int {
		if out == nil || outN == nil || outBlock == nil || capacity == 0 ||
			endSize < minTaskEndSize || endSize > maxTaskEndSize {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_poll_task_ends: out, out_n and out_block are required, "+
				"cap must be non-zero and end_size sizeof(mars_task_end)")
		}
		if s.q == nil {
			return fail(&s.err, C.MARS_ESTATE, "mars_stn_poll_task_ends: the engine was not created with poll_events")
		}
		rc := C.int(C.MARS_OK)
		s.q.pollEnds(pollTimeout(timeoutMs), int(min(capacity, maxPollBatch)), func(ends []pollEvent) bool {
			block := writeTaskEnds(unsafe.Pointer(out), uintptr(endSize), ends)
			if block == nil {
				rc = fail(&s.err, C.MARS_ENOMEM, "mars_stn_poll_task_ends: out of memory; the ends went to the callbacks")
				return false
			}
			*outN, *outBlock = C.size_t(len(ends)), block
			return true
		})
		return rc
	})
}

// pollTimeout is a C timeout for pollQueue: negative waits for ever.
func pollTimeout(ms C.int64_t) time.Duration {
	if ms < 0 {
		return -1
	}
	return time.Duration(min(int64(ms), maxDurationMs)) * time.Millisecond
}

// writeTaskEnds fills out's entries (endSize bytes apart) from ends and
// returns the malloc'd block their pointers point into: the profiles,
// then the strings and bodies. nil if malloc failed (out is then
// untouched).
func writeTaskEnds(out unsafe.Pointer, endSize uintptr, ends []pollEvent) unsafe.Pointer {
	const profSize = C.sizeof_mars_task_profile
	size := len(ends)*profSize + 1 // + 1: an empty body at the very end still points inside
	for _, ev := range ends {
		e, p := ev.end, &ev.end.profile
		size += len(e.ref.UserID) + 1 + len(e.resp) + 4 // the profile's four strings' NULs
		size += len(p.Cgi) + len(p.UserID) + len(p.ReportArg) + len(p.ConnectIP)
	}
	block := C.malloc(C.size_t(size))
	if block == nil {
		return nil
	}
	profiles := unsafe.Slice((*C.mars_task_profile)(block), len(ends))
	a := cArena{buf: unsafe.Slice((*byte)(block), size), off: len(ends) * profSize}
	for i, ev := range ends {
		e := ev.end
		fillProfile(&profiles[i], &e.profile, a.str)
		dst := (*C.mars_task_end)(unsafe.Add(out, uintptr(i)*endSize))
		if endSize > C.sizeof_mars_task_end { // a newer caller: zero what this library does not know
			clear(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(dst), C.sizeof_mars_task_end)), endSize-C.sizeof_mars_task_end))
		}
		dst.struct_size = C.sizeof_mars_task_end
		dst.taskid, dst.cmdid = C.uint32_t(e.ref.TaskID), C.uint32_t(e.ref.CmdID)
		*(*uintptr)(unsafe.Pointer(&dst.user_context)) = userContext(e.ref)
		dst.user_id = a.str(e.ref.UserID)
		dst.client_sequence_id = C.uint32_t(e.ref.ClientSequenceID)
		dst.err_type, dst.err_code = C.int32_t(e.errType), C.int32_t(e.code)
		dst.body, dst.body_len = a.bytes(e.resp), C.size_t(len(e.resp))
		dst.profile = &profiles[i]
	}
	return block
}

// cArena hands out consecutive pieces of a C block sized beforehand.
type cArena struct {
	buf []byte
	off int
}

// str copies s with a NUL after it.
func (a *cArena) str(s string) *C.char {
	p := (*C.char)(unsafe.Pointer(&a.buf[a.off]))
	a.off += copy(a.buf[a.off:], s)
	a.buf[a.off] = 0
	a.off++
	return p
}

// bytes copies b: NULL for nil b, a valid pointer for an empty one.
func (a *cArena) bytes(b []byte) *C.uint8_t {
	if b == nil {
		return nil
	}
	p := (*C.uint8_t)(unsafe.Pointer(&a.buf[a.off]))
	a.off += copy(a.buf[a.off:], b)
	return p
}
