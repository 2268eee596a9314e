package engine

import (
	"runtime"
)

// goroutineID parses the current goroutine's id from its stack header
// ("goroutine 42 [running]:"). It costs about a microsecond and is used only
// where the engine must know whether it runs on its owner goroutine.
func goroutineID() uint64 {
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

// onOwner reports whether the caller runs on the engine's owner goroutine.
func (e *Engine) onOwner() bool { return goroutineID() == e.ownerGID.Load() }

// assertOwner panics when owner-only code runs elsewhere. It is active only
// with MARS_DEBUG_OWNER=1, as the check costs a stack read.
func (o *owner) assertOwner() {
	if o.e.checkOwner && !o.e.onOwner() {
		panic("engine: owner state touched off the owner goroutine")
	}
}
