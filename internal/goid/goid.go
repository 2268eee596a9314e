// Package goid names the running goroutine, for the few places that must
// know whether they run on a goroutine they recorded earlier (the engine's
// owner and host goroutines, a C poller calling back into the library).
package goid

import "runtime"

// ID parses the current goroutine's id from its stack header
// ("goroutine 42 [running]:"). It costs about a microsecond.
func ID() uint64 {
	var buf [32]byte
	n := runtime.Stack(buf[:], false)
	const prefix = len("goroutine ")
	var id uint64
	for _, c := range buf[prefix:n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}
