package wire

import "errors"

// Stream reassembles packets from the bytes of one connection, fed in the
// pieces reads return: a packet split over many reads, or several packets in
// one read ("Stream handling"). It does no I/O and is not
// safe for concurrent use; one reader goroutine owns it.
type Stream struct {
	codec Codec
	buf   []byte
	start int // first unparsed byte in buf
	err   error
}

// NewStream returns an empty stream decoding with codec.
func NewStream(codec Codec) *Stream {
	return &Stream{codec: codec}
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

// Next returns the next complete packet. ok is false when more bytes are
// needed. A non-nil error means the stream is corrupt; it is sticky.
func (s *Stream) Next() (p Packet, ok bool, err error) {
	if s.err != nil {
		return Packet{}, false, s.err
	}
	p, n, err := s.codec.Parse(s.buf[s.start:])
	if errors.Is(err, ErrShort) {
		return Packet{}, false, nil
	}
	if err != nil {
		s.err = err
		return Packet{}, false, err
	}
	s.start += n
	return p, true, nil
}

// Buffered returns how many received bytes are not yet part of a packet.
func (s *Stream) Buffered() int {
	return len(s.buf) - s.start
}
