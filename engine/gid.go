package engine

import "github.com/mars-go/mars/internal/goid"

// goroutineID names the running goroutine (about a microsecond); used only
// where the engine must know whether it runs on its owner or host goroutine.
func goroutineID() uint64 { return goid.ID() }

// onOwner reports whether the caller runs on the engine's owner goroutine.
func (e *Engine) onOwner() bool { return goroutineID() == e.ownerGID.Load() }

// assertOwner panics when owner-only code runs elsewhere. It is active only
// with MARS_DEBUG_OWNER=1, as the check costs a stack read.
func (o *owner) assertOwner() {
	if o.e.checkOwner && !o.e.onOwner() {
		panic("engine: owner state touched off the owner goroutine")
	}
}
