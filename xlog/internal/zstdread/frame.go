// Package zstdread decodes zstd frames (RFC 8878) from memory, writing
// each block's text as soon as it is decoded, so a frame cut short gives
// every block before the cut: Mars's xlog never ends its frames (no
// last-block flag, no checksum). It reads every frame the format allows
// except ones that need a dictionary, with a window of at most MaxWindow.
package zstdread

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/mars-go/mars/xlog/internal/zstdspec"
)

// DefaultMaxWindow is the largest window accepted by default: Mars's
// frames use 64 KiB and the zstd tool's levels up to 19 at most 8 MiB. The
// decoder's memory is about twice the window.
const DefaultMaxWindow = 8 << 20

// Format limits.
const (
	skippableMagic = 0x184D2A50 // and the 15 values above
	blockSizeMax   = 128 << 10
	// smallWindow is the largest window whose whole buffer is allocated
	// at a frame's first block; larger ones grow as their text does.
	smallWindow = 1 << 20
)

// ErrTruncated says the input ended inside a frame; every block before
// the cut was written.
var ErrTruncated = errors.New("zstd: input ends inside a frame")

var (
	errMagic      = errors.New("zstd: not a zstd frame")
	errReserved   = errors.New("zstd: reserved bit or block type set")
	errDictionary = errors.New("zstd: frame needs a dictionary")
	errBlockSize  = errors.New("zstd: block larger than the frame allows")
	errSize       = errors.New("zstd: frame content size mismatch")
	errChecksum   = errors.New("zstd: content checksum mismatch")
)

// Decoder decodes zstd frames. Reuse it to keep its buffers; it is not
// safe for concurrent use.
type Decoder struct {
	// MaxWindow is the largest window accepted; a frame asking for more
	// is an error. 0 means DefaultMaxWindow.
	MaxWindow int

	hist []byte // the frame's text: the window, then the current block
	lits []byte // the block's literals, when decoded
	huff *huffTable
	seq  seqState
	seqs []sequence // the block's sequences, when decoded
	sum  xxh64
}

// frame is what a frame header says.
type frame struct {
	window   int
	size     uint64 // content size, if hasSize
	hasSize  bool
	checksum bool
}

// Decode decodes every frame in src to w. When src ends inside a frame
// it returns ErrTruncated after writing every block before the cut; other
// damage is an error once the blocks before it are written.
func (d *Decoder) Decode(w io.Writer, src []byte) error {
	for len(src) > 0 {
		if len(src) < 4 {
			return ErrTruncated
		}
		magic := binary.LittleEndian.Uint32(src)
		if magic&^0xF == skippableMagic {
			if len(src) < 8 {
				return ErrTruncated
			}
			n := uint64(binary.LittleEndian.Uint32(src[4:]))
			if n > uint64(len(src)-8) {
				return ErrTruncated
			}
			src = src[8+n:]
			continue
		}
		if magic != zstdspec.Magic {
			return errMagic
		}
		f, n, err := d.readHeader(src[4:])
		if err != nil {
			return err
		}
		if src, err = d.decodeFrame(w, f, src[4+n:]); err != nil {
			return err
		}
	}
	return nil
}

// readHeader reads a frame header (RFC 8878 §3.1.1.1) and returns its length.
func (d *Decoder) readHeader(in []byte) (frame, int, error) {
	var f frame
	if len(in) < 1 {
		return f, 0, ErrTruncated
	}
	desc := in[0]
	sizeFlag, single := desc>>6, desc&0x20 != 0
	if desc&0x08 != 0 {
		return f, 0, errReserved
	}
	f.checksum = desc&0x04 != 0
	dictLen := [4]int{0, 1, 2, 4}[desc&3]
	sizeLen := [4]int{0, 2, 4, 8}[sizeFlag]
	if single && sizeFlag == 0 {
		sizeLen = 1
	}
	n := 1
	if !single {
		n++
	}
	n += dictLen + sizeLen
	if len(in) < n {
		return f, 0, ErrTruncated
	}
	p := in[1:n]
	if !single {
		exp, mantissa := int(p[0]>>3), int(p[0]&7)
		if exp > 31-zstdspec.MinWindowLog {
			return f, 0, fmt.Errorf("zstd: window 2^%d too large", exp+zstdspec.MinWindowLog)
		}
		base := 1 << (zstdspec.MinWindowLog + exp)
		f.window = base + base/8*mantissa
		p = p[1:]
	}
	var dict uint32
	for i := range dictLen {
		dict |= uint32(p[i]) << (8 * i)
	}
	if dict != 0 {
		return f, 0, errDictionary
	}
	p = p[dictLen:]
	if sizeLen > 0 {
		var v uint64
		for i := range sizeLen {
			v |= uint64(p[i]) << (8 * i)
		}
		if sizeLen == 2 {
			v += 256
		}
		f.size, f.hasSize = v, true
	}
	if single {
		f.window = int(min(f.size, 1<<31))
	}
	if max := d.maxWindow(); f.window > max {
		return f, 0, fmt.Errorf("zstd: window of %d bytes is over the limit of %d", f.window, max)
	}
	return f, n, nil
}

func (d *Decoder) maxWindow() int {
	if d.MaxWindow > 0 {
		return d.MaxWindow
	}
	return DefaultMaxWindow
}

// decodeFrame decodes the blocks of a frame and returns the input after it.
func (d *Decoder) decodeFrame(w io.Writer, f frame, src []byte) ([]byte, error) {
	d.hist = d.hist[:0]
	d.seq.newFrame()
	if d.huff != nil {
		d.huff.maxBits = 0 // no table until one is described
	}
	d.sum.reset()
	blockMax := min(f.window, blockSizeMax)
	produced := uint64(0)
	for {
		if len(src) < 3 {
			return nil, ErrTruncated
		}
		h := uint32(src[0]) | uint32(src[1])<<8 | uint32(src[2])<<16
		last, kind, size := h&1 != 0, int(h>>1&3), int(h>>3)
		src = src[3:]
		if kind == zstdspec.BlockReserved {
			return nil, errReserved
		}
		if size > blockMax {
			return nil, errBlockSize
		}
		d.makeRoom(f.window)
		start := len(d.hist)
		switch kind {
		case zstdspec.BlockRaw:
			if len(src) < size {
				return nil, ErrTruncated
			}
			d.hist = append(d.hist, src[:size]...)
			src = src[size:]
		case zstdspec.BlockRLE:
			if len(src) < 1 {
				return nil, ErrTruncated
			}
			d.hist = d.hist[:start+size]
			fill(d.hist[start:], src[0])
			src = src[1:]
		case zstdspec.BlockCompressed:
			if len(src) < size {
				return nil, ErrTruncated
			}
			if err := d.decodeBlock(src[:size], f.window, blockMax); err != nil {
				return nil, err
			}
			src = src[size:]
		}
		text := d.hist[start:]
		produced += uint64(len(text))
		if f.hasSize && produced > f.size {
			return nil, errSize
		}
		if f.checksum {
			d.sum.write(text)
		}
		if _, err := w.Write(text); err != nil {
			return nil, err
		}
		if last {
			break
		}
	}
	if f.hasSize && produced != f.size {
		return nil, errSize
	}
	if f.checksum {
		if len(src) < 4 {
			return nil, ErrTruncated
		}
		if uint32(d.sum.sum()) != binary.LittleEndian.Uint32(src) {
			return nil, errChecksum
		}
		src = src[4:]
	}
	return src, nil
}

// makeRoom makes sure a block fits in hist without moving it, dropping
// text older than the window when needed.
func (d *Decoder) makeRoom(window int) {
	need := len(d.hist) + blockSizeMax + copySlack
	if need <= cap(d.hist) {
		return
	}
	if len(d.hist) > window {
		d.hist = d.hist[:copy(d.hist, d.hist[len(d.hist)-window:])]
		need = len(d.hist) + blockSizeMax + copySlack
		if need <= cap(d.hist) {
			return
		}
	}
	size := max(need, 2*cap(d.hist))
	if whole := 2*window + blockSizeMax + copySlack; window <= smallWindow && size < whole {
		size = whole // all a small window will need, at once
	}
	grown := make([]byte, len(d.hist), size)
	copy(grown, d.hist)
	d.hist = grown
}

// fill sets every byte of b to c.
func fill(b []byte, c byte) {
	if len(b) == 0 {
		return
	}
	b[0] = c
	for n := 1; n < len(b); n *= 2 {
		copy(b[n:], b[:n])
	}
}
