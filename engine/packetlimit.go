package engine

// packetTooLarge reports whether tk's encoded request of n bytes exceeds
// Config.MaxPacket, the limit the peer enforces too (Mars's 1 MiB by
// default): such a task ends before a byte is sent rather than drop the
// link on the far side.
func (o *owner) packetTooLarge(tk *task, n int) bool {
	if n <= o.e.cfg.MaxPacket {
		return false
	}
	o.logf(LogError, "task %d: request packet of %d bytes exceeds the %d-byte packet limit", tk.t.TaskID, n, o.e.cfg.MaxPacket)
	return true
}
