package crypt

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/cloudflare/circl/hpke"
	"github.com/cloudflare/circl/kem"
	"golang.org/x/crypto/chacha20poly1305"
)

// Printed forms of HPKE keys: the prefix names the KEM so a config string
// says which kind of key it is (a Mars key is bare hex).
const (
	HPKEPublicPrefix  = "x25519:"
	HPKEPrivatePrefix = "x25519-secret:"
	// HPKEEncSize is the encapsulated key stored in the block header.
	HPKEEncSize = 32
	// HPKEKeyIDSize is the recipient key fingerprint stored after it.
	HPKEKeyIDSize = 8
	// HPKEOverhead is the AEAD tag added to every sealed record.
	HPKEOverhead = 16
)

// hpkeSuite is the one suite we write: X25519 + HKDF-SHA256 +
// ChaCha20-Poly1305 (fast without AES hardware, common on phones).
var hpkeSuite = hpke.NewSuite(hpke.KEM_X25519_HKDF_SHA256, hpke.KDF_HKDF_SHA256, hpke.AEAD_ChaCha20Poly1305)

// hpkeInfo binds every context to this use, so a key reused elsewhere
// cannot open our records.
var hpkeInfo = []byte("mars-go xlog block v1")

// ParseHPKEPublicKey parses "x25519:<64 hex>".
func ParseHPKEPublicKey(s string) (kem.PublicKey, error) {
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
func ParseHPKEPrivateKey(s string) (kem.PrivateKey, error) {
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

func prefixedHex(s, prefix string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return nil, fmt.Errorf("%w: want prefix %q", ErrBadKey, prefix)
	}
	raw, err := hex.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	return raw, nil
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

// HPKEKeyID is a fingerprint of the recipient key (first 8 bytes of its
// SHA-256). Writers store it in the header so a decoder holding another key
// says "wrong key" instead of "tampered".
func HPKEKeyID(pk kem.PublicKey) ([HPKEKeyIDSize]byte, error) {
	var id [HPKEKeyIDSize]byte
	b, err := pk.MarshalBinary()
	if err != nil {
		return id, err
	}
	sum := sha256.Sum256(b)
	copy(id[:], sum[:])
	return id, nil
}

// NewHPKESealer starts one HPKE context (one block) to pk and returns the
// encapsulated key that the header carries.
func NewHPKESealer(pk kem.PublicKey) (enc []byte, s hpke.Sealer, err error) {
	snd, err := hpkeSuite.NewSender(pk, hpkeInfo)
	if err != nil {
		return nil, nil, err
	}
	return snd.Setup(rand.Reader)
}

// NewHPKEOpener opens the context a block's encapsulated key names.
func NewHPKEOpener(sk kem.PrivateKey, enc []byte) (hpke.Opener, error) {
	rcv, err := hpkeSuite.NewReceiver(sk, hpkeInfo)
	if err != nil {
		return nil, err
	}
	return rcv.Setup(enc)
}

// HPKEPublicOf returns the public key of sk, for key-id checks.
func HPKEPublicOf(sk kem.PrivateKey) kem.PublicKey { return sk.Public() }

// HPKESyncCounterSize is the per-session counter a sync block carries after
// the key id; it is the AEAD nonce of that block.
const HPKESyncCounterSize = 8

// hpkeSyncLabel names the exporter secret sync blocks are sealed with.
var hpkeSyncLabel = []byte("mars-go xlog sync v1")

// HPKESyncAEAD derives, from one session's HPKE context, the AEAD that seals
// its sync blocks. Sync blocks hold one line each, so an X25519
// encapsulation per block would cost far more than the line; instead one
// context per session exports a ChaCha20-Poly1305 key and every block
// names its nonce (a counter) in the header.
func HPKESyncAEAD(ctx hpke.Context) (cipher.AEAD, error) {
	return chacha20poly1305.New(ctx.Export(hpkeSyncLabel, chacha20poly1305.KeySize))
}

// HPKESyncNonce is the AEAD nonce of sync block number counter.
func HPKESyncNonce(counter uint64) [chacha20poly1305.NonceSize]byte {
	var n [chacha20poly1305.NonceSize]byte
	binary.LittleEndian.PutUint64(n[chacha20poly1305.NonceSize-HPKESyncCounterSize:], counter)
	return n
}
