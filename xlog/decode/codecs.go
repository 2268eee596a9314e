package decode

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/mars-go/mars/xlog/format"
	"github.com/mars-go/mars/xlog/internal/zstdread"
	"github.com/pierrec/lz4/v4"
)

// codecs holds the decompressors, reused from block to block.
type codecs struct {
	br      bytes.Reader
	fr      io.ReadCloser
	zd      zstdread.Decoder
	copyBuf []byte // io.CopyBuffer's buffer, reused
	hist    []byte // LZ4: this block's text so far (the dictionary)
	plain   []byte // HPKE: opened records
}

// decode writes the text of one payload. Async streams are never
// terminated (Mars discards the compressor at flush), so
// running out of input mid-stream is their normal end, not an error.
func (c *codecs) decode(w io.Writer, codec format.Codec, p []byte) error {
	switch codec {
	case format.CodecNone:
		_, err := w.Write(p)
		return err
	case format.CodecZlib:
		return c.inflate(w, p)
	case format.CodecZstd:
		return c.unzstd(w, p)
	case format.CodecLZ4:
		return c.unlz4(w, p)
	}
	return fmt.Errorf("decode: codec %d", codec)
}

func (c *codecs) inflate(w io.Writer, p []byte) error {
	c.br.Reset(p)
	if c.fr == nil {
		c.fr = flate.NewReader(&c.br)
	} else if err := c.fr.(flate.Resetter).Reset(&c.br, nil); err != nil {
		return err
	}
	return c.copyUnterminated(w, c.fr)
}

// unzstd decodes a zstd frame, which Mars never ends: a frame cut short
// is its normal end. The decoder's default window limit
// (zstdread.DefaultMaxWindow) bounds what a hostile frame can make us
// allocate.
func (c *codecs) unzstd(w io.Writer, p []byte) error {
	err := c.zd.Decode(w, p)
	if errors.Is(err, zstdread.ErrTruncated) {
		return nil
	}
	return err
}

// copyUnterminated copies a decompressed async stream to w; running out of
// input mid-stream is its normal end (see decode).
func (c *codecs) copyUnterminated(w io.Writer, r io.Reader) error {
	_, err := io.CopyBuffer(w, r, c.buf())
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return nil
	}
	return err
}

// unlz4 decodes our LZ4 records: u16 compressed length (0 = stored), u16
// raw length, then the data; a record may refer back into the block's
// earlier text (up to 64 KiB), so the text so far is kept as dictionary.
func (c *codecs) unlz4(w io.Writer, p []byte) error {
	c.hist = c.hist[:0]
	for len(p) > 0 {
		if len(p) < 4 {
			return errors.New("lz4: torn record header")
		}
		cl, rl := int(binary.LittleEndian.Uint16(p)), int(binary.LittleEndian.Uint16(p[2:]))
		p = p[4:]
		stored := cl == 0
		if stored {
			cl = rl
		}
		if len(p) < cl {
			return errors.New("lz4: torn record")
		}
		if len(c.hist) > 2*lz4Dict {
			c.hist = c.hist[:copy(c.hist, c.hist[len(c.hist)-lz4Dict:])]
		}
		start := len(c.hist)
		c.hist = append(c.hist, make([]byte, rl)...)
		if stored {
			copy(c.hist[start:], p[:cl])
		} else {
			dict := c.hist[max(0, start-lz4Dict):start]
			n, err := lz4.UncompressBlockWithDict(p[:cl], c.hist[start:], dict)
			if err != nil || n != rl {
				c.hist = c.hist[:start]
				return fmt.Errorf("lz4: bad record (%d of %d bytes): %v", n, rl, err)
			}
		}
		p = p[cl:]
		if _, err := w.Write(c.hist[start:]); err != nil {
			return err
		}
	}
	return nil
}

func (c *codecs) buf() []byte {
	if c.copyBuf == nil {
		c.copyBuf = make([]byte, 32<<10)
	}
	return c.copyBuf
}

// close drops the zstd decoder's window, which a hostile frame may have
// made large, between files.
func (c *codecs) close() { c.zd = zstdread.Decoder{} }
