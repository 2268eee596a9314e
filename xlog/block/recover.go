package block

import "github.com/mars-go/mars/xlog/format"

// Recover turns the bytes found at the start of a buffer after a crash into
// a complete block: the header's length clamped to the buffer (Mars does the
// same), payload, tail 0x00. buf is the whole region the Builder wrote into
// (its cap): a TEA block's journal is at its end. It returns a copy
// and leaves buf alone. ok is false when buf holds no async block with at
// least one line. Magic, seq, hours and key are kept, so the block decodes
// with the crashed session's parameters; HPKE blocks lack their final record
// and decode with a "cut short" note.
func Recover(buf []byte) (blk []byte, ok bool) {
	h, err := format.ParseHeader(buf)
	if err != nil {
		return nil, false
	}
	info, _ := h.Magic.Info()
	if info.Sync || !format.ValidHour(h.BeginHour) || !format.ValidHour(h.EndHour) {
		return nil, false
	}
	n := min(int64(h.Length), int64(len(buf)-format.HeaderSize))
	if n <= 0 {
		return nil, false
	}
	blk = make([]byte, 0, format.BlockOverhead+int(n))
	blk = append(blk, buf[:format.HeaderSize+int(n)]...)
	if info.Crypt == format.CryptTEA {
		restoreTEATail(blk[format.HeaderSize:], buf)
	}
	format.PutLength(blk, uint32(n))
	return append(blk, format.Tail), true
}

// RecoverAt is Recover with the end hour set to hour, as Mars does when it
// flushes a recovered buffer (end hour := now).
func RecoverAt(buf []byte, hour uint8) (blk []byte, ok bool) {
	blk, ok = Recover(buf)
	if ok {
		format.PutEndHour(blk, hour)
	}
	return blk, ok
}
