package block

import (
	"crypto/cipher"
	"encoding/binary"

	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// crypter turns the compressed bytes of each line into their on-disk form
// inside the open block.
type crypter interface {
	// begin starts a block: it fills the header's key field.
	begin(magic format.Magic, seq uint16, key *[format.KeySize]byte) error
	// appendChunk appends chunk's on-disk form to dst, whose payload starts
	// at payloadStart.
	appendChunk(dst []byte, payloadStart int, chunk []byte) ([]byte, error)
	// finish appends what closes the payload (HPKE: the final record).
	finish(dst []byte) []byte
	// overhead is the most bytes appendChunk adds for an n-byte chunk.
	overhead(n int) int
	// finishReserve is the most bytes finish appends.
	finishReserve() int
	// rewritable says whether the next chunk may rewrite the payload's
	// last byte (not when chunks are sealed as records), and the size of
	// the groups sealed in place once whole (0: none), whose last byte it
	// may not be.
	rewritable() (ok bool, group int)
	// journalSize is the room the crypter keeps for itself at the end of
	// cap(dst), which Recover reads (teaCrypt); Start voids it.
	journalSize() int
	// keepTail saves, in that room, what of the committed payload the
	// next chunk may change in place, for Recover to put back should a
	// crash come before the length grows.
	keepTail(region, payload []byte)
}

// noCrypt stores the compressed stream as it is.
type noCrypt struct{}

func (noCrypt) begin(format.Magic, uint16, *[format.KeySize]byte) error { return nil }
func (noCrypt) appendChunk(dst []byte, _ int, c []byte) ([]byte, error) {
	return append(dst, c...), nil
}
func (noCrypt) finish(dst []byte) []byte { return dst }
func (noCrypt) overhead(n int) int       { return n }
func (noCrypt) finishReserve() int       { return 0 }
func (noCrypt) rewritable() (bool, int)  { return true, 0 }
func (noCrypt) journalSize() int         { return 0 }
func (noCrypt) keepTail(_, _ []byte)     {}

// teaCrypt is Mars's crypt: all whole 8-byte groups of the payload (counted
// from the payload start) encrypted, the last 0..7 bytes left clear until
// the next line completes their group.
type teaCrypt struct {
	s    *crypt.MarsSession
	done int // payload bytes already encrypted (a multiple of 8)
}

func (t *teaCrypt) begin(_ format.Magic, _ uint16, key *[format.KeySize]byte) error {
	*key = t.s.ClientKey
	t.done = 0
	return nil
}

func (t *teaCrypt) appendChunk(dst []byte, payloadStart int, c []byte) ([]byte, error) {
	dst = append(dst, c...)
	p := dst[payloadStart:]
	whole := len(p) &^ (crypt.TEABlockSize - 1)
	t.s.Cipher.EncryptGroups(p[t.done:whole])
	t.done = whole
	return dst, nil
}

func (t *teaCrypt) finish(dst []byte) []byte { return dst }
func (t *teaCrypt) overhead(n int) int       { return n }
func (t *teaCrypt) finishReserve() int       { return 0 }
func (t *teaCrypt) rewritable() (bool, int)  { return true, crypt.TEABlockSize }
func (t *teaCrypt) journalSize() int         { return teaJournalSize }

// keepTail journals the committed clear tail (the bytes past the last whole
// group), which the next chunk changes in place: the zlib stream's carried
// byte is rewritten, and the group is encrypted once whole. Either would,
// until the caller updates the length, leave a buffer whose last line
// decodes to garbage, a line whose Log call had returned.
func (t *teaCrypt) keepTail(region, payload []byte) {
	if n := len(payload); n%crypt.TEABlockSize != 0 {
		saveTEATail(region, payload[n&^(crypt.TEABlockSize-1):], n)
	}
}

// teaJournalSize: the clear tail (up to 7 bytes, padded to 8), then the
// payload length it ends at, u32 little-endian (0: no journal).
const teaJournalSize = crypt.TEABlockSize + 4

// saveTEATail writes the journal at the end of region. The length goes
// last: once it matches the header's, the copy is complete.
func saveTEATail(region, tail []byte, n int) {
	j := region[len(region)-teaJournalSize:]
	copy(j, tail)
	binary.LittleEndian.PutUint32(j[crypt.TEABlockSize:], uint32(n))
}

// restoreTEATail puts back the clear tail of payload (the n bytes the
// header's length covers) from the journal at the end of region when the
// journal is for this length: a crash cut appendChunk short after it began
// to encrypt that tail in place. When the tail was not touched yet the copy
// changes nothing.
func restoreTEATail(payload, region []byte) {
	n := len(payload)
	if n%crypt.TEABlockSize == 0 || len(region) < teaJournalSize {
		return
	}
	j := region[len(region)-teaJournalSize:]
	if binary.LittleEndian.Uint32(j[crypt.TEABlockSize:]) != uint32(n) {
		return
	}
	copy(payload[n&^(crypt.TEABlockSize-1):], j[:n%crypt.TEABlockSize])
}

// hpkeCrypt seals each chunk as one record: u16 length, then the
// ciphertext (chunk + 16-byte tag). The associated data is the block's
// magic and seq plus a final flag, so records cannot move between blocks
// and a block missing its final record is known to be cut short.
//
// A block's sealer costs two X25519 multiplications, which begin made under
// the logger's lock: every logging thread waited for them once a block.
// So the next block's sealer is made ahead, on a goroutine of its own;
// begin takes it if it is ready and makes one itself if not.
type hpkeCrypt struct {
	pk    crypt.HPKEPublicKey
	keyID [crypt.HPKEKeyIDSize]byte
	s     crypt.HPKESealer
	aad   [hpkeAADSize]byte

	spare     chan hpkeSealer // holds the sealer made ahead; capacity 1
	preparing bool            // a sealer made ahead is owed to spare
}

// hpkeSealer is the outcome of one crypt.NewHPKESealer.
type hpkeSealer struct {
	enc []byte
	s   crypt.HPKESealer
	err error
}

func newHPKESealer(pk crypt.HPKEPublicKey) hpkeSealer {
	enc, s, err := crypt.NewHPKESealer(pk)
	return hpkeSealer{enc, s, err}
}

// hpkeAADSize: magic(1) seq(2) final(1).
const hpkeAADSize = 4

// hpkeRecordHeader is the u16 ciphertext length before every record.
const hpkeRecordHeader = 2

func newHPKECrypt(pk crypt.HPKEPublicKey) (*hpkeCrypt, error) {
	id, err := crypt.HPKEKeyID(pk)
	if err != nil {
		return nil, err
	}
	return &hpkeCrypt{pk: pk, keyID: id, spare: make(chan hpkeSealer, 1)}, nil
}

func (h *hpkeCrypt) begin(magic format.Magic, seq uint16, key *[format.KeySize]byte) error {
	var next hpkeSealer
	select {
	case next = <-h.spare:
		h.preparing = false
	default: // the first block, or blocks faster than the goroutine
		next = newHPKESealer(h.pk)
	}
	if !h.preparing {
		// It ends once it has sent; a sealer left in spare when the
		// logger closes is garbage with the channel.
		h.preparing = true
		go func(pk crypt.HPKEPublicKey, spare chan<- hpkeSealer) { spare <- newHPKESealer(pk) }(h.pk, h.spare)
	}
	if next.err != nil {
		return next.err
	}
	h.s = next.s
	*key = [format.KeySize]byte{}
	copy(key[:], next.enc)
	copy(key[crypt.HPKEEncSize:], h.keyID[:])
	h.aad = [hpkeAADSize]byte{byte(magic), byte(seq), byte(seq >> 8), 0}
	return nil
}

func (h *hpkeCrypt) appendChunk(dst []byte, _ int, c []byte) ([]byte, error) {
	for first := true; first || len(c) > 0; first = false {
		piece := c[:min(len(c), MaxChunk)]
		c = c[len(piece):]
		at := len(dst)
		sealed, err := h.s.SealAppend(append(dst, 0, 0), piece, h.aad[:])
		if err != nil {
			return dst[:at], err
		}
		binary.LittleEndian.PutUint16(sealed[at:], uint16(len(sealed)-at-hpkeRecordHeader))
		dst = sealed
	}
	return dst, nil
}

func (h *hpkeCrypt) finish(dst []byte) []byte {
	aad := h.aad
	aad[hpkeAADSize-1] = 1
	at := len(dst)
	sealed, err := h.s.SealAppend(append(dst, 0, 0), nil, aad[:])
	if err != nil {
		// Only a nonce overflow fails; the decoder then reports the block
		// as cut short, which is the truth.
		return dst[:at]
	}
	binary.LittleEndian.PutUint16(sealed[at:], uint16(len(sealed)-at-hpkeRecordHeader))
	return sealed
}

func (h *hpkeCrypt) overhead(n int) int {
	return n + (hpkeRecordHeader+hpkeTag)*(n/MaxChunk+1)
}

func (h *hpkeCrypt) finishReserve() int { return hpkeRecordHeader + hpkeTag }

// Sealed records cannot be rewritten.
func (h *hpkeCrypt) rewritable() (bool, int) { return false, 0 }
func (h *hpkeCrypt) journalSize() int        { return 0 }
func (h *hpkeCrypt) keepTail(_, _ []byte)    {}

// hpkeSyncCrypt seals sync blocks (MagicSyncHPKE): one HPKE context per
// builder, made at the first sync block; each block is one AEAD
// ciphertext of its line under the context's exported sync key, with the
// block's counter as nonce (FORMAT.md). The key field holds enc, the key
// id and the counter.
type hpkeSyncCrypt struct {
	pk      crypt.HPKEPublicKey
	keyID   [crypt.HPKEKeyIDSize]byte
	enc     []byte
	aead    cipher.AEAD
	counter uint64
	aad     [hpkeAADSize]byte
}

func newHPKESyncCrypt(pk crypt.HPKEPublicKey) (*hpkeSyncCrypt, error) {
	id, err := crypt.HPKEKeyID(pk)
	if err != nil {
		return nil, err
	}
	return &hpkeSyncCrypt{pk: pk, keyID: id}, nil
}

func (h *hpkeSyncCrypt) begin(magic format.Magic, seq uint16, key *[format.KeySize]byte) error {
	if h.aead == nil {
		enc, s, err := crypt.NewHPKESealer(h.pk)
		if err != nil {
			return err
		}
		if h.aead, err = crypt.HPKESyncAEAD(s); err != nil {
			return err
		}
		h.enc = enc
	}
	h.counter++
	*key = [format.KeySize]byte{}
	copy(key[:], h.enc)
	copy(key[crypt.HPKEEncSize:], h.keyID[:])
	binary.LittleEndian.PutUint64(key[crypt.HPKEEncSize+crypt.HPKEKeyIDSize:], h.counter)
	h.aad = [hpkeAADSize]byte{byte(magic), byte(seq), byte(seq >> 8), 1}
	return nil
}

func (h *hpkeSyncCrypt) appendChunk(dst []byte, _ int, c []byte) ([]byte, error) {
	nonce := crypt.HPKESyncNonce(h.counter)
	return h.aead.Seal(dst, nonce[:], c, h.aad[:]), nil
}

func (h *hpkeSyncCrypt) finish(dst []byte) []byte { return dst }
func (h *hpkeSyncCrypt) overhead(n int) int       { return n + hpkeTag }
func (h *hpkeSyncCrypt) finishReserve() int       { return 0 }
func (h *hpkeSyncCrypt) rewritable() (bool, int)  { return false, 0 }
func (h *hpkeSyncCrypt) journalSize() int         { return 0 }
func (h *hpkeSyncCrypt) keepTail(_, _ []byte)     {}
