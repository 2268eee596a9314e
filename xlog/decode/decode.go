// Package decode turns xlog files back into text: Mars's files (zlib and
// zstd, clear or TEA-encrypted) and ours (lz4,
// HPKE; xlog/format/FORMAT.md). It streams: blocks are read one (at most
// two) at a time, never the whole file. Like Mars's decoder it resyncs
// after damage, writing Mars's markers into the text where Mars does
// ("decode error len=N", "log seq:a-b is missing"), and it reports every
// problem as an Event and in Stats (Stats.Damaged).
//
// Unlike Mars's decoder it recovers blocks cut short: a file truncated in
// the middle of a block, or a block whose write a crash interrupted before
// the next session appended more. The cut block gives every complete line
// its bytes hold (its incomplete last line is dropped, never printed), and
// decoding goes on at the next real block, not at the stale length the cut
// block declares or at a false header inside it.
//
// Zstd frames are read by the package's own decoder (RFC 8878, in
// xlog/internal/zstdread): any frame the format allows without a
// dictionary, with a window of at most 8 MiB (Mars writes 64 KiB); a
// content checksum, when a frame has one, is checked. A frame cut short
// gives the text of every zstd block before the cut.
package decode

import (
	"bufio"
	"crypto/cipher"
	"fmt"
	"io"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// Options configure a Decoder.
type Options struct {
	// Keys opens encrypted blocks; blocks of a kind without a key are
	// skipped with a NoKey event.
	Keys crypt.PrivateKeys
	// MaxBlock is the largest payload accepted. Default DefaultMaxBlock.
	MaxBlock int
	// OnEvent, if set, is called for every problem, in input order.
	OnEvent func(Event)
}

// Decoder decodes xlog streams. Reuse it to keep its buffers; it is not
// safe for concurrent use.
type Decoder struct {
	opt      Options
	marsKey  *crypt.MarsPrivateKey
	hpkeKey  crypt.HPKEPrivateKey
	hpkeID   [crypt.HPKEKeyIDSize]byte
	codecs   codecs
	teaCache map[[format.KeySize]byte]crypt.TEA
	// syncAEADs caches the HPKE sync key of each session, by enc.
	syncAEADs map[[crypt.HPKEEncSize]byte]cipher.AEAD

	w       *countWriter
	in      window
	lastSeq uint16
	stats   Stats
	// scanned remembers confidentAfter's last scan: no confident block
	// starts at input offsets from..next-1; found says whether one starts
	// at next (else the input ends there).
	scanned struct {
		from, next int64
		found      bool
	}
}

// New checks the keys and returns a Decoder.
func New(opt Options) (*Decoder, error) {
	if opt.MaxBlock <= 0 {
		opt.MaxBlock = DefaultMaxBlock
	}
	d := &Decoder{
		opt:       opt,
		teaCache:  map[[format.KeySize]byte]crypt.TEA{},
		syncAEADs: map[[crypt.HPKEEncSize]byte]cipher.AEAD{},
	}
	if opt.Keys.Mars != "" {
		k, err := crypt.ParseMarsPrivateKey(opt.Keys.Mars)
		if err != nil {
			return nil, err
		}
		d.marsKey = k
	}
	if opt.Keys.HPKE != "" {
		k, err := crypt.ParseHPKEPrivateKey(opt.Keys.HPKE)
		if err != nil {
			return nil, err
		}
		if d.hpkeID, err = crypt.HPKEKeyID(k.Public()); err != nil {
			return nil, err
		}
		d.hpkeKey = k
	}
	return d, nil
}

// Decode writes the text of every block in r to w and returns what it saw.
// The error is a read or write error; damage in the input is not an error
// but Events and markers.
func (d *Decoder) Decode(w io.Writer, r io.Reader) (Stats, error) {
	bw := bufio.NewWriterSize(w, outBuffer)
	d.w = &countWriter{w: bw}
	d.in = window{r: r, buf: d.in.buf[:0]}
	d.lastSeq, d.stats = 0, Stats{}
	d.scanned.from, d.scanned.next = -1, -2 // nothing scanned
	defer d.codecs.close()

	if err := d.run(); err != nil {
		return d.finishStats(), err
	}
	if err := bw.Flush(); err != nil {
		return d.finishStats(), err
	}
	return d.finishStats(), d.in.readErr()
}

func (d *Decoder) finishStats() Stats {
	d.stats.InputBytes = d.in.offset()
	d.stats.OutputBytes = d.w.n
	return d.stats
}

// run is Mars's loop (decode_log_file.c:303-551): find the first block,
// then decode block after block, scanning forward past anything that is
// not a block. Unlike Mars it checks a block that is not followed by
// another for a cut (tornEnd), so a stale length cannot swallow the blocks
// that follow it.
func (d *Decoder) run() error {
	d.skipToStart()
	for d.w.err == nil {
		if len(d.in.peek(1)) == 0 {
			break
		}
		n, ok := d.good(0, 1)
		if _, pair := d.good(0, 2); ok && pair {
			d.block(d.in.peek(n)[:n])
			d.in.advance(n)
			continue
		}
		switch end, kind := d.tornEnd(); {
		case kind == cut:
			d.cutBlock(d.in.peek(end)[:end])
			d.in.advance(end)
			continue
		case kind == garbage:
			off := d.in.offset()
			d.in.advance(end)
			d.skip(off, int64(end))
			fmt.Fprintf(d.w, "[F]decode_log_file.py decode error len=%d\n", end)
			continue
		}
		if ok { // a good block followed by damage
			d.block(d.in.peek(n)[:n])
			d.in.advance(n)
			continue
		}
		off := d.in.offset()
		fix, found := d.resync()
		d.skip(off, fix)
		if !found {
			break
		}
		fmt.Fprintf(d.w, "[F]decode_log_file.py decode error len=%d\n", fix)
	}
	return d.w.err
}

// skip records a skipped span.
func (d *Decoder) skip(off, n int64) {
	if n <= 0 {
		return
	}
	d.stats.SkippedBytes += n
	d.event(Event{Kind: Skipped, Offset: off, Length: n})
}

func (d *Decoder) event(e Event) {
	d.stats.Problems++
	if d.opt.OnEvent != nil {
		d.opt.OnEvent(e)
	}
}

// countWriter counts output bytes and keeps the first write error.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// Decode is New(opt) followed by one Decode call.
func Decode(w io.Writer, r io.Reader, opt Options) (Stats, error) {
	d, err := New(opt)
	if err != nil {
		return Stats{}, err
	}
	return d.Decode(w, r)
}
