// Package wire is the long-link packet codec: the Mars 20-byte header framing
// behind a small [Codec] interface, so a host can
// plug its own framing while the engine keeps one read/write path.
//
// The package does no I/O. [Codec.Append] encodes one packet, [Codec.Parse]
// decodes one packet from the front of a byte slice, and [Stream] turns the
// bytes of a connection, fed in whatever pieces the reads return, into packets.
// Every long-link reader (the engine's, marsd's, sdt's, the test peer's)
// reassembles with Stream: [Stream.ReadOnce] reads into its buffer without a
// copy, [Stream.MaxPacket] bounds a packet whole or still arriving, and
// [Stream.PeekSeq] names the task of the packet still arriving.
//
// Wire layout of the default codec ([NewMars]), every field big-endian:
//
//	offset 0   head_length     uint32  20 when sent; >= 20 accepted on receive
//	offset 4   client_version  uint32  must equal the local version on receive
//	offset 8   cmdid           uint32
//	offset 12  seq             uint32  the task id; 0 = push
//	offset 16  body_length     uint32
//	offset head_length: body (body_length bytes)
//
// head_length + body_length may not exceed [DefaultMaxPacket] (1 MiB) on
// receive. Reserved values: noop cmdid 6 / seq 0xFFFFFFFF, identify seq
// 0xFFFFFFFE, push seq 0, signalling keeper cmdid 243 (see defaults.go).
//
// [Mars.PeekSeq] names the task of a packet whose header has arrived but
// whose body has not. [AppendShortRequest] writes the short-link HTTP request
// in Mars's byte order; the engine reads responses with its own HTTP/1.1
// reader.
//
// Ownership: [Codec.Parse] returns a Body that is a fresh copy owned by the
// caller; the input slice may be reused as soon as Parse returns. Append never
// retains dst or the packet body.
package wire
