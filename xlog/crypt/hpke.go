package crypt

import (
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

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

// The one suite we write is RFC 9180 base mode with DHKEM(X25519,
// HKDF-SHA256), HKDF-SHA256 and ChaCha20-Poly1305 (fast without AES
// hardware, common on phones), in hpke_suite.go. Files written by the
// earlier cloudflare/circl- and crypto/hpke-backed writers decode unchanged
// (xlog/decode's TestDecodeHPKEGoldenFiles holds circl-written files), and
// the tests pin the suite to RFC 9180's test vector and to crypto/hpke in
// both directions.

// hpkeInfo binds every context to this use, so a key reused elsewhere
// cannot open our records.
const hpkeInfo = "mars-go xlog block v1"

// hpkeSyncLabel names the exporter secret sync blocks are sealed with.
const hpkeSyncLabel = "mars-go xlog sync v1"

// HPKESyncCounterSize is the per-session counter a sync block carries after
// the key id; it is the AEAD nonce of that block.
const HPKESyncCounterSize = 8

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

// HPKEKeyID is a fingerprint of the recipient key (first 8 bytes of its
// SHA-256). Writers store it in the header so a decoder holding another key
// says "wrong key" instead of "tampered".
func HPKEKeyID(pk HPKEPublicKey) ([HPKEKeyIDSize]byte, error) {
	var id [HPKEKeyIDSize]byte
	b, err := pk.MarshalBinary()
	if err != nil {
		return id, err
	}
	sum := sha256.Sum256(b)
	copy(id[:], sum[:])
	return id, nil
}

// HPKEPublicOf returns the public key of sk, for key-id checks.
func HPKEPublicOf(sk HPKEPrivateKey) HPKEPublicKey { return sk.Public() }

// HPKESyncAEAD derives, from one session's HPKE context, the AEAD that seals
// its sync blocks. Sync blocks hold one line each, so an X25519
// encapsulation per block would cost far more than the line; instead one
// context per session exports a ChaCha20-Poly1305 key and every block
// names its nonce (a counter) in the header.
func HPKESyncAEAD(ctx HPKEContext) (cipher.AEAD, error) {
	return chacha20poly1305.New(ctx.Export([]byte(hpkeSyncLabel), chacha20poly1305.KeySize))
}

// HPKESyncNonce is the AEAD nonce of sync block number counter.
func HPKESyncNonce(counter uint64) [chacha20poly1305.NonceSize]byte {
	var n [chacha20poly1305.NonceSize]byte
	binary.LittleEndian.PutUint64(n[chacha20poly1305.NonceSize-HPKESyncCounterSize:], counter)
	return n
}
