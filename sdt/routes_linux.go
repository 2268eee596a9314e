package sdt

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// defaultRoutes reads the kernel's IPv4 and IPv6 routing tables. A missing
// table (IPv6 disabled) or one we may not read (Android 10 and later keep
// /proc/net from apps) contributes no routes; with neither table the routes
// are unknown.
func defaultRoutes() ([]Route, bool, error) {
	var out []Route
	known := false
	for _, t := range []struct {
		path  string
		parse func(io.Reader) []Route
	}{
		{"/proc/net/route", parseRoutes4},
		{"/proc/net/ipv6_route", parseRoutes6},
	} {
		f, err := os.Open(t.path)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		known = true
		out = append(out, t.parse(f)...)
		if err := f.Close(); err != nil {
			return nil, false, err
		}
	}
	return out, known, nil
}
