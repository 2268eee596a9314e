package engine

// inFlightFull reports whether the long link carries as many task requests
// awaiting their response as Config.MaxInFlight allows (0: no limit),
// counting those the host is building now. Each long link has its own
// allowance.
func (ll *longLink) inFlightFull() bool {
	return ll.cfg.MaxInFlight > 0 && ll.running+ll.asking >= ll.cfg.MaxInFlight
}
