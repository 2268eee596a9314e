package block

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// parsedCodecs are the codecs that take parsed lines: zlib at its fastest,
// default and best level (LZ4 and zstd have no parsers).
var parsedCodecs = []struct {
	name  string
	c     Compression
	level int
}{{"zlib1", Zlib, 1}, {"zlib6", Zlib, 6}, {"zlib9", Zlib, 9}}

type parsedKey struct {
	name string
	pub  string
	priv crypt.PrivateKeys
}

// parsedKeys are no key, the testdata's Mars key and a fresh HPKE key:
// three framings (one open deflate block, that with TEA's sealed groups,
// and a sync flush per sealed line).
func parsedKeys(t testing.TB) []parsedKey {
	t.Helper()
	hpriv, hpub, err := crypt.GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	return []parsedKey{
		{"nokey", "", crypt.PrivateKeys{}},
		{"mars", benchTestPub, crypt.PrivateKeys{Mars: benchTestPriv}},
		{"hpke", hpub, crypt.PrivateKeys{HPKE: hpriv}},
	}
}

// forEachParsedConfig runs f for every codec that takes parsed lines with
// every kind of key.
func forEachParsedConfig(t *testing.T, f func(t *testing.T, o Options, priv crypt.PrivateKeys)) {
	keys := parsedKeys(t)
	for _, c := range parsedCodecs {
		for _, k := range keys {
			t.Run(c.name+"/"+k.name, func(t *testing.T) {
				f(t, Options{Compression: c.c, Level: c.level, PublicKey: k.pub}, k.priv)
			})
		}
	}
}

var (
	marsTags    = []string{"bench", "net", "stn", "ui", "db"}
	marsActions = []string{"upload_chunk", "download", "heartbeat", "connect", "retry"}
)

// marsLine is a line as Mars formats it; its time, thread, tag and the
// message's seq and hash vary with i, as varyMessage makes them vary.
func marsLine(i int) []byte {
	tag, action := marsTags[i%len(marsTags)], marsActions[i/3%len(marsActions)]
	return fmt.Appendf(nil, "[I][2026-12-07 +8.0 15:%02d:%02d.%03d][27513, %d][%s][%s.cc:%d, worker][t=0 seq=%07d h=%08x action=%s status=ok retry=0 region=ap-south net=wifi the q\n",
		i/60000%60, i/1000%60, i%1000, 27517+i%4, tag, tag, 40+i%7, i, uint32(i+1)*2654435761, action)
}

// parsedTestLines are mostly Mars-like lines, with empty and 1-byte lines,
// lines of 16 KiB (log text, and random bytes), and lines of bytes ≥ 144,
// which deflate stores rather than code.
func parsedTestLines(seed uint64, n int) [][]byte {
	r := rand.New(rand.NewPCG(seed, 11))
	lines := make([][]byte, n)
	for i := range lines {
		switch {
		case i%97 == 5:
			lines[i] = []byte{}
		case i%89 == 7:
			lines[i] = []byte{byte('a' + r.IntN(26))}
		case i%422 == 50:
			var l []byte
			for len(l) < 16<<10 {
				l = append(l, marsLine(r.IntN(1<<20))...)
			}
			lines[i] = l[:16<<10]
		case i%422 == 261:
			l := make([]byte, 16<<10)
			for j := range l {
				l[j] = byte(r.Uint32())
			}
			lines[i] = l
		case i%53 == 11:
			l := make([]byte, 300)
			for j := range l {
				l[j] = byte(144 + r.IntN(112))
			}
			lines[i] = l
		case i%13 == 3:
			l := marsLine(i)
			lines[i] = append(l[:len(l)-1:len(l)-1], "é中文\n"...)
		default:
			lines[i] = marsLine(i)
		}
	}
	return lines
}

// blockRun appends lines to blocks of one builder, starting the next block
// when one is full, and keeps the text each block must decode to.
type blockRun struct {
	t      *testing.T
	b      *Builder
	size   int // each block's buffer
	buf    []byte
	seq    uint16
	n      int      // lines in the open block
	text   []byte   // the open block's text
	blocks [][]byte // finished blocks
	want   [][]byte // their text
}

func newBlockRun(t *testing.T, o Options, size int) *blockRun {
	t.Helper()
	b, err := NewBuilder(o)
	if err != nil {
		t.Fatal(err)
	}
	r := &blockRun{t: t, b: b, size: size}
	r.start()
	return r
}

func (r *blockRun) start() {
	r.t.Helper()
	r.seq++
	var err error
	if r.buf, err = r.b.Start(make([]byte, 0, r.size), r.seq, 0); err != nil {
		r.t.Fatal(err)
	}
	r.n, r.text = 0, nil
}

// newBlock finishes the open block (if it holds a line) and starts another.
func (r *blockRun) newBlock() {
	r.t.Helper()
	if r.n > 0 {
		r.blocks = append(r.blocks, r.b.Finish(r.buf, 0))
		r.want = append(r.want, r.text)
	}
	r.start()
}

// parsed appends the line at pl, parsed into p (or nil), and returns how
// many bytes it took.
func (r *blockRun) parsed(pl Place, p *Parsed) int {
	r.t.Helper()
	return r.add(pl.Line(), func() ([]byte, error) { return r.b.AppendParsed(r.buf, pl, p) })
}

// record appends line with AppendLine.
func (r *blockRun) record(line []byte) int {
	r.t.Helper()
	return r.add(line, func() ([]byte, error) { return r.b.AppendLine(r.buf, line) })
}

func (r *blockRun) add(line []byte, app func() ([]byte, error)) int {
	r.t.Helper()
	out, err := app()
	if errors.Is(err, ErrFull) {
		r.newBlock()
		out, err = app()
	}
	if err != nil {
		r.t.Fatal(err)
	}
	grew := len(out) - len(r.buf)
	r.buf, r.n = out, r.n+1
	r.text = append(r.text, line...)
	return grew
}

// check finishes the open block, decodes every block and fails unless each
// gives exactly its lines. It returns the blocks' total size.
func (r *blockRun) check(priv crypt.PrivateKeys) (size int) {
	r.t.Helper()
	r.newBlock()
	for i, blk := range r.blocks {
		got := decodeText(r.t, priv, blk)
		if !bytes.Equal(got, r.want[i]) {
			at := commonPrefix(got, r.want[i])
			r.t.Fatalf("block %d of %d decodes to %d bytes, want %d; they differ from byte %d: %.40q, want %.40q",
				i, len(r.blocks), len(got), len(r.want[i]), at, got[at:], r.want[i][at:])
		}
		size += len(blk)
	}
	return size
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// newParsers switches b to parsed lines and makes n parsers.
func newParsers(b *Builder, n int) []*Parser {
	newP := b.Parsers()
	ps := make([]*Parser, n)
	for i := range ps {
		ps[i] = newP()
	}
	return ps
}

// placesInUse counts each generation's places not yet appended (or left
// out): a Text's InUse, as a logger keeps it.
type placesInUse struct {
	mu sync.Mutex
	n  map[uint64]int
}

func (u *placesInUse) add(gen uint64, d int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.n == nil {
		u.n = make(map[uint64]int)
	}
	u.n[gen] += d
}

func (u *placesInUse) inUse(gen uint64) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.n[gen] > 0
}

// parseJob is one line on its way: reserved, parsed by whichever parser is
// free, appended in place order.
type parseJob struct {
	pl     Place
	parsed Parsed
	done   chan struct{}
}

// appendConcurrently does what a logger does with parsers: one goroutine
// reserves the lines' places in order, nParsers goroutines, each with its
// own Parser, parse them at once (reading the builder's floor as it stands
// then), and this goroutine appends them in place order; a generation's
// buffer is reused once its places are all appended.
func appendConcurrently(t *testing.T, r *blockRun, text *Text, lines [][]byte, nParsers int) {
	t.Helper()
	var inUse placesInUse
	text.InUse = inUse.inUse
	// As many lines in flight as a few threads have: a deeper pipeline
	// parses more lines against a floor that a new block then raises.
	jobs := make(chan *parseJob, nParsers)
	order := make(chan *parseJob, 2*nParsers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(stop) // a failed test leaves no goroutine blocked
	wg.Go(func() {
		defer close(jobs)
		defer close(order)
		for _, l := range lines {
			j := &parseJob{pl: text.Reserve(l), done: make(chan struct{})}
			inUse.add(j.pl.Gen, 1)
			select {
			case order <- j:
			case <-stop:
				return
			}
			select {
			case jobs <- j:
			case <-stop:
				return
			}
		}
	})
	for _, p := range newParsers(r.b, nParsers) {
		wg.Go(func() {
			for j := range jobs {
				p.Parse(j.pl, r.b.Floor(), &j.parsed)
				close(j.done)
			}
		})
	}
	for j := range order {
		<-j.done
		r.parsed(j.pl, &j.parsed)
		inUse.add(j.pl.Gen, -1)
	}
}

// TestParsedLinesRoundTrip: lines parsed on 2 and 4 goroutines at once and
// appended in place order decode to exactly the lines, block by block, and
// the parses were used: the blocks take less than 2/3 of what the lines
// take as literals (some 0.4 when no parse is lost; a 16 KiB line that
// lands in a new block after ErrFull goes as literals, its parse reaching
// into the block before).
func TestParsedLinesRoundTrip(t *testing.T) {
	lines := parsedTestLines(1, 1500)
	forEachParsedConfig(t, func(t *testing.T, o Options, priv crypt.PrivateKeys) {
		const bufSize = 24 << 10
		lit := newBlockRun(t, o, bufSize)
		var litText Text
		for _, l := range lines {
			lit.parsed(litText.Reserve(l), nil)
		}
		literal := lit.check(priv)
		for _, n := range []int{2, 4} {
			r := newBlockRun(t, o, bufSize)
			var text Text
			appendConcurrently(t, r, &text, lines, n)
			size := r.check(priv)
			if len(r.blocks) < 3 || text.gen < 2 {
				t.Fatalf("%d blocks, %d generations: too few to cross their boundaries", len(r.blocks), text.gen)
			}
			if size*3 > literal*2 {
				t.Fatalf("%d parsers: %d bytes, as literals %d", n, size, literal)
			}
		}
	})
}

// floorLines are two lines unlike each other, and the probe: both joined,
// so that a parse of the probe reaches back into both.
func floorLines() (a, b, probe []byte) {
	r := rand.New(rand.NewPCG(4, 4))
	a = marsLine(12345)
	b = []byte("[W][2026-12-07 +8.0 15:00:00.000][1, 2][other][y.c:1, f][")
	for range 200 {
		b = append(b, byte('a'+r.IntN(26)))
	}
	b = append(b, '\n')
	return a, b, append(bytes.Clone(a), b...)
}

// TestParsedLinesFloor: a parse made before the stream broke — a line left
// out, a record appended in between, a new block — reaches text the
// decoder does not have where the parse thinks it is. Two builders take
// the same lines; the second takes the probe line unparsed. Where the
// stream broke the first must write the probe as literals too (same size)
// and both decode exactly; where it did not, the parse is used (smaller).
// After the stream broke, a fresh parse reads the raised floor and
// reaches no lower.
func TestParsedLinesFloor(t *testing.T) {
	a, b, probe := floorLines()
	forEachParsedConfig(t, func(t *testing.T, o Options, priv crypt.PrivateKeys) {
		for _, brk := range []string{"none", "skip", "record", "newblock"} {
			x, y := newBlockRun(t, o, 64<<10), newBlockRun(t, o, 64<<10)
			var text Text
			pa, pb, pc := text.Reserve(a), text.Reserve(b), text.Reserve(probe)
			// Three parsers index a and b; p0 parses the probe too. All
			// read the floor before anything is appended.
			ps := newParsers(x.b, 3)
			p0, p1, p2 := ps[0], ps[1], ps[2]
			y.b.Parsers() // records as literals, as in x
			var qa, qb, qc, stale, fresh Parsed
			p0.Parse(pa, x.b.Floor(), &qa)
			p0.Parse(pb, x.b.Floor(), &qb)
			for _, p := range []*Parser{p1, p2} {
				p.Parse(pa, x.b.Floor(), &Parsed{})
				p.Parse(pb, x.b.Floor(), &Parsed{})
			}
			p0.Parse(pc, x.b.Floor(), &qc)
			if qc.minRef >= pa.Pos+len(a) {
				t.Fatalf("%s: the probe's parse reaches no lower than %d: it should reach into a and b", brk, qc.minRef)
			}
			for _, r := range []*blockRun{x, y} {
				r.parsed(pa, &qa)
				if brk != "skip" {
					r.parsed(pb, &qb)
				}
				switch brk {
				case "record":
					r.record([]byte("a record\n"))
				case "newblock":
					r.newBlock()
				}
			}
			gx, gy := x.parsed(pc, &qc), y.parsed(pc, nil)
			if brk == "none" && gx >= gy {
				t.Fatalf("%s: the probe took %d bytes parsed, %d as literals: the parse was not used", brk, gx, gy)
			}
			if brk != "none" && gx != gy {
				t.Fatalf("%s: the probe took %d bytes parsed, %d as literals: a parse below the floor was written", brk, gx, gy)
			}
			if brk == "skip" {
				// A parse of b's copy now: p1 indexed b, so with the stale
				// floor it reaches b; p2 did too, but reads the floor the
				// probe raised, and stays above it.
				pd := text.Reserve(b)
				p1.Parse(pd, 0, &stale)
				p2.Parse(pd, x.b.Floor(), &fresh)
				if stale.minRef >= pc.Pos || fresh.minRef < pc.Pos {
					t.Fatalf("parse after the floor rose to %d reaches %d (%d with the stale floor)", pc.Pos, fresh.minRef, stale.minRef)
				}
				x.parsed(pd, &fresh)
				y.parsed(pd, &fresh)
			}
			x.check(priv)
			y.check(priv)
		}
	})
}

// TestParsedLinesGenerations: text of several generations goes through
// two buffers when each place is done with once appended, takes a new
// buffer for every generation while places stay in use (or without
// InUse), and keeps a buffer whose place is in use from reuse; places follow
// each other within a generation and start a new one after the end of the
// one before, carried over, which the first line there matches; and the
// lines decode across generation boundaries.
func TestParsedLinesGenerations(t *testing.T) {
	const lines = 330 // some 4 KiB each: five generations
	big := func(i int) []byte {
		var l []byte
		for j := range 22 {
			l = append(l, marsLine(i*22+j)...)
		}
		return l
	}
	for _, c := range []struct {
		name    string
		release func(i int) bool
		bufs    func(gens int) int
	}{
		{"released", func(int) bool { return true }, func(int) int { return 2 }},
		{"held", func(int) bool { return false }, func(gens int) int { return gens }},
		{"first-held", func(i int) bool { return i > 0 }, func(int) int { return 3 }},
		{"no-InUse", nil, func(gens int) int { return gens }},
	} {
		for _, o := range []Options{{Compression: Zlib}} {
			r := newBlockRun(t, o, 256<<10)
			p := newParsers(r.b, 1)[0]
			var text Text
			var inUse placesInUse
			if c.release != nil {
				text.InUse = inUse.inUse
			}
			var held []Place
			var heldLines []int
			var parsed Parsed
			gen, end := uint64(0), 0
			var last Place
			for i := range lines {
				l := big(i)
				pl := text.Reserve(l)
				first := pl.Gen == gen+1
				switch {
				case pl.Gen == gen && pl.Pos == end:
				case gen == 0 && pl.Gen == 1 && pl.Pos == 0:
				case first && pl.Pos == pl.From && pl.PrevEnd == end && pl.From == min(end, textCarry) &&
					bytes.Equal(pl.Text[:pl.From], last.Text[end-pl.From:end]):
				default:
					t.Fatalf("%s %v: line %d at gen %d pos %d (after %d of the last, ended at %d) after gen %d end %d", c.name, o.Compression, i, pl.Gen, pl.Pos, pl.From, pl.PrevEnd, gen, end)
				}
				gen, end, last = pl.Gen, pl.Pos+pl.N, pl
				inUse.add(pl.Gen, 1)
				p.Parse(pl, r.b.Floor(), &parsed)
				if first && gen > 1 && parsed.minRef >= pl.Pos {
					t.Errorf("%s %v: line %d, the first of generation %d, does not match the text carried over", c.name, o.Compression, i, gen)
				}
				r.parsed(pl, &parsed)
				if c.release != nil && c.release(i) {
					inUse.add(pl.Gen, -1)
				} else {
					held, heldLines = append(held, pl), append(heldLines, i)
				}
			}
			r.check(crypt.PrivateKeys{})
			if gen < 5 {
				t.Fatalf("%d generations", gen)
			}
			if len(text.bufs) != c.bufs(int(gen)) {
				t.Fatalf("%s %v: %d buffers for %d generations, want %d", c.name, o.Compression, len(text.bufs), gen, c.bufs(int(gen)))
			}
			for k, pl := range held {
				if !bytes.Equal(pl.Line(), big(heldLines[k])) {
					t.Fatalf("%s %v: held line %d was overwritten", c.name, o.Compression, heldLines[k])
				}
			}
		}
	}
}

// TestParsedZlibInflatesWithSystemZlib: real zlib, as Mars's decoders run
// it, reads a block of parsed lines (levels 1, 6 and 9; no key and a Mars
// key), parsed four at a time before any is appended and with a line left
// out and a record among them, after every line to exactly the lines so
// far; and, without a key, a crash after a line rewrote the partial last
// byte but before the length grew leaves a block that still decodes to
// exactly the lines before it.
func TestParsedZlibInflatesWithSystemZlib(t *testing.T) {
	lines := zlibTestLines()
	record := []byte("[I][a record between parsed lines]\n")
	for _, level := range []int{1, 6, 9} {
		for _, key := range []string{"", benchTestPub} {
			b, err := NewBuilder(Options{Level: level, PublicKey: key})
			if err != nil {
				t.Fatal(err)
			}
			parsers := newParsers(b, 3)
			dst, _ := b.Start(make([]byte, 0, 1<<20), 1, 0)
			var tx Text
			var z zlibPrefixes
			add := func(app func() ([]byte, error), line []byte) {
				before := len(dst)
				if dst, err = app(); err != nil {
					t.Fatal(err)
				}
				z.added(b, dst, before, line, key == "")
			}
			for at := 0; at < len(lines); at += 4 {
				batch := lines[at:min(at+4, len(lines))]
				places, parsed := make([]Place, len(batch)), make([]Parsed, len(batch))
				for k, l := range batch {
					places[k] = tx.Reserve(l)
					parsers[(at+k)%len(parsers)].Parse(places[k], b.Floor(), &parsed[k])
				}
				for k, pl := range places {
					switch (at + k) % 25 {
					case 10:
						continue
					case 20:
						add(func() ([]byte, error) { return b.AppendLine(dst, record) }, record)
					}
					add(func() ([]byte, error) { return b.AppendParsed(dst, pl, &parsed[k]) }, pl.Line())
				}
			}
			if bytes.Contains(zlibPayload(b, dst), []byte{0, 0, 0xff, 0xff}) {
				t.Fatalf("level %d key %.6q: a sync flush in the block; the lines should share open deflate blocks", level, key)
			}
			z.check(t, fmt.Sprintf("level %d key %.6q", level, key))
		}
	}
}

// TestParsedLineInProgressLeavesRecoveryAlone: the one store by which
// AppendParsed makes its line count is the length (commit). The buffer a
// crash just before it leaves — the line's bytes written, the old length
// — recovers to exactly the lines before the call, for every codec and
// key (TEA through its journal, zlib over its rewritten partial byte);
// after the call, to the lines with it. A line that does not fit leaves
// the buffer as it was.
func TestParsedLineInProgressLeavesRecoveryAlone(t *testing.T) {
	var lines [][]byte
	for _, l := range parsedTestLines(2, 90) {
		if len(l) < 1024 {
			lines = append(lines, l)
		}
	}
	record := []byte("[I][a record between parsed lines]\n")
	big := make([]byte, 16<<10)
	for i := range big {
		big[i] = byte(i * 2654435761 >> 13)
	}
	forEachParsedConfig(t, func(t *testing.T, o Options, priv crypt.PrivateKeys) {
		b, err := NewBuilder(o)
		if err != nil {
			t.Fatal(err)
		}
		parsers := newParsers(b, 2)
		mmap := make([]byte, 64<<10)
		dst, err := b.Start(mmap[:0], 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		var tx Text
		var want []byte
		var q Parsed
		appended := 0
		for i, l := range lines {
			pl := tx.Reserve(l)
			parsers[i%2].Parse(pl, b.Floor(), &q)
			switch i % 20 {
			case 7:
				continue // left out
			case 13:
				if dst, err = b.AppendLine(dst, record); err != nil {
					t.Fatal(err)
				}
				want, appended = append(want, record...), appended+1
			}
			old := format.Length(mmap)
			out, err := b.AppendParsed(dst, pl, &q)
			if err != nil {
				t.Fatal(err)
			}
			crash := bytes.Clone(mmap)
			format.PutLength(crash, old)
			blk, ok := Recover(crash)
			if ok != (appended > 0) {
				t.Fatalf("line %d in progress: recovered a block: %v, after %d lines", i, ok, appended)
			}
			if got := decodeText(t, priv, blk); ok && !bytes.Equal(got, want) {
				t.Fatalf("line %d in progress: recovered text %q is not that of the lines before it", i, got[max(0, len(got)-40):])
			}
			dst, want, appended = out, append(want, l...), appended+1
			if i%8 != 0 {
				continue
			}
			if blk, ok = Recover(mmap); !ok || !bytes.Equal(decodeText(t, priv, blk), want) {
				t.Fatalf("line %d: the recovered block is not the lines so far", i)
			}
		}
		for {
			before := bytes.Clone(mmap)
			pl := tx.Reserve(big)
			parsers[0].Parse(pl, b.Floor(), &q)
			out, err := b.AppendParsed(dst, pl, &q)
			if errors.Is(err, ErrFull) {
				if len(out) != len(dst) || !bytes.Equal(mmap, before) {
					t.Fatal("a line that does not fit changed the buffer")
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			dst, want = out, append(want, big...)
		}
		if blk, ok := Recover(mmap); !ok || !bytes.Equal(decodeText(t, priv, blk), want) {
			t.Fatal("the full buffer does not recover to its lines")
		}
	})
}

// TestAppendParsedWithoutParsers: a logger may append every line with
// AppendParsed unparsed (nil) without making a Parser, and records with
// AppendLine; a record must then not be compressed in the compressor's own
// history, which lacks the lines AppendParsed wrote. LZ4 and zstd, which
// have no parsers, compress a line given to AppendParsed as AppendLine does.
func TestAppendParsedWithoutParsers(t *testing.T) {
	for _, c := range []Compression{Zlib, LZ4, Zstd} {
		r := newBlockRun(t, Options{Compression: c}, 64<<10)
		var tx Text
		for i := range 20 {
			r.record(testLine(i % 3))
			r.parsed(tx.Reserve(testLine(i%3+1)), nil)
		}
		r.check(crypt.PrivateKeys{})
	}
}

// FuzzParsedLines: the input is a codec and key, then a schedule of
// operations: lines (raw bytes, Mars-like lines, or earlier lines again,
// changed or joined) reserved in order and parsed on one of three parsers
// at once, later, or never; lines appended in place order or left out;
// records; new blocks. Every block decodes to exactly the lines appended
// to it.
func FuzzParsedLines(f *testing.F) {
	f.Add([]byte{0, 1, 0, 1, 1, 0, 2, 2, 0, 3, 0, 1, 4, 4, 0x84, 4, 7})
	f.Add([]byte{3, 9, 1, 2, 17, 0, 3, 0, 1, 34, 2, 0, 5, 4, 'r', 'e', 'c', '\n', 7, 2, 1, 3, 6, 7})
	f.Add([]byte{4, 1, 0, 7, 1, 0, 8, 0x81, 0, 9, 2, 0, 1, 0x21, 1, 0, 7, 0xc4, 4})
	f.Add([]byte{8, 0, 20, 'h', 'e', 'l', 'l', 'o', ' ', 'h', 'e', 'l', 'l', 'o', ' ', 'h', 'e', 'l', 'l', 'o', '!', 0xff, 0x90, 4, 2, 0, 3, 3, 1, 0, 4, 6, 4, 4})
	f.Add([]byte{1, 0, 200})
	keys := parsedKeys(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		next := func() byte {
			if len(in) == 0 {
				return 0
			}
			c := in[0]
			in = in[1:]
			return c
		}
		cfg := next()
		codec, key := parsedCodecs[int(cfg)%len(parsedCodecs)], keys[int(cfg)/len(parsedCodecs)%3]
		r := newBlockRun(t, Options{Compression: codec.c, Level: codec.level, PublicKey: key.pub}, 48<<10)
		parsers := newParsers(r.b, 3)
		type pending struct {
			pl     Place
			parsed Parsed
			parser *Parser // parse when appended; nil: parsed when reserved
			none   bool    // never parsed
			skip   bool    // left out
		}
		var text Text
		var inUse placesInUse
		text.InUse = inUse.inUse
		var queue []*pending
		var earlier [][]byte
		commit := func(n int) {
			for ; n > 0 && len(queue) > 0; n-- {
				pd := queue[0]
				queue = queue[1:]
				if pd.parser != nil {
					pd.parser.Parse(pd.pl, r.b.Floor(), &pd.parsed)
				}
				switch {
				case pd.skip:
				case pd.none:
					r.parsed(pd.pl, nil)
				default:
					r.parsed(pd.pl, &pd.parsed)
				}
				inUse.add(pd.pl.Gen, -1)
			}
		}
		for ops := 0; len(in) > 0 && ops < 300; ops++ {
			op := next()
			switch op & 7 {
			case 0, 1, 2, 3:
				var l []byte
				switch op & 3 {
				case 0:
					n := min(int(next()), len(in))
					l, in = bytes.Clone(in[:n]), in[n:]
				case 1:
					l = marsLine(int(next())<<8 | int(next()))
				case 2, 3:
					if len(earlier) == 0 {
						l = marsLine(int(next()))
						break
					}
					l = bytes.Clone(earlier[int(next())%len(earlier)])
					if op&3 == 3 {
						l = append(l, earlier[int(next())%len(earlier)]...)
						l = l[:min(len(l), 32<<10)]
					} else if len(l) > 0 {
						l[int(next())%len(l)] ^= next()
					}
				}
				earlier = append(earlier, l)
				pd := &pending{pl: text.Reserve(l), none: op&0x40 != 0, skip: op&0x80 != 0}
				inUse.add(pd.pl.Gen, 1)
				p := parsers[int(op>>3&3)%len(parsers)]
				if op&0x20 != 0 {
					pd.parser = p
				} else {
					p.Parse(pd.pl, r.b.Floor(), &pd.parsed)
				}
				queue = append(queue, pd)
			case 4:
				commit(int(op>>3&7) + 1)
			case 5:
				n := min(int(next()), len(in))
				r.record(in[:n])
				in = in[n:]
			case 6:
				r.newBlock()
			case 7:
				commit(len(queue))
			}
		}
		commit(len(queue))
		r.check(key.priv)
	})
}

// BenchmarkParsedLines compares, on one thread, a line reserved in a Text,
// parsed and written by AppendParsed with the same line through
// AppendLine, into a 150 KiB buffer whose blocks end at Mars's 51 200
// bytes: ns/op per line, and the bytes each line costs on disk.
func BenchmarkParsedLines(b *testing.B) {
	lines := benchLines(b)
	for _, c := range []struct {
		name string
		o    Options
	}{{"zlib", Options{}}} {
		for _, parsed := range []bool{true, false} {
			name := c.name + "/AppendLine"
			if parsed {
				name = c.name + "/Parse+AppendParsed"
			}
			b.Run(name, func(b *testing.B) {
				bl, err := NewBuilder(c.o)
				if err != nil {
					b.Fatal(err)
				}
				var p *Parser
				if parsed {
					p = newParsers(bl, 1)[0]
				}
				// Each line is appended before the next is reserved.
				text := Text{InUse: func(uint64) bool { return false }}
				var q Parsed
				benchBlocks(b, bl, lines, func(buf, line []byte) ([]byte, error) {
					if !parsed {
						return bl.AppendLine(buf, line)
					}
					pl := text.Reserve(line)
					p.Parse(pl, bl.Floor(), &q)
					return bl.AppendParsed(buf, pl, &q)
				})
			})
		}
	}
}

// TestParsedLinesCarryStaysAboveTheFloor: a generation starts with the end
// of the one before, and when that one holds little of its own (a line of
// over textCap-textCarry started the next), the carried text reaches into the
// generation before it, below a floor that the lines since have left
// there. A line dropped there must stay out of reach: its copy in the
// carried text is not in the stream.
func TestParsedLinesCarryStaysAboveTheFloor(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	dropped := make([]byte, 1024)
	for i := range dropped {
		dropped[i] = byte('a' + r.IntN(26))
	}
	var filler []byte
	for i := 0; len(filler) < textCap; i++ {
		filler = append(filler, marsLine(i)...)
	}
	for _, c := range []Compression{Zlib} {
		t.Run(c.String(), func(t *testing.T) {
			run := newBlockRun(t, Options{Compression: c}, 1<<20)
			p := newParsers(run.b, 1)[0]
			var text Text
			var q Parsed
			add := func(line []byte, keep bool) Place {
				pl := text.Reserve(line)
				p.Parse(pl, run.b.Floor(), &q)
				if keep {
					run.parsed(pl, &q)
				}
				return pl
			}
			// The first generation: filler, the dropped line, a line that
			// raises the floor above it, and 10 bytes left.
			after := marsLine(1)
			add(filler[:textCap-len(dropped)-len(after)-10], true)
			add(dropped, false)
			add(after, true)
			// A generation with little of its own, then one that carries the
			// dropped line's copy.
			small := add(marsLine(2), true)
			big := add(append(bytes.Clone(dropped), filler[:textCap-textCarry+3<<10]...), true)
			if small.Gen != 2 || big.Gen != 3 {
				t.Fatalf("generations %d and %d, want 2 and 3", small.Gen, big.Gen)
			}
			run.check(crypt.PrivateKeys{})
		})
	}
}
