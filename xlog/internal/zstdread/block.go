package zstdread

import (
	"encoding/binary"
	"errors"
)

// Compressed blocks (RFC 8878 §3.1.1.3): literals, then the sequences that
// interleave them with matches.

// Literals section types.
const (
	litsRaw = iota
	litsRLE
	litsCompressed
	litsTreeless
)

var (
	errLits     = errors.New("zstd: bad literals section")
	errNoTable  = errors.New("zstd: treeless literals before any Huffman table")
	errOffset   = errors.New("zstd: match offset before the frame's start or beyond its window")
	errTooLarge = errors.New("zstd: block decodes to more than its maximum size")
	errTooFew   = errors.New("zstd: sequence wants more literals than the block has")
)

// decodeBlock decodes a compressed block, appending its text to d.hist
// (which has room for it).
func (d *Decoder) decodeBlock(in []byte, window, blockMax int) error {
	lits, n, err := d.readLiterals(in, blockMax)
	if err != nil {
		return err
	}
	return d.execute(in[n:], lits, window, blockMax)
}

// readLiterals reads the literals section (RFC 8878 §3.1.1.3.1) and returns the
// literals and the section's length.
func (d *Decoder) readLiterals(in []byte, blockMax int) ([]byte, int, error) {
	if len(in) == 0 {
		return nil, 0, errLits
	}
	kind, format := in[0]&3, in[0]>>2&3
	if kind == litsRaw || kind == litsRLE {
		var size, hdr int
		switch format {
		case 0, 2:
			size, hdr = int(in[0]>>3), 1
		case 1:
			if len(in) < 2 {
				return nil, 0, errLits
			}
			size, hdr = int(in[0]>>4)|int(in[1])<<4, 2
		case 3:
			if len(in) < 3 {
				return nil, 0, errLits
			}
			size, hdr = int(in[0]>>4)|int(in[1])<<4|int(in[2])<<12, 3
		}
		if size > blockMax {
			return nil, 0, errLits
		}
		if kind == litsRaw {
			if len(in) < hdr+size {
				return nil, 0, errLits
			}
			return in[hdr : hdr+size], hdr + size, nil
		}
		if len(in) < hdr+1 {
			return nil, 0, errLits
		}
		lits := d.litBuf(size)
		fill(lits, in[hdr])
		return lits, hdr + 1, nil
	}
	// Huffman-coded: sizes of 10, 10, 14 or 18 bits; one stream or four.
	hdr, sizeBits := [4]int{3, 3, 4, 5}[format], [4]uint{10, 10, 14, 18}[format]
	if len(in) < hdr {
		return nil, 0, errLits
	}
	var h uint64
	for i := range hdr {
		h |= uint64(in[i]) << (8 * i)
	}
	mask := uint64(1)<<sizeBits - 1
	size, comp := int(h>>4&mask), int(h>>(4+sizeBits)&mask)
	if size > blockMax || len(in) < hdr+comp {
		return nil, 0, errLits
	}
	streams := in[hdr : hdr+comp]
	if d.huff == nil {
		d.huff = new(huffTable)
	}
	if kind == litsCompressed {
		d.huff.maxBits = 0
		n, err := d.huff.read(streams)
		if err != nil {
			d.huff.maxBits = 0
			return nil, 0, err
		}
		streams = streams[n:]
	} else if d.huff.maxBits == 0 {
		return nil, 0, errNoTable
	}
	lits := d.litBuf(size)
	if err := d.huff.decodeLiterals(lits, streams, format != 0); err != nil {
		return nil, 0, err
	}
	return lits, hdr + comp, nil
}

func (d *Decoder) litBuf(n int) []byte {
	if cap(d.lits) < n {
		d.lits = make([]byte, n, max(n, blockSizeMax))
	}
	return d.lits[:n]
}

// execute reads the sequences section and carries it out: each sequence
// copies literals, then a match from the text before.
func (d *Decoder) execute(in, lits []byte, window, blockMax int) error {
	n, used, err := d.seq.readHeader(in)
	if err != nil {
		return err
	}
	out := d.hist
	limit := len(out) + blockMax
	if n > 0 {
		if d.seqs, err = d.seq.sequences(in[used:], n, d.seqs[:0]); err != nil {
			return err
		}
	}
	for _, q := range d.seqs[:n] {
		if int(q.ll) > len(lits) {
			return errTooFew
		}
		if len(out)+int(q.ll)+int(q.ml) > limit {
			return errTooLarge
		}
		out = appendLiterals(out, lits, int(q.ll))
		lits = lits[q.ll:]
		if int(q.offset) > len(out) || int(q.offset) > window {
			return errOffset
		}
		out = appendMatch(out, int(q.offset), int(q.ml))
	}
	if len(out)+len(lits) > limit {
		return errTooLarge
	}
	d.hist = append(out, lits...)
	return nil
}

// Short copies go 8 bytes at a time and may write up to copySlack bytes
// past the text's end (makeRoom leaves room for them): cheaper than a call
// to memmove for the few bytes most sequences copy.
const (
	shortCopy = 32
	copySlack = 16
)

// appendLiterals appends lits[:n] to out.
func appendLiterals(out, lits []byte, n int) []byte {
	dst := len(out)
	if n <= 16 && cap(lits) >= 16 {
		w := out[dst : dst+16]
		binary.LittleEndian.PutUint64(w, binary.LittleEndian.Uint64(lits[:8]))
		binary.LittleEndian.PutUint64(w[8:], binary.LittleEndian.Uint64(lits[8:16]))
		return out[:dst+n]
	}
	return append(out, lits[:n]...)
}

// appendMatch appends ml bytes copied from offset back, which may overlap
// what it appends (a repeating pattern).
func appendMatch(out []byte, offset, ml int) []byte {
	dst := len(out)
	src := dst - offset
	if offset >= 8 && ml <= shortCopy {
		// Each word read was written before: offset >= 8.
		w := out[src : dst+ml+copySlack]
		for i := 0; i < ml; i += 8 {
			binary.LittleEndian.PutUint64(w[offset+i:], binary.LittleEndian.Uint64(w[i:]))
		}
		return out[:dst+ml]
	}
	out = out[:dst+ml]
	if ml <= offset {
		copy(out[dst:], out[src:src+ml])
		return out
	}
	for n := 0; n < ml; {
		n += copy(out[dst+n:], out[src:dst+n])
	}
	return out
}
