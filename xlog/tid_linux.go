package xlog

import "golang.org/x/sys/unix"

// threadID is the kernel id of the calling thread, as Mars prints it. For a C
// caller (through the C ABI) it is that caller's thread; for Go code it is
// whichever thread runs the goroutine at the moment.
func threadID() int { return unix.Gettid() }
