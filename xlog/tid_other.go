//go:build !linux

package xlog

import "os"

// threadID has no cheap portable form outside Linux; the pid stands in.
func threadID() int { return os.Getpid() }
