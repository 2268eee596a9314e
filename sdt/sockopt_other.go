//go:build !unix

package sdt

import "syscall"

// clampMSS does nothing where x/sys/unix is not available.
func clampMSS(string, string, syscall.RawConn) error { return nil }
