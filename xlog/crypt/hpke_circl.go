//go:build !mars_std_hpke

package crypt

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/cloudflare/circl/hpke"
	"github.com/cloudflare/circl/kem"
)

// HPKE key and context types, as cloudflare/circl defines them.
type (
	// HPKEPublicKey is a recipient's X25519 public key.
	HPKEPublicKey = kem.PublicKey
	// HPKEPrivateKey is a recipient's X25519 private key.
	HPKEPrivateKey = kem.PrivateKey
	// HPKEContext is what sealers and openers share: the exporter.
	HPKEContext = hpke.Context
	// HPKESealer seals the records of one block, in order.
	HPKESealer = hpke.Sealer
	// HPKEOpener opens the records of one block, in order.
	HPKEOpener = hpke.Opener
)

var hpkeSuite = hpke.NewSuite(hpke.KEM_X25519_HKDF_SHA256, hpke.KDF_HKDF_SHA256, hpke.AEAD_ChaCha20Poly1305)

// ParseHPKEPublicKey parses "x25519:<64 hex>".
func ParseHPKEPublicKey(s string) (HPKEPublicKey, error) {
	raw, err := prefixedHex(s, HPKEPublicPrefix)
	if err != nil {
		return nil, err
	}
	pk, err := hpke.KEM_X25519_HKDF_SHA256.Scheme().UnmarshalBinaryPublicKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return pk, nil
}

// ParseHPKEPrivateKey parses "x25519-secret:<64 hex>".
func ParseHPKEPrivateKey(s string) (HPKEPrivateKey, error) {
	raw, err := prefixedHex(s, HPKEPrivatePrefix)
	if err != nil {
		return nil, err
	}
	sk, err := hpke.KEM_X25519_HKDF_SHA256.Scheme().UnmarshalBinaryPrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return sk, nil
}

// GenerateHPKEKey makes a recipient key pair in printed form.
func GenerateHPKEKey() (priv, pub string, err error) {
	pk, sk, err := hpke.KEM_X25519_HKDF_SHA256.Scheme().GenerateKeyPair()
	if err != nil {
		return "", "", err
	}
	skb, err := sk.MarshalBinary()
	if err != nil {
		return "", "", err
	}
	pkb, err := pk.MarshalBinary()
	if err != nil {
		return "", "", err
	}
	return HPKEPrivatePrefix + hex.EncodeToString(skb), HPKEPublicPrefix + hex.EncodeToString(pkb), nil
}

// NewHPKESealer starts one HPKE context (one block) to pk and returns the
// encapsulated key that the header carries.
func NewHPKESealer(pk HPKEPublicKey) (enc []byte, s HPKESealer, err error) {
	snd, err := hpkeSuite.NewSender(pk, []byte(hpkeInfo))
	if err != nil {
		return nil, nil, err
	}
	return snd.Setup(rand.Reader)
}

// NewHPKEOpener opens the context a block's encapsulated key names.
func NewHPKEOpener(sk HPKEPrivateKey, enc []byte) (HPKEOpener, error) {
	rcv, err := hpkeSuite.NewReceiver(sk, []byte(hpkeInfo))
	if err != nil {
		return nil, err
	}
	return rcv.Setup(enc)
}
