//go:build !unix

package mmapbuf

import (
	"errors"
	"os"
)

var errNoMmap = errors.New("mmapbuf: mmap not supported on this platform")

func mapFile(*os.File, int) ([]byte, error) { return nil, errNoMmap }

func unmap([]byte) error { return nil }

func lock(*os.File) error { return nil }
