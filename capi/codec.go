//go:build !mars_xlog_only

package main

/*
#include "trampolines.h"
*/
import "C"

import (
	"errors"
	"fmt"

	"github.com/mars-go/mars/wire"
)

// hostCodec implements wire.Codec over a host's mars_longlink_codec, so an
// app with its own packet header needs no rebuild. NULL optional entries
// fall back to the Mars classification (wire.Mars).
type hostCodec struct {
	tab  C.mars_longlink_codec
	mars wire.Mars // for the defaults of the optional entries
}

var (
	_ wire.Codec           = (*hostCodec)(nil)
	_ wire.IdentifyBuilder = (*hostCodec)(nil)
)

// errHostCodec is what a failing host pack or a corrupt unpack reports.
var errHostCodec = errors.New("capi: host codec failed")

// newHostCodec checks the required entries of tab.
func newHostCodec(tab *C.mars_longlink_codec) (*hostCodec, error) {
	if (tab.pack == nil && tab.pack_ext == nil) || (tab.unpack == nil && tab.unpack_ext == nil) {
		return nil, errors.New("codec: pack (or pack_ext) and unpack (or unpack_ext) are required")
	}
	return &hostCodec{tab: *tab}, nil
}

func (c *hostCodec) Append(dst []byte, p wire.Packet) ([]byte, error) {
	var out C.mars_buf
	var rc C.int
	if c.tab.pack_ext != nil {
		rc = C.tramp_codec_pack_ext(&c.tab, C.uint32_t(p.CmdID), C.uint32_t(p.Seq), cbytes(p.Body), C.size_t(len(p.Body)),
			cbytes(p.Ext), C.size_t(len(p.Ext)), &out)
	} else {
		rc = C.tramp_codec_pack(&c.tab, C.uint32_t(p.CmdID), C.uint32_t(p.Seq), cbytes(p.Body), C.size_t(len(p.Body)), &out)
	}
	dst2 := appendBuf(dst, &out)
	if rc != C.MARS_OK {
		return dst, fmt.Errorf("%w: pack returned %d", errHostCodec, int(rc))
	}
	return dst2, nil
}

// unpacked is what one call of the host's unpack answered.
type unpacked struct {
	rc                     C.int
	cmd, seq               C.uint32_t
	off, n, eoff, en, used C.size_t
}

// unpack calls unpack_ext when set, else unpack.
func (c *hostCodec) unpack(b []byte) (u unpacked) {
	if c.tab.unpack_ext != nil {
		u.rc = C.tramp_codec_unpack_ext(&c.tab, cbytes(b), C.size_t(len(b)), &u.cmd, &u.seq, &u.off, &u.n, &u.eoff, &u.en, &u.used)
	} else {
		u.rc = C.tramp_codec_unpack(&c.tab, cbytes(b), C.size_t(len(b)), &u.cmd, &u.seq, &u.off, &u.n, &u.used)
	}
	return u
}

func (c *hostCodec) Parse(b []byte) (wire.Packet, int, error) {
	if len(b) == 0 {
		return wire.Packet{}, 0, wire.ErrShort
	}
	u := c.unpack(b)
	switch u.rc {
	case C.MARS_CODEC_OK:
	case C.MARS_CODEC_SHORT, C.MARS_CODEC_STREAM:
		return wire.Packet{}, 0, wire.ErrShort
	default:
		return wire.Packet{}, 0, fmt.Errorf("%w: unpack returned %d", errHostCodec, int(u.rc))
	}
	if err := checkUnpack(len(b), uint64(u.off), uint64(u.n), uint64(u.used)); err != nil {
		return wire.Packet{}, 0, err
	}
	if err := checkUnpack(len(b), uint64(u.eoff), uint64(u.en), uint64(u.used)); err != nil {
		return wire.Packet{}, 0, fmt.Errorf("extension: %w", err)
	}
	body := make([]byte, int(u.n))
	copy(body, b[u.off:u.off+u.n])
	var ext []byte
	if u.en > 0 {
		ext = make([]byte, int(u.en))
		copy(ext, b[u.eoff:u.eoff+u.en])
	}
	return wire.Packet{CmdID: uint32(u.cmd), Seq: uint32(u.seq), Body: body, Ext: ext}, int(u.used), nil
}

var _ wire.SeqPeeker = (*hostCodec)(nil)

// PeekSeq names the task of an incomplete packet when unpack answers
// MARS_CODEC_STREAM (Mars's STREAM_PACKAGE), so its bytes count as that
// task's response arriving.
func (c *hostCodec) PeekSeq(b []byte) (uint32, bool) {
	if len(b) == 0 {
		return 0, false
	}
	u := c.unpack(b)
	return uint32(u.seq), u.rc == C.MARS_CODEC_STREAM
}

// checkUnpack validates what a host unpack claims against the input it was
// given, so a buggy codec tears the link down instead of reading out of
// bounds: the body lies inside the consumed bytes, which lie inside the input.
func checkUnpack(inLen int, off, n, used uint64) error {
	switch {
	case used == 0:
		return fmt.Errorf("%w: unpack consumed 0 bytes", errHostCodec)
	case used > uint64(inLen):
		return fmt.Errorf("%w: unpack consumed %d of %d bytes", errHostCodec, used, inLen)
	case off > used || n > used-off:
		return fmt.Errorf("%w: body [%d,+%d) outside the %d-byte packet", errHostCodec, off, n, used)
	}
	return nil
}

func (c *hostCodec) Noop() wire.Packet {
	if c.tab.noop == nil {
		return c.mars.Noop()
	}
	var cmd, seq C.uint32_t
	var body C.mars_buf
	C.tramp_codec_noop(&c.tab, &cmd, &seq, &body)
	return wire.Packet{CmdID: uint32(cmd), Seq: uint32(seq), Body: takeBuf(&body)}
}

// Identify builds the identify request with the host's identify entry,
// which starts from the host's cmdid, seq 0xFFFFFFFE and no body.
func (c *hostCodec) Identify(cmdID uint32, buf []byte) wire.Packet {
	if c.tab.identify == nil {
		return c.mars.Identify(cmdID, buf)
	}
	cmd, seq := C.uint32_t(cmdID), C.uint32_t(wire.IdentifySeq)
	var body C.mars_buf
	C.tramp_codec_identify(&c.tab, &cmd, &seq, cbytes(buf), C.size_t(len(buf)), &body)
	return wire.Packet{CmdID: uint32(cmd), Seq: uint32(seq), Body: takeBuf(&body)}
}

func (c *hostCodec) IsNoopResponse(p wire.Packet) bool {
	if c.tab.is_noop_response == nil {
		return c.mars.IsNoopResponse(p)
	}
	return C.tramp_codec_is_noop_response(&c.tab, C.uint32_t(p.CmdID), C.uint32_t(p.Seq)) != 0
}

func (c *hostCodec) IsPush(p wire.Packet) bool {
	if c.tab.is_push == nil {
		return c.mars.IsPush(p)
	}
	return C.tramp_codec_is_push(&c.tab, C.uint32_t(p.CmdID), C.uint32_t(p.Seq)) != 0
}

func (c *hostCodec) IsIdentifyResponse(p wire.Packet) bool {
	if c.tab.is_identify_response == nil {
		return c.mars.IsIdentifyResponse(p)
	}
	return C.tramp_codec_is_identify_response(&c.tab, C.uint32_t(p.CmdID), C.uint32_t(p.Seq)) != 0
}
