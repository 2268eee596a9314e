package crypt

import (
	"crypto/ecdh"
	"crypto/hpke"
	"encoding/hex"
	"fmt"
)

// HPKE key and context types, backed by Go's crypto/hpke. They are
// interfaces so that tests and callers never depend on crypto/hpke's own
// argument order (its Seal and Open take the aad first).
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
	}
	// HPKEOpener opens the records of one block, in order; a record that
	// fails to open does not advance the sequence.
	HPKEOpener interface {
		HPKEContext
		Open(ciphertext, aad []byte) ([]byte, error)
	}
)

// The suite's parts. DHKEM(X25519) is the only KEM named, so the linker
// keeps no other curve for HPKE.
var (
	hpkeKEM  = hpke.DHKEM(ecdh.X25519())
	hpkeKDF  = hpke.HKDFSHA256()
	hpkeAEAD = hpke.ChaCha20Poly1305()
)

type stdPublicKey struct{ k hpke.PublicKey }

func (p stdPublicKey) MarshalBinary() ([]byte, error) { return p.k.Bytes(), nil }

type stdPrivateKey struct{ k hpke.PrivateKey }

func (s stdPrivateKey) MarshalBinary() ([]byte, error) { return s.k.Bytes() }
func (s stdPrivateKey) Public() HPKEPublicKey          { return stdPublicKey{s.k.PublicKey()} }

type stdSealer struct{ s *hpke.Sender }

func (s stdSealer) Seal(pt, aad []byte) ([]byte, error) { return s.s.Seal(aad, pt) }
func (s stdSealer) Export(label []byte, n uint) []byte {
	return exported(s.s.Export(string(label), int(n)))
}

type stdOpener struct{ r *hpke.Recipient }

func (o stdOpener) Open(ct, aad []byte) ([]byte, error) { return o.r.Open(aad, ct) }
func (o stdOpener) Export(label []byte, n uint) []byte {
	return exported(o.r.Export(string(label), int(n)))
}

// exported drops the error of an over-long export: a nil secret is refused
// by every key constructor, so the failure still surfaces.
func exported(secret []byte, err error) []byte {
	if err != nil {
		return nil
	}
	return secret
}

// ParseHPKEPublicKey parses "x25519:<64 hex>".
func ParseHPKEPublicKey(s string) (HPKEPublicKey, error) {
	raw, err := prefixedHex(s, HPKEPublicPrefix)
	if err != nil {
		return nil, err
	}
	pk, err := hpkeKEM.NewPublicKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return stdPublicKey{pk}, nil
}

// ParseHPKEPrivateKey parses "x25519-secret:<64 hex>".
func ParseHPKEPrivateKey(s string) (HPKEPrivateKey, error) {
	raw, err := prefixedHex(s, HPKEPrivatePrefix)
	if err != nil {
		return nil, err
	}
	sk, err := hpkeKEM.NewPrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return stdPrivateKey{sk}, nil
}

// GenerateHPKEKey makes a recipient key pair in printed form.
func GenerateHPKEKey() (priv, pub string, err error) {
	sk, err := hpkeKEM.GenerateKey()
	if err != nil {
		return "", "", err
	}
	skb, err := sk.Bytes()
	if err != nil {
		return "", "", err
	}
	return HPKEPrivatePrefix + hex.EncodeToString(skb), HPKEPublicPrefix + hex.EncodeToString(sk.PublicKey().Bytes()), nil
}

// NewHPKESealer starts one HPKE context (one block) to pk and returns the
// encapsulated key that the header carries.
func NewHPKESealer(pk HPKEPublicKey) (enc []byte, s HPKESealer, err error) {
	p, ok := pk.(stdPublicKey)
	if !ok {
		return nil, nil, fmt.Errorf("%w: not an HPKE public key from this package", ErrBadKey)
	}
	enc, snd, err := hpke.NewSender(p.k, hpkeKDF, hpkeAEAD, []byte(hpkeInfo))
	if err != nil {
		return nil, nil, err
	}
	return enc, stdSealer{snd}, nil
}

// NewHPKEOpener opens the context a block's encapsulated key names.
func NewHPKEOpener(sk HPKEPrivateKey, enc []byte) (HPKEOpener, error) {
	k, ok := sk.(stdPrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: not an HPKE private key from this package", ErrBadKey)
	}
	rcv, err := hpke.NewRecipient(enc, k.k, hpkeKDF, hpkeAEAD, []byte(hpkeInfo))
	if err != nil {
		return nil, err
	}
	return stdOpener{rcv}, nil
}
