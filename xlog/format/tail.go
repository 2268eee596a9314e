package format

// TornTail looks at the end of a log file and returns how many bytes at
// the end belong to a block cut short: a block whose header starts where a
// complete block ends (or at the file's first byte) and whose declared
// payload runs past the end of the file. A crash in the middle of a block
// write leaves one; cutting those bytes off makes the file a clean sequence
// of blocks again, so that blocks appended later are not swallowed by the
// torn block's stale length (Mars's decoder, which trusts that length, then
// reads them too).
//
// tail holds the last bytes of the file; whole says it is the whole file.
// Blocks may declare at most maxLength payload bytes. It returns 0 when the
// file ends with a complete block, and also when it cannot tell (no block
// boundary in tail, or bytes that are no block at all): it never asks to cut
// what it does not recognise as a torn block.
func TornTail(tail []byte, whole bool, maxLength int) int {
	n := len(tail)
	for x := n - 1; x >= 0; x-- {
		if !Magic(tail[x]).Known() || !hoursFit(tail[x:]) {
			continue
		}
		if n-x < OffLength+4 { // the file ends inside the length field
			if startsBlock(tail, x, whole, maxLength) {
				return n - x
			}
			continue
		}
		l := int64(Length(tail[x:]))
		if l > int64(maxLength) {
			continue
		}
		switch end := int64(x) + BlockOverhead + l; {
		case end == int64(n) && tail[n-1] == Tail:
			return 0 // the last block is complete
		case end > int64(n) && startsBlock(tail, x, whole, maxLength):
			return n - x
		}
	}
	return 0
}

// hoursFit reports whether the hour fields present in h are local hours.
func hoursFit(h []byte) bool {
	for _, off := range []int{OffBeginHour, OffEndHour} {
		if len(h) > off && !ValidHour(h[off]) {
			return false
		}
	}
	return true
}

// startsBlock reports whether offset x of tail is a block boundary: the
// file's first byte, or the end of a complete block (a plausible header
// whose length ends exactly at x, with the tail byte before x).
func startsBlock(tail []byte, x int, whole bool, maxLength int) bool {
	if x == 0 {
		return whole
	}
	if tail[x-1] != Tail {
		return false
	}
	for y := x - BlockOverhead; y >= 0 && x-y <= maxLength+BlockOverhead; y-- {
		if Magic(tail[y]).Known() && hoursFit(tail[y:y+HeaderSize]) &&
			int64(y)+BlockOverhead+int64(Length(tail[y:])) == int64(x) {
			return true
		}
	}
	return false
}
