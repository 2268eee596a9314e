package engine

import "github.com/mars-go/mars/internal/goid"

// onOwner reports whether the caller runs on the engine's owner goroutine.
func (e *Engine) onOwner() bool { return goid.ID() == e.ownerGID.Load() }

// assertOwner panics when owner-only code runs elsewhere. It is active only
// with MARS_DEBUG_OWNER=1, as the check costs a stack read.
func (o *owner) assertOwner() {
	if o.e.checkOwner && !o.e.onOwner() {
		panic("engine: owner state touched off the owner goroutine")
	}
}
