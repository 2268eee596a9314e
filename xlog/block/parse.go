package block

// Lines parsed off the builder's lock.
//
// Finding a line's matches is most of a log call's CPU. With one
// compressor, threads logging at once take turns at it, and its tables
// move between cores with every turn. A Logger can instead give each line a
// Place in a shared Text (in the order the lines will take in the stream),
// parse it on one of several Parsers at the same time as other threads
// parse theirs, and hand the Parsed line to the builder in Place order
// (AppendParsed), which only writes the codes.
//
// Matches are found in the Text, so they may reach into any earlier line,
// whichever Parser parsed it; a Parser indexes only the lines it parsed.
// Positions are offsets in one of the Text's buffers (a generation); a
// line never spans two. The builder checks each parse against what the
// stream really holds before it: a line left out (dropped), a record
// written in between, or a new block make earlier positions unreachable,
// and a parse that reaches them is written as literals instead. The
// builder publishes that floor (Floor) so that parsers avoid it.

// textCap is the size of a Text generation: 256 KiB, some 1 500 lines of
// 177 bytes. A new generation starts with the last textCarry bytes of the
// one before, so that matches still reach the lines before it, of which a
// parser indexes the last genIndex bytes when it first parses there.
const (
	textCap   = 256 << 10
	textCarry = deflateWindow // the farthest a zlib match reaches back
	genIndex  = 4 << 10
)

// Place is where a line's text is in a Text. The line is
// Text[Pos:Pos+N]; the bytes before it are the earlier lines of the
// generation, after the end of the one before, Text[:From], which ended
// at PrevEnd.
type Place struct {
	Text          []byte
	Gen           uint64 // generation, from 1
	Pos, N        int
	From, PrevEnd int
}

// Line is the line's text.
func (p Place) Line() []byte { return p.Text[p.Pos : p.Pos+p.N] }

// Text hands out places in order. Reserve is not safe for concurrent use
// (the caller serialises it); places are read concurrently.
type Text struct {
	// InUse reports whether a place of generation gen may still be read;
	// a new generation takes a buffer of one no longer in use (nil: none
	// is reused).
	InUse func(gen uint64) bool

	cur           *textBuf
	gen           uint64
	from, prevEnd int
	bufs          []*textBuf
}

type textBuf struct {
	b   []byte
	gen uint64
}

// Reserve copies line (at most textCap bytes) to the next place.
func (t *Text) Reserve(line []byte) Place {
	if t.cur == nil || len(t.cur.b)+len(line) > textCap {
		t.next()
	}
	b := t.cur
	pos := len(b.b)
	b.b = append(b.b, line...)
	return Place{Text: b.b[: pos+len(line) : pos+len(line)], Gen: t.gen, Pos: pos, N: len(line), From: t.from, PrevEnd: t.prevEnd}
}

// next starts a generation in a buffer none reads, carrying the end of the
// current one over.
func (t *Text) next() {
	t.gen++
	var nb *textBuf
	for _, b := range t.bufs {
		if b != t.cur && t.InUse != nil && !t.InUse(b.gen) {
			nb = b
			break
		}
	}
	if nb == nil {
		nb = &textBuf{b: make([]byte, 0, textCap)}
		t.bufs = append(t.bufs, nb)
	}
	nb.b, nb.gen = nb.b[:0], t.gen
	oldFrom := t.from
	t.from, t.prevEnd = 0, 0
	if old := t.cur; old != nil {
		// Only the old generation's own lines: what it carried may lie
		// below a floor in the generation before, which floorIn no
		// longer sees.
		t.prevEnd = len(old.b)
		nb.b = append(nb.b, old.b[len(old.b)-min(len(old.b)-oldFrom, textCarry):]...)
		t.from = len(nb.b)
	}
	t.cur = nb
}

// Parsed is a line's parse: its sequences over the Place's Text.
type Parsed struct {
	seqs   []sequence
	gen    uint64
	pos    int
	minRef int // lowest position a match reaches; pos if none
}

// Parser finds the matches of lines in a Text. Each is used by one thread
// at a time; several run at once.
type Parser struct {
	dict lz4Dict
	gen  uint64
}

// Parsers switches b to parsed lines and returns what makes their
// parsers (safe for concurrent use), or returns nil for LZ4 and zstd: an
// LZ4 parse is too cheap to gain from running apart from the writing, and
// zstd's repeat offsets and entropy tables carry from line to line. From
// then on b's AppendLine writes literal lines (records), since the
// builder's own history no longer follows the stream.
func (b *Builder) Parsers() func() *Parser {
	if b.compression != Zlib {
		return nil
	}
	level := b.level
	if level == 0 {
		level = zlibLevel
	}
	l := deflateLevels[level]
	l.maxOffset = deflateWindow
	b.parsers = true
	return func() *Parser {
		d := newLZ4Dict(l)
		d.hist = nil // the Text is the history
		return &Parser{dict: d}
	}
}

// Parse parses the line at pl into out, reading pl.Text up to the line's
// end. floor is the builder's Floor: matches reach no lower.
func (p *Parser) Parse(pl Place, floor uint64, out *Parsed) {
	z := &p.dict
	z.hist, z.base = pl.Text[:pl.Pos+pl.N], 0
	if pl.Gen != p.gen {
		// Positions start afresh: index the text just before the line.
		z.table = [1 << lz4HashLog]int32{}
		z.hashed = max(pl.Pos-genIndex, 0)
		p.gen = pl.Gen
	} else if pl.Pos-z.hashed >= lz4MinMatch {
		// Other parsers' lines are not indexed here; the end of this
		// parser's line just before (which lacked 4 bytes) is.
		z.hashed = pl.Pos
	}
	z.low = floorIn(floor, pl)
	seqs := z.parseFrom(pl.Pos)
	out.seqs = append(out.seqs[:0], seqs...)
	out.gen, out.pos, out.minRef = pl.Gen, pl.Pos, pl.Pos
	for _, s := range seqs {
		if s.mlen > 0 {
			out.minRef = min(out.minRef, s.litEnd-s.offset)
		}
	}
	z.hist = nil
}

// Floor packs the generation and position below which parses must not
// reach, for Parse.
func (b *Builder) Floor() uint64 { return b.floor.Load() }

func packFloor(gen uint64, pos int) uint64 { return gen<<32 | uint64(uint32(pos)) }

func unpackFloor(f uint64) (gen uint64, pos int) { return f >> 32, int(uint32(f)) }

// floorIn is the lowest position of pl's generation that the stream holds
// contiguously up to pl: a floor in the generation before is moved into the
// carried text; one further back never reaches it.
func floorIn(floor uint64, pl Place) int {
	fg, fp := unpackFloor(floor)
	switch {
	case fg == pl.Gen:
		return min(fp, pl.Pos)
	case fg == pl.Gen-1:
		return min(max(fp-pl.PrevEnd+pl.From, 0), pl.Pos)
	case fg > pl.Gen:
		return pl.Pos
	}
	return 0
}

// AppendParsed is AppendLine for the line at pl, parsed into p (nil: not
// parsed, written as literals). Lines must come in Place order; a place
// that does not follow the last one appended (a line left out, a record or
// a new block in between) raises the floor to it. A parse that reaches
// below the floor is written as literals.
func (b *Builder) AppendParsed(dst []byte, pl Place, p *Parsed) ([]byte, error) {
	if !b.open {
		return dst, ErrNoBlock
	}
	b.parsers = true // AppendLine must not match in the codec's history: it lacks this line
	follows := b.lastGen != 0 && (pl.Gen == b.lastGen && pl.Pos == b.lastEnd ||
		pl.Gen == b.lastGen+1 && pl.Pos == pl.From && b.lastEnd == pl.PrevEnd)
	floor := b.floor.Load()
	if !follows {
		floor = packFloor(pl.Gen, pl.Pos)
	}
	seqs := b.literal(pl.Pos, pl.Pos+pl.N)
	if p != nil && p.gen == pl.Gen && p.pos == pl.Pos && p.minRef >= floorIn(floor, pl) {
		seqs = p.seqs
	}
	out, err := b.appendCoded(dst, pl.Line(), pl.Text, seqs)
	if err != nil {
		return dst, err
	}
	b.commit(out)
	if !follows {
		b.floor.Store(floor) // rarely: parsers on other cores read it
	}
	b.lastGen, b.lastEnd = pl.Gen, pl.Pos+pl.N
	return out, nil
}

// literal is the parse that writes text[start:end] as literals only.
func (b *Builder) literal(start, end int) []sequence {
	b.lit[0] = sequence{litStart: start, litEnd: end}
	return b.lit[:]
}
