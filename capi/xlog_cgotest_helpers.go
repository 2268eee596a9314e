package main

// Helpers for capi's Go tests of the xlog exports (_test.go files cannot
// use cgo); see cgotest_helpers.go.

/*
#include <stdlib.h>
#include "mars.h"
*/
import "C"

import "unsafe"

// testOpenXlog calls the open export as the shim would, with the defaults
// and log_dir dir.
func testOpenXlog(dir string) (uintptr, int) {
	var cfg C.mars_xlog_config
	cfg.struct_size = C.sizeof_mars_xlog_config
	marsgo_xlog_config_init(&cfg)
	d := C.CString(dir)
	defer C.free(unsafe.Pointer(d))
	cfg.log_dir = d
	var id C.uintptr_t
	rc := marsgo_xlog_open(&cfg, &id)
	return uintptr(id), int(rc)
}

// testCloseXlog calls the close export.
func testCloseXlog(h uintptr) int { return int(marsgo_xlog_close(C.uintptr_t(h))) }

// testXlogLevel calls the get-level export, a call that needs a live appender.
func testXlogLevel(h uintptr) int {
	var lv C.int
	return int(marsgo_xlog_get_level(C.uintptr_t(h), &lv))
}

// testXlogWriteTid calls the write export as the shim does, with tid as the
// thread id the shim cached and the time (sec, nsec) it read.
func testXlogWriteTid(h uintptr, msg string, tid int, sec int64, nsec int32) int {
	cs := C.CString(msg)
	defer C.free(unsafe.Pointer(cs))
	return int(marsgo_xlog_write(C.uintptr_t(h), C.MARS_LEVEL_INFO, nil, nil, nil, 0, cs, C.int(tid), C.int64_t(sec), C.int32_t(nsec)))
}

// testBorrowString is borrowString on memory a test laid out.
func testBorrowString(p unsafe.Pointer) string { return borrowString((*C.char)(p)) }
