package engine

// inFlightFull reports whether the long link carries as many task requests
// awaiting their response as Config.MaxInFlight allows (0: no limit),
// counting those the host is building now.
func (o *owner) inFlightFull() bool {
	return o.e.cfg.MaxInFlight > 0 && o.main.running+o.main.asking >= o.e.cfg.MaxInFlight
}
