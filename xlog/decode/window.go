package decode

import (
	"errors"
	"io"
)

// window is a read-ahead buffer over the input: the decoder peeks at most
// two blocks ahead and then consumes them, so memory stays bounded by the
// largest block it accepts, never by the file.
type window struct {
	r    io.Reader
	buf  []byte
	pos  int   // first unconsumed byte in buf
	base int64 // input offset of buf[0]
	err  error // sticky read error (io.EOF at the end)
	// noProgress counts reads in a row that returned nothing.
	noProgress int
}

// peek returns the unconsumed bytes, at least n of them unless the input
// ends first. The slice is valid until the next peek or advance.
func (w *window) peek(n int) []byte {
	for len(w.buf)-w.pos < n && w.err == nil {
		w.fill(n)
	}
	return w.buf[w.pos:]
}

// fill reads once more. The buffer grows by doubling, not to n at once, so
// a damaged length field claiming megabytes costs memory only if the input
// really has that many bytes.
func (w *window) fill(n int) {
	if w.pos > 0 && w.pos >= len(w.buf)/2 {
		kept := copy(w.buf, w.buf[w.pos:])
		w.base += int64(w.pos)
		w.buf, w.pos = w.buf[:kept], 0
	}
	if len(w.buf) == cap(w.buf) {
		nb := make([]byte, len(w.buf), max(2*cap(w.buf), readChunk))
		copy(nb, w.buf)
		w.buf = nb
	}
	m, err := w.r.Read(w.buf[len(w.buf):cap(w.buf)])
	w.buf = w.buf[:len(w.buf)+m]
	if err != nil {
		w.err = err
	} else if m == 0 {
		w.noProgress++
		if w.noProgress > maxEmptyReads {
			w.err = io.ErrNoProgress
		}
	} else {
		w.noProgress = 0
	}
}

// advance consumes n bytes (at most what peek has shown).
func (w *window) advance(n int) { w.pos += n }

// offset is the input offset of the first unconsumed byte.
func (w *window) offset() int64 { return w.base + int64(w.pos) }

// readErr is the read error that stopped the input, or nil at a clean EOF.
func (w *window) readErr() error {
	if errors.Is(w.err, io.EOF) {
		return nil
	}
	return w.err
}
