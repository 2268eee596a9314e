package decode

import "github.com/mars-go/mars/xlog/format"

// good is Mars's block check (isGoodLogBuffer) at offset at
// of the unconsumed input: a known magic, a header, a payload no larger
// than MaxBlock and a 0x00 right after it; with count > 1 the next blocks
// must be good too. The end of the input counts as good. n is the size of
// the first block (0 at the end of the input).
func (d *Decoder) good(at, count int) (n int, ok bool) {
	b := d.in.peek(at + format.HeaderSize)
	if len(b) == at {
		return 0, true
	}
	if len(b) < at+format.HeaderSize || !format.Magic(b[at]).Known() {
		return 0, false
	}
	l := int64(format.Length(b[at:]))
	if l > int64(d.opt.MaxBlock) {
		return 0, false
	}
	n = format.HeaderSize + int(l) + format.TailSize
	b = d.in.peek(at + n)
	if len(b) < at+n || b[at+n-1] != format.Tail {
		return 0, false
	}
	if count > 1 {
		if _, ok := d.good(at+n, count-1); !ok {
			return 0, false
		}
	}
	return n, true
}

// resync consumes the bad byte at the front and every byte after it up to
// the next offset where a block starts, and returns how many bytes it
// consumed; found is false when the input ended first. Mars's
// GetLogStartPos(…, 1) stops at any single good block; that is weak
// evidence inside compressed data, so it stops only where confident says a
// block starts (startsAt). Consuming as it goes keeps the window small over long runs
// of garbage.
func (d *Decoder) resync() (skipped int64, found bool) {
	for {
		d.in.advance(1)
		skipped++
		b := d.in.peek(1)
		if len(b) == 0 {
			return skipped, false
		}
		if format.Magic(b[0]).Known() && d.startsAt(0) {
			z := d.settle(0)
			d.in.advance(z)
			return skipped + int64(z), true
		}
	}
}

// skipToStart consumes the bytes before the first block. Mars
// (GetLogStartPos(…, 2)) starts at the first offset where two good blocks
// follow each other (or one ends the input). We start at the first byte of
// the input also when a block there is good or cut short, so a file whose
// first block is followed by damage, or that is one block cut by a
// truncation, still decodes; and further in wherever startsAt says a block
// starts. Bytes before that are reported as Skipped but get no marker, as
// in Mars. The window is bounded: offsets more than 2×MaxBlock back are
// dropped.
func (d *Decoder) skipToStart() {
	start := d.in.offset()
	if _, ok := d.good(0, 1); ok {
		return
	}
	if _, kind := d.tornEnd(); kind == cut {
		return
	}
	keep := 2 * (d.opt.MaxBlock + format.BlockOverhead)
	for at := 0; ; at++ {
		if at > keep {
			d.in.advance(at)
			at = 0
		}
		b := d.in.peek(at + 1)
		if len(b) <= at {
			d.in.advance(len(b))
			break
		}
		if !format.Magic(b[at]).Known() {
			continue
		}
		if _, ok := d.good(at, 2); ok || d.startsAt(at) {
			d.in.advance(d.settle(at))
			break
		}
	}
	d.skip(start, d.in.offset()-start)
}
