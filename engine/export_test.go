package engine

// Hooks for the engine_test package: they start, at once, work that a
// timer or a heuristic would start much later, so that tests over real
// sockets need no fake clock.

// RecoveryCheckNow runs the disaster-recovery check as its timer would
// (DefaultRecoveryPeriod after connecting to a backup IP).
func RecoveryCheckNow(e *Engine) { e.runOnOwner(func(o *owner) { o.main.onRecoveryTimer() }) }

// NetCheckNow starts the automatic network check as if its trigger had
// fired, unless one is running.
func NetCheckNow(e *Engine) {
	e.runOnOwner(func(o *owner) {
		if o.nc.cancel == nil {
			o.startNetCheck()
		}
	})
}
