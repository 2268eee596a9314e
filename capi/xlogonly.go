//go:build mars_xlog_only

package main

// The xlog-only build (build/linux.sh --xlog-only) leaves the engine out;
// shim.c then defines the STN functions as MARS_EUNSUPPORTED stubs.

/*
#cgo CFLAGS: -DMARS_XLOG_ONLY
*/
import "C"

func isEngineClosed(error) bool { return false }
