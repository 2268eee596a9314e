package decode

import "github.com/mars-go/mars/xlog/format"

// good is Mars's block check (isGoodLogBuffer, reference §2.8) at offset at
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
// the next offset where a good block starts (Mars's GetLogStartPos(…, 1)),
// and returns how many bytes it consumed; found is false when the input
// ended first. Consuming as it goes keeps the window small over long runs
// of garbage.
func (d *Decoder) resync() (skipped int64, found bool) {
	for {
		d.in.advance(1)
		skipped++
		b := d.in.peek(1)
		if len(b) == 0 {
			return skipped, false
		}
		if format.Magic(b[0]).Known() {
			if _, ok := d.good(0, 1); ok {
				return skipped, true
			}
		}
	}
}

// skipToStart consumes the bytes before the first block, as Mars's
// GetLogStartPos(…, 2) does: the first offset where two good blocks follow
// each other (or one ends the input). If there is none, it falls back to the
// first single good block, so a file with one whole block and a torn one
// still decodes (Mars's decoder prints nothing for it); it also does so when
// no pair follows within 2×MaxBlock, to bound its memory. Leading bytes are
// reported as Skipped but get no marker, as in Mars.
func (d *Decoder) skipToStart() {
	start := d.in.offset()
	single := -1
	// keep bounds the window: candidates further back than this are dropped.
	keep := 2 * (d.opt.MaxBlock + format.BlockOverhead)
	for at := 0; ; at++ {
		if single < 0 && at > keep {
			d.in.advance(at)
			at = 0
		}
		if single >= 0 && at-single > keep {
			break // no pair soon after a good block: start there
		}
		b := d.in.peek(at + 1)
		if len(b) <= at {
			break
		}
		if !format.Magic(b[at]).Known() {
			continue
		}
		if _, ok := d.good(at, 2); ok {
			d.in.advance(at)
			d.skip(start, d.in.offset()-start)
			return
		}
		if single < 0 {
			if _, ok := d.good(at, 1); ok {
				single = at
			}
		}
	}
	if single >= 0 {
		d.in.advance(single)
	}
	d.skip(start, d.in.offset()-start)
}
