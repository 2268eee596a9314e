package engine

// inFlightFull reports whether the long link carries as many task requests
// awaiting their response as Config.MaxInFlight allows (0: no limit).
func (o *owner) inFlightFull() bool {
	return o.e.cfg.MaxInFlight > 0 && o.running >= o.e.cfg.MaxInFlight
}
