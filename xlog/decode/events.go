package decode

import (
	"fmt"
	"strings"
)

// EventKind names what the decoder noticed.
type EventKind int

// Event kinds.
const (
	// Skipped: bytes between blocks that belong to no valid block (Mars's
	// "decode error len=N" marker is written for those inside the file).
	Skipped EventKind = iota
	// SeqGap: async blocks with seq From..To are missing (marker written).
	SeqGap
	// NoKey: an encrypted block and no private key of its kind; skipped.
	NoKey
	// BadKey: the key does not open the block (wrong key, bad client key).
	BadKey
	// Corrupt: the payload did not decompress to the end; what decoded
	// before the damage was written.
	Corrupt
	// Tampered: an HPKE record failed authentication; the block's output
	// stops before it.
	Tampered
	// Truncated: a block cut short: the file ends inside it, or the next
	// block starts inside the length it declares (a write interrupted by a
	// crash, then more blocks appended); or an HPKE block ends without its
	// final record. Every complete line before the cut was written.
	Truncated
)

var kindNames = [...]string{"skipped", "seq-gap", "no-key", "bad-key", "corrupt", "tampered", "truncated"}

func (k EventKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one problem found while decoding.
type Event struct {
	Kind     EventKind
	Offset   int64  // input offset of the block or of the skipped span
	Length   int64  // bytes skipped (Skipped), else the block's size
	Seq      uint16 // block seq (0 for sync blocks)
	From, To uint16 // missing seq range (SeqGap)
	Err      error  // underlying error, if any
}

func (e Event) String() string {
	switch e.Kind {
	case Skipped:
		return fmt.Sprintf("offset %d: skipped %d bytes that hold no valid block", e.Offset, e.Length)
	case SeqGap:
		return fmt.Sprintf("offset %d: blocks with seq %d-%d are missing", e.Offset, e.From, e.To)
	}
	s := fmt.Sprintf("offset %d: block seq %d (%d bytes): %v", e.Offset, e.Seq, e.Length, e.Kind)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Stats sums up one Decode call.
type Stats struct {
	Blocks        int64 // blocks found, cut ones included
	InputBytes    int64 // bytes read
	OutputBytes   int64 // text bytes written (markers included)
	SkippedBytes  int64 // bytes in no valid block
	Problems      int64 // events reported
	CutBlocks     int64 // blocks cut short (Truncated events)
	DamagedBlocks int64 // blocks whose payload did not decode to its end (Corrupt, Tampered)
	LockedBlocks  int64 // encrypted blocks not opened: no key or the wrong one (NoKey, BadKey)
}

// Damaged reports whether some of the input could not be decoded: bytes
// skipped, blocks cut short or damaged. A seq gap alone is not damage (the
// file is whole; blocks were lost before they reached it, or another
// logger in the process took those numbers). Encrypted blocks that were
// not opened are counted apart, in LockedBlocks.
func (s Stats) Damaged() bool {
	return s.SkippedBytes > 0 || s.CutBlocks > 0 || s.DamagedBlocks > 0
}

// Incomplete returns nil when the whole input was decoded (Damaged is false
// and no block was left locked), else an error that names what was not:
// blocks cut short, damaged blocks, skipped bytes, unopened encrypted
// blocks.
func (s Stats) Incomplete() error {
	var what []string
	if s.CutBlocks > 0 {
		what = append(what, fmt.Sprintf("%d blocks cut short (file truncated, or a write interrupted by a crash)", s.CutBlocks))
	}
	if s.DamagedBlocks > 0 {
		what = append(what, fmt.Sprintf("%d blocks damaged", s.DamagedBlocks))
	}
	if s.SkippedBytes > 0 {
		what = append(what, fmt.Sprintf("%d of %d bytes skipped that hold no valid block", s.SkippedBytes, s.InputBytes))
	}
	if s.LockedBlocks > 0 {
		what = append(what, fmt.Sprintf("%d encrypted blocks not opened (missing or wrong key)", s.LockedBlocks))
	}
	if len(what) == 0 {
		return nil
	}
	return fmt.Errorf("decoded %d blocks, but %s", s.Blocks, strings.Join(what, ", "))
}
