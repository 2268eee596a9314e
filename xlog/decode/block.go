package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// block decodes one good block (header, payload, tail) and writes its
// text, after Mars's seq check (decode_log_file.c:361-371).
func (d *Decoder) block(b []byte) {
	d.decodeBlock(b[:len(b)-format.TailSize], false)
}

// cutBlock decodes a block cut short (header and the payload bytes that
// are there, no tail): every complete line its bytes hold is written, the
// incomplete last one is dropped, and one Truncated event says so.
func (d *Decoder) cutBlock(b []byte) {
	d.stats.CutBlocks++
	if len(b) < format.HeaderSize {
		d.event(Event{Kind: Truncated, Offset: d.in.offset(), Length: int64(len(b)),
			Err: fmt.Errorf("%w: the input ends inside a block header", ErrCut)})
		return
	}
	h, _ := format.ParseHeader(b) // plausible() checked the magic and size
	out := d.w
	lines := &completeLines{w: out}
	d.w = &countWriter{w: lines}
	d.decodeBlock(b, true)
	dropped := lines.end()
	d.w = out // counted the bytes lines passed on, and keeps any write error
	present := len(b) - format.HeaderSize
	d.event(Event{Kind: Truncated, Offset: d.in.offset(), Length: int64(len(b)), Seq: h.Seq,
		Err: fmt.Errorf("%w: %d of %d payload bytes present, %d bytes of an incomplete line dropped",
			ErrCut, present, h.Length, dropped)})
}

// ErrCut is the error of a Truncated event for a block cut short.
var ErrCut = errors.New("block cut short (file truncated, or a write interrupted by a crash)")

// decodeBlock decodes header and payload b (no tail). In a cut block, an
// HPKE record cut in two is expected and not reported again, and the
// trailing bytes of a partial TEA group are still encrypted and dropped.
func (d *Decoder) decodeBlock(b []byte, isCut bool) {
	d.stats.Blocks++
	h, _ := format.ParseHeader(b) // good() or plausible() checked the magic and size
	info, _ := h.Magic.Info()
	off := d.in.offset()
	ev := Event{Offset: off, Length: int64(len(b) + format.TailSize), Seq: h.Seq}
	if h.Seq != 0 && h.Seq != 1 && d.lastSeq != 0 && h.Seq != d.lastSeq+1 {
		from, to := d.lastSeq+1, h.Seq-1
		fmt.Fprintf(d.w, "[F]decode_log_file.py log seq:%d-%d is missing\n", int(d.lastSeq)+1, int(h.Seq)-1)
		d.event(Event{Kind: SeqGap, Offset: off, Seq: h.Seq, From: from, To: to})
	}
	if h.Seq != 0 {
		d.lastSeq = h.Seq
	}
	payload := b[format.HeaderSize:]

	switch info.Crypt {
	case format.CryptNone:
	case format.CryptTEA:
		if d.marsKey == nil {
			ev.Kind = NoKey
			d.locked(ev)
			return
		}
		tea, err := d.teaFor(&h.Key)
		if err != nil {
			ev.Kind, ev.Err = BadKey, err
			d.locked(ev)
			return
		}
		if isCut && len(payload) < int(h.Length) {
			payload = payload[:len(payload)/8*8]
		}
		tea.DecryptGroups(payload) // in place: the window is ours
	case format.CryptHPKE:
		if !d.hpkeKeyFits(&h, &ev) {
			d.locked(ev)
			return
		}
		var bad *Event
		if info.Sync {
			payload, bad = d.openHPKESync(&h, payload, ev)
		} else {
			payload, bad = d.openHPKE(&h, payload, ev)
		}
		switch {
		case bad == nil || (isCut && bad.Kind == Truncated):
		case bad.Kind == NoKey || bad.Kind == BadKey:
			d.locked(*bad)
			return
		case bad.Kind == Truncated: // no final record: recovered after a crash
			d.stats.CutBlocks++
			d.event(*bad)
		default:
			d.damaged(*bad)
		}
	}
	if err := d.codecs.decode(d.w, info.Codec, payload); err != nil && d.w.err == nil && !isCut {
		ev.Kind, ev.Err = Corrupt, err
		d.damaged(ev)
	}
}

// locked reports an encrypted block that was not opened.
func (d *Decoder) locked(ev Event) {
	d.stats.LockedBlocks++
	d.event(ev)
}

// damaged reports a block whose payload did not decode to its end.
func (d *Decoder) damaged(ev Event) {
	d.stats.DamagedBlocks++
	d.event(ev)
}

// teaFor agrees the TEA key for a session's client key, once per session.
func (d *Decoder) teaFor(clientKey *[format.KeySize]byte) (crypt.TEA, error) {
	if t, ok := d.teaCache[*clientKey]; ok {
		return t, nil
	}
	t, err := crypt.MarsReaderCipher(d.marsKey, clientKey[:])
	if err != nil {
		return t, err
	}
	if len(d.teaCache) >= maxTEACache {
		clear(d.teaCache)
	}
	d.teaCache[*clientKey] = t
	return t, nil
}

// Errors carried by HPKE events.
var (
	errWrongHPKEKey = errors.New("block sealed for another HPKE key")
	errNoFinal      = errors.New("no final record: block cut short")
	errTornRecord   = errors.New("last record cut short")
	errAfterFinal   = errors.New("data after the final record")
)

// hpkeKeyFits reports whether an HPKE block names the decoder's key; when
// not, it fills in ev as NoKey or BadKey.
func (d *Decoder) hpkeKeyFits(h *format.Header, ev *Event) bool {
	switch {
	case d.hpkeKey == nil:
		ev.Kind = NoKey
	case [crypt.HPKEKeyIDSize]byte(h.Key[crypt.HPKEEncSize:]) != d.hpkeID:
		ev.Kind, ev.Err = BadKey, errWrongHPKEKey
	default:
		return true
	}
	return false
}

// openHPKE opens the sealed records of a block (FORMAT.md) and returns the
// compressed stream they carry. On damage it returns what authenticated
// before it, with the event to report. The caller checked the key
// (hpkeKeyFits).
func (d *Decoder) openHPKE(h *format.Header, p []byte, ev Event) ([]byte, *Event) {
	// A copy, so that h (and every block's header) does not escape.
	enc := bytes.Clone(h.Key[:crypt.HPKEEncSize])
	op, err := crypt.NewHPKEOpener(d.hpkeKey, enc)
	if err != nil {
		ev.Kind, ev.Err = BadKey, err
		return nil, &ev
	}
	aad := [4]byte{byte(h.Magic), byte(h.Seq), byte(h.Seq >> 8), 0}
	final := [4]byte{aad[0], aad[1], aad[2], 1}
	plain := d.codecs.plain[:0]
	defer func() { d.codecs.plain = plain[:0] }()
	done := false
	for len(p) > 0 {
		if done {
			ev.Kind, ev.Err = Tampered, errAfterFinal
			return plain, &ev
		}
		if len(p) < 2 || len(p) < 2+int(binary.LittleEndian.Uint16(p)) {
			ev.Kind, ev.Err = Truncated, errTornRecord
			return plain, &ev
		}
		n := int(binary.LittleEndian.Uint16(p))
		ct := p[2 : 2+n]
		p = p[2+n:]
		pt, err := op.Open(ct, aad[:])
		if err != nil {
			if end, ferr := op.Open(ct, final[:]); ferr == nil && len(end) == 0 {
				done = true
				continue
			}
			ev.Kind, ev.Err = Tampered, err
			return plain, &ev
		}
		plain = append(plain, pt...)
	}
	if !done {
		ev.Kind, ev.Err = Truncated, errNoFinal
		return plain, &ev
	}
	return plain, nil
}

// openHPKESync opens a sync block: one AEAD ciphertext under the session's
// exported sync key, nonce = the counter in the key field (FORMAT.md).
func (d *Decoder) openHPKESync(h *format.Header, p []byte, ev Event) ([]byte, *Event) {
	enc := [crypt.HPKEEncSize]byte(h.Key[:])
	aead, ok := d.syncAEADs[enc]
	if !ok {
		op, err := crypt.NewHPKEOpener(d.hpkeKey, enc[:])
		if err == nil {
			aead, err = crypt.HPKESyncAEAD(op)
		}
		if err != nil {
			ev.Kind, ev.Err = BadKey, err
			return nil, &ev
		}
		if len(d.syncAEADs) >= maxTEACache {
			clear(d.syncAEADs)
		}
		d.syncAEADs[enc] = aead
	}
	counter := binary.LittleEndian.Uint64(h.Key[crypt.HPKEEncSize+crypt.HPKEKeyIDSize:])
	nonce := crypt.HPKESyncNonce(counter)
	aad := [4]byte{byte(h.Magic), byte(h.Seq), byte(h.Seq >> 8), 1}
	pt, err := aead.Open(d.codecs.plain[:0], nonce[:], p, aad[:])
	if err != nil {
		ev.Kind, ev.Err = Tampered, err
		return nil, &ev
	}
	d.codecs.plain = pt[:0]
	return pt, nil
}
