package crypt

import (
	"bytes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"github.com/mars-go/mars/xlog/internal/x25519"
	"golang.org/x/crypto/chacha20poly1305"
)

// RFC 9180 for the one suite we write, composed from xlog/internal/x25519,
// HKDF-SHA256 (hkdf.go) and x/crypto's ChaCha20-Poly1305. crypto/hpke
// would do the same, but importing it keeps every suite it can name
// (ML-KEM, SHA-3, AES, a second ChaCha20-Poly1305): 0.35 MB of the
// xlog-only library; and crypto/ecdh, for X25519 alone, keeps the NIST
// curves through its FIPS self-tests. hpke_compat_test.go checks every step
// against crypto/hpke in both directions.

// HPKE key and context types. They are interfaces so that callers and
// tests never depend on how the suite is implemented.
type (
	// HPKEPublicKey is a recipient's X25519 public key.
	HPKEPublicKey interface {
		MarshalBinary() ([]byte, error)
	}
	// HPKEPrivateKey is a recipient's X25519 private key.
	HPKEPrivateKey interface {
		MarshalBinary() ([]byte, error)
		Public() HPKEPublicKey
	}
	// HPKEContext is what sealers and openers share: the exporter (RFC
	// 9180 §5.3). It returns nil if length is beyond what HKDF-SHA256 can
	// export (255*32 bytes).
	HPKEContext interface {
		Export(exporterContext []byte, length uint) []byte
	}
	// HPKESealer seals the records of one block, in order.
	HPKESealer interface {
		HPKEContext
		Seal(plaintext, aad []byte) ([]byte, error)
		// SealAppend is Seal appending the ciphertext to dst (which
		// must not overlap plaintext), so a writer allocates nothing per
		// record.
		SealAppend(dst, plaintext, aad []byte) ([]byte, error)
	}
	// HPKEOpener opens the records of one block, in order; a record that
	// fails to open does not advance the sequence.
	HPKEOpener interface {
		HPKEContext
		Open(ciphertext, aad []byte) ([]byte, error)
	}
)

// Suite identifiers (RFC 9180 §7): DHKEM(X25519, HKDF-SHA256) 0x0020,
// HKDF-SHA256 0x0001, ChaCha20-Poly1305 0x0003.
var (
	kemSuiteID  = []byte{'K', 'E', 'M', 0x00, 0x20}
	hpkeSuiteID = []byte{'H', 'P', 'K', 'E', 0x00, 0x20, 0x00, 0x01, 0x00, 0x03}
)

// labeledExtract is RFC 9180 §4's LabeledExtract over HKDF-SHA256.
func labeledExtract(suiteID, salt []byte, label string, ikm []byte) []byte {
	in := make([]byte, 0, 7+len(suiteID)+len(label)+len(ikm))
	in = append(append(append(append(in, "HPKE-v1"...), suiteID...), label...), ikm...)
	return hkdfExtract(salt, in)
}

// labeledExpand is RFC 9180 §4's LabeledExpand; it fails only for a length
// over 255*32 bytes.
func labeledExpand(suiteID, prk []byte, label string, info []byte, length int) ([]byte, error) {
	if length < 0 || length > math.MaxUint16 {
		return nil, errors.New("hpke: export length out of range")
	}
	in := make([]byte, 0, 2+7+len(suiteID)+len(label)+len(info))
	in = binary.BigEndian.AppendUint16(in, uint16(length))
	in = append(append(append(append(in, "HPKE-v1"...), suiteID...), label...), info...)
	return hkdfExpand(prk, in, length)
}

// sharedSecret is DHKEM's ExtractAndExpand (RFC 9180 §4.1).
func sharedSecret(dh, enc, pkR []byte) []byte {
	kemContext := append(append(make([]byte, 0, len(enc)+len(pkR)), enc...), pkR...)
	prk := labeledExtract(kemSuiteID, nil, "eae_prk", dh)
	ss, err := labeledExpand(kemSuiteID, prk, "shared_secret", kemContext, 32)
	if err != nil {
		panic(err) // 32 bytes is always in range
	}
	return ss
}

// hpkeCtx is one base-mode context (RFC 9180 sections 5.1 and 5.2).
type hpkeCtx struct {
	aead      cipher.AEAD
	baseNonce [chacha20poly1305.NonceSize]byte
	exporter  []byte
	seq       uint64
	n         [chacha20poly1305.NonceSize]byte // the current record's nonce: a field, so it does not escape per record
}

func newContext(shared []byte, info string) (*hpkeCtx, error) {
	ks := make([]byte, 0, 1+2*sha256.Size)
	ks = append(ks, 0) // mode_base
	ks = append(ks, labeledExtract(hpkeSuiteID, nil, "psk_id_hash", nil)...)
	ks = append(ks, labeledExtract(hpkeSuiteID, nil, "info_hash", []byte(info))...)
	secret := labeledExtract(hpkeSuiteID, shared, "secret", nil)
	key, err := labeledExpand(hpkeSuiteID, secret, "key", ks, chacha20poly1305.KeySize)
	if err != nil {
		return nil, err
	}
	nonce, err := labeledExpand(hpkeSuiteID, secret, "base_nonce", ks, chacha20poly1305.NonceSize)
	if err != nil {
		return nil, err
	}
	exp, err := labeledExpand(hpkeSuiteID, secret, "exp", ks, sha256.Size)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, err
	}
	c := &hpkeCtx{aead: aead, exporter: exp}
	copy(c.baseNonce[:], nonce)
	return c, nil
}

// nonce is the base nonce XOR the sequence number (RFC 9180 §5.2).
func (c *hpkeCtx) nonce() ([chacha20poly1305.NonceSize]byte, error) {
	if c.seq == math.MaxUint64 {
		return [chacha20poly1305.NonceSize]byte{}, errors.New("hpke: message limit reached")
	}
	n := c.baseNonce
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], c.seq)
	for i, b := range seq {
		n[len(n)-8+i] ^= b
	}
	return n, nil
}

func (c *hpkeCtx) Seal(pt, aad []byte) ([]byte, error) { return c.SealAppend(nil, pt, aad) }

func (c *hpkeCtx) SealAppend(dst, pt, aad []byte) ([]byte, error) {
	n, err := c.nonce()
	if err != nil {
		return dst, err
	}
	c.seq++
	c.n = n
	return c.aead.Seal(dst, c.n[:], pt, aad), nil
}

func (c *hpkeCtx) Open(ct, aad []byte) ([]byte, error) {
	n, err := c.nonce()
	if err != nil {
		return nil, err
	}
	pt, err := c.aead.Open(nil, n[:], ct, aad)
	if err != nil {
		return nil, err
	}
	c.seq++
	return pt, nil
}

// Export returns nil for a length HKDF-SHA256 cannot give: a nil secret is
// refused by every key constructor, so the failure still surfaces.
func (c *hpkeCtx) Export(label []byte, n uint) []byte {
	if n > math.MaxUint16 {
		return nil
	}
	secret, err := labeledExpand(hpkeSuiteID, c.exporter, "sec", label, int(n))
	if err != nil {
		return nil
	}
	return secret
}

// x25519Public is a recipient's public key: a u-coordinate. Like
// crypto/ecdh, any 32 bytes are accepted; a low-order point is refused
// where it matters, when the shared secret comes out all zero.
type x25519Public struct{ u [x25519.PointSize]byte }

func (p x25519Public) MarshalBinary() ([]byte, error) { return bytes.Clone(p.u[:]), nil }

// x25519Private keeps the scalar as given (RFC 9180's DeriveKeyPair does not
// clamp; the ladder does) and its public key, which every Decap needs.
type x25519Private struct {
	k   [x25519.ScalarSize]byte
	pub x25519Public
}

func (s x25519Private) MarshalBinary() ([]byte, error) { return bytes.Clone(s.k[:]), nil }
func (s x25519Private) Public() HPKEPublicKey          { return s.pub }

func newX25519Private(k []byte) (x25519Private, error) {
	pub, err := x25519.PublicKey(k)
	if err != nil {
		return x25519Private{}, err
	}
	return x25519Private{k: [x25519.ScalarSize]byte(k), pub: x25519Public{pub}}, nil
}

// ParseHPKEPublicKey parses "x25519:<64 hex>".
func ParseHPKEPublicKey(s string) (HPKEPublicKey, error) {
	raw, err := prefixedHex(s, HPKEPublicPrefix)
	if err != nil {
		return nil, err
	}
	if len(raw) != x25519.PointSize {
		return nil, fmt.Errorf("%w: an X25519 public key is %d bytes, not %d", ErrBadKey, x25519.PointSize, len(raw))
	}
	return x25519Public{[x25519.PointSize]byte(raw)}, nil
}

// ParseHPKEPrivateKey parses "x25519-secret:<64 hex>".
func ParseHPKEPrivateKey(s string) (HPKEPrivateKey, error) {
	raw, err := prefixedHex(s, HPKEPrivatePrefix)
	if err != nil {
		return nil, err
	}
	sk, err := newX25519Private(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return sk, nil
}

// GenerateHPKEKey makes a recipient key pair in printed form.
func GenerateHPKEKey() (priv, pub string, err error) {
	sk, pk, err := x25519.GenerateKey()
	if err != nil {
		return "", "", err
	}
	return HPKEPrivatePrefix + hex.EncodeToString(sk[:]), HPKEPublicPrefix + hex.EncodeToString(pk[:]), nil
}

// NewHPKESealer starts one HPKE context (one block) to pk and returns the
// encapsulated key that the header carries.
func NewHPKESealer(pk HPKEPublicKey) (enc []byte, s HPKESealer, err error) {
	eph, pub, err := x25519.GenerateKey()
	if err != nil {
		return nil, nil, err
	}
	return sealerFrom(pk, eph[:], pub[:], hpkeInfo)
}

// sealerFrom is Encap plus the sender's key schedule with a given
// ephemeral key pair (enc: eph's public key, which GenerateKey has already
// computed), so tests can replay known answers.
func sealerFrom(pk HPKEPublicKey, eph, enc []byte, info string) ([]byte, *hpkeCtx, error) {
	p, ok := pk.(x25519Public)
	if !ok {
		return nil, nil, fmt.Errorf("%w: not an HPKE public key from this package", ErrBadKey)
	}
	dh, err := x25519.X25519(eph, p.u[:]) // fails on an all-zero result, as RFC 9180 §7.1.4 asks
	if err != nil {
		return nil, nil, err
	}
	c, err := newContext(sharedSecret(dh[:], enc, p.u[:]), info)
	if err != nil {
		return nil, nil, err
	}
	return enc, c, nil
}

// NewHPKEOpener opens the context a block's encapsulated key names.
func NewHPKEOpener(sk HPKEPrivateKey, enc []byte) (HPKEOpener, error) {
	return openerFrom(sk, enc, hpkeInfo)
}

// openerFrom is Decap plus the recipient's key schedule.
func openerFrom(sk HPKEPrivateKey, enc []byte, info string) (*hpkeCtx, error) {
	k, ok := sk.(x25519Private)
	if !ok {
		return nil, fmt.Errorf("%w: not an HPKE private key from this package", ErrBadKey)
	}
	dh, err := x25519.X25519(k.k[:], enc) // fails on a wrong length and on an all-zero result (RFC 9180 §7.1.4)
	if err != nil {
		return nil, err
	}
	return newContext(sharedSecret(dh[:], enc, k.pub.u[:]), info)
}
