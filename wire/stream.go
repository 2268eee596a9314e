package wire

import (
	"errors"
	"fmt"
	"io"
)

// Stream reassembles packets from the bytes of one connection, fed in the
// pieces reads return: a packet split over many reads, or several packets in
// one read ("Stream handling"). It does no I/O of its own beyond
// [Stream.ReadOnce] and is not safe for concurrent use; one reader goroutine
// owns it.
type Stream struct {
	codec Codec
	// MaxPacket (0: none) bounds one packet whatever the codec checks
	// itself: a whole packet larger, or more bytes of an incomplete one
	// buffered, is a corrupt stream (ErrTooLarge).
	MaxPacket int
	buf       []byte
	start     int // first unparsed byte in buf
	err       error
}

// NewStream returns an empty stream decoding with codec.
func NewStream(codec Codec) *Stream {
	return &Stream{codec: codec}
}

// NewStreamSize returns an empty stream decoding with codec whose buffer
// starts with room for size bytes, so ReadOnce reads that much at a time.
func NewStreamSize(codec Codec, size int) *Stream {
	return &Stream{codec: codec, buf: make([]byte, 0, size)}
}

// Write appends bytes read from the connection. It never fails; it exists so
// a Stream can be the destination of io.Copy in tests.
func (s *Stream) Write(p []byte) (int, error) {
	if s.start > 0 && s.start == len(s.buf) {
		s.buf, s.start = s.buf[:0], 0
	} else if s.start > 0 && s.start >= cap(s.buf)/2 {
		n := copy(s.buf, s.buf[s.start:])
		s.buf, s.start = s.buf[:n], 0
	}
	s.buf = append(s.buf, p...)
	return len(p), nil
}

// ReadOnce makes one Read from r straight into the stream's buffer, with
// no copy in between: the unparsed rest moves to the front first, and the
// buffer doubles only when that rest fills it.
func (s *Stream) ReadOnce(r io.Reader) (int, error) {
	if s.start > 0 {
		n := copy(s.buf, s.buf[s.start:])
		s.buf, s.start = s.buf[:n], 0
	}
	if len(s.buf) == cap(s.buf) {
		grown := make([]byte, len(s.buf), max(2*cap(s.buf), 512))
		copy(grown, s.buf)
		s.buf = grown
	}
	n, err := r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	return n, err
}

// Next returns the next complete packet. ok is false when more bytes are
// needed. A non-nil error means the stream is corrupt; it is sticky.
func (s *Stream) Next() (p Packet, ok bool, err error) {
	if s.err != nil {
		return Packet{}, false, s.err
	}
	p, n, err := s.codec.Parse(s.buf[s.start:])
	switch {
	case errors.Is(err, ErrShort):
		if s.MaxPacket > 0 && s.Buffered() > s.MaxPacket {
			s.err = fmt.Errorf("%w: %d bytes of one packet buffered, limit %d", ErrTooLarge, s.Buffered(), s.MaxPacket)
			return Packet{}, false, s.err
		}
		return Packet{}, false, nil
	case err == nil && s.MaxPacket > 0 && n > s.MaxPacket:
		err = fmt.Errorf("%w: a %d-byte packet, limit %d", ErrTooLarge, n, s.MaxPacket)
	}
	if err != nil {
		s.err = err
		return Packet{}, false, err
	}
	s.start += n
	return p, true, nil
}

// PeekSeq names the task the incomplete packet at the front of the
// unparsed bytes answers, when the codec can tell ([SeqPeeker]).
func (s *Stream) PeekSeq() (seq uint32, ok bool) {
	if p, isPeeker := s.codec.(SeqPeeker); isPeeker {
		return p.PeekSeq(s.buf[s.start:])
	}
	return 0, false
}

// Buffered returns how many received bytes are not yet part of a packet.
func (s *Stream) Buffered() int {
	return len(s.buf) - s.start
}
