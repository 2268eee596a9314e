package decode

import (
	"bytes"
	"io"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// A block is "cut" when its header is there but the file holds fewer bytes
// than it declares before the next block or the end of the input: a file
// truncated in transfer, or a block write interrupted by a crash after which
// the next session appended more blocks. Mars's decoder trusts the stale
// length and latches onto false headers inside the bytes that follow; we
// find where the next real block starts, decode the cut block's payload up
// to there (a deflate or zstd stream decodes as far as its bytes go) and
// keep only its complete lines.

// cutKind says what tornEnd found.
type cutKind int

const (
	notCut  cutKind = iota // the block's declared size stands
	cut                    // a block cut short: its bytes end at end
	garbage                // no block at all: a real one starts inside its header
)

// plausible is the basic header check for a block we cannot check by its
// tail: a known magic, local hours and a length within MaxBlock, with the
// whole header present.
func (d *Decoder) plausible(at int) (length int, ok bool) {
	b := d.in.peek(at + format.HeaderSize)
	if len(b) < at+format.HeaderSize || !format.Magic(b[at]).Known() {
		return 0, false
	}
	h := b[at:]
	if !format.ValidHour(h[format.OffBeginHour]) || !format.ValidHour(h[format.OffEndHour]) {
		return 0, false
	}
	l := int64(format.Length(h))
	if l > int64(d.opt.MaxBlock) {
		return 0, false
	}
	return int(l), true
}

// headerPrefix reports whether b, shorter than a header, is the start of
// one: a known magic and, as far as they are there, local hours.
func headerPrefix(b []byte) bool {
	if len(b) == 0 || !format.Magic(b[0]).Known() {
		return false
	}
	for _, off := range []int{format.OffBeginHour, format.OffEndHour} {
		if len(b) > off && !format.ValidHour(b[off]) {
			return false
		}
	}
	return true
}

// keyFieldFits is the strict check: the 64-byte key field holds what the
// magic promises (FORMAT.md): zeros without a key, a secp256k1 point for
// Mars's keyed blocks, zero padding after an HPKE key id. Random bytes
// pass it with a probability below 2^-120, so it tells a real header from
// one found inside compressed data.
func keyFieldFits(hdr []byte) bool {
	m := format.Magic(hdr[0])
	info, _ := m.Info()
	key := hdr[format.OffKey:format.HeaderSize]
	switch {
	case info.Crypt == format.CryptHPKE && info.Sync:
		return allZero(key[48:])
	case info.Crypt == format.CryptHPKE:
		return allZero(key[40:])
	case info.Crypt == format.CryptTEA || m == format.MagicSyncZlib || m == format.MagicSyncZstd:
		return crypt.ValidMarsPoint(key)
	}
	return allZero(key)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// startsAt reports whether a real block starts at at: confident, or a cut
// one running to the end of the input (cutToEnd) with no confident block
// after it.
func (d *Decoder) startsAt(at int) bool {
	if d.confident(at) {
		return true
	}
	return d.cutToEnd(at) && !d.confidentAfter(at)
}

// confidentAfter reports whether a confident block starts after at. The
// scan runs to the end of the input, so its result is kept: inputs full of
// zero-keyed headers would otherwise cost a scan per offset.
func (d *Decoder) confidentAfter(at int) bool {
	base := d.in.offset()
	from := base + int64(at) + 1
	if d.scanned.from <= from && from <= d.scanned.next {
		return d.scanned.found
	}
	y := at + 1
	for ; y < len(d.in.peek(y+1)); y++ {
		if d.confident(y) {
			break
		}
	}
	d.scanned.from, d.scanned.next = from, base+int64(y)
	d.scanned.found = y < len(d.in.peek(y+1))
	return d.scanned.found
}

// settle moves a block start found at at onto a later one that overlaps
// it: real headers never overlap, and the bytes just before a real header
// borrow its fields (its seq and hours as theirs, its zero key field as
// their key field), so the later candidate is the real one.
func (d *Decoder) settle(at int) int {
	for z := at + 1; z < at+format.HeaderSize; z++ {
		if d.startsAt(z) {
			at = z
		}
	}
	return at
}

// confident reports whether a good block starts at at whose key field fits
// or that is followed by another good block (or the end). A single good
// block is weak evidence: inside compressed data about one offset in
// 50 000 passes Mars's check.
func (d *Decoder) confident(at int) bool {
	if b := d.in.peek(at + 1); len(b) <= at || !format.Magic(b[at]).Known() {
		return false
	}
	if _, ok := d.plausible(at); !ok {
		return false
	}
	if _, good := d.good(at, 1); !good {
		return false
	}
	if keyFieldFits(d.in.peek(at + format.HeaderSize)[at:]) {
		return true
	}
	_, pair := d.good(at, 2)
	return pair
}

// cutToEnd reports whether at holds a plausible header with a fitting key
// field whose block runs past the end of the input (a truncated file). The
// key field is the only evidence here, and bytes just before a real
// header can borrow its zeros, hence startsAt's look further on.
func (d *Decoder) cutToEnd(at int) bool {
	l, ok := d.plausible(at)
	if !ok || !keyFieldFits(d.in.peek(at + format.HeaderSize)[at:]) {
		return false
	}
	return len(d.in.peek(at+l+format.BlockOverhead)) < at+l+format.BlockOverhead
}

// tornEnd decides whether the block at the front of the input is cut short:
// it looks for the start of a real block inside the span the header claims.
// Found inside the payload, the block is cut there; found inside the
// header, the "header" is garbage up to it; not found, the block is cut at
// the end of the input if it claims more bytes than there are, and stands
// otherwise.
func (d *Decoder) tornEnd() (end int, kind cutKind) {
	if b := d.in.peek(format.HeaderSize); len(b) < format.HeaderSize {
		if headerPrefix(b) {
			return len(b), cut // the input ends inside a header
		}
		return 0, notCut
	}
	l, ok := d.plausible(0)
	if !ok {
		return 0, notCut
	}
	declared := l + format.BlockOverhead
	avail := len(d.in.peek(declared))
	for y := 1; y < min(declared-format.TailSize, avail); y++ {
		if d.startsAt(y) {
			if y = d.settle(y); y < format.HeaderSize {
				return y, garbage
			}
			return y, cut
		}
	}
	if avail < declared {
		return avail, cut
	}
	return 0, notCut
}

// completeLines passes on text up to its last newline and holds back the
// rest; what is still held when the block ends is an incomplete line, cut
// with the block, and is dropped. A "line" longer than maxHeldLine is
// passed on anyway, so memory stays bounded on input without newlines.
type completeLines struct {
	w       io.Writer
	held    []byte
	dropped int64
}

const maxHeldLine = 64 << 10

func (c *completeLines) Write(p []byte) (int, error) {
	i := bytes.LastIndexByte(p, '\n')
	if i < 0 {
		c.held = append(c.held, p...)
		if len(c.held) > maxHeldLine {
			return len(p), c.flushHeld()
		}
		return len(p), nil
	}
	if err := c.flushHeld(); err != nil {
		return 0, err
	}
	if _, err := c.w.Write(p[:i+1]); err != nil {
		return 0, err
	}
	c.held = append(c.held, p[i+1:]...)
	return len(p), nil
}

func (c *completeLines) flushHeld() error {
	if len(c.held) == 0 {
		return nil
	}
	_, err := c.w.Write(c.held)
	c.held = c.held[:0]
	return err
}

// end drops the incomplete line and returns how many bytes it had.
func (c *completeLines) end() int64 {
	c.dropped = int64(len(c.held))
	c.held = c.held[:0]
	return c.dropped
}
