package crypt

import (
	"crypto/sha256"
	"errors"
)

// HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869) over crypto/sha256.
// crypto/hkdf and crypto/hmac import crypto/sha3 (to unwrap FIPS hashes),
// whose init registers every SHA-3 variant and so links them all; HPKE
// here needs SHA-256 only. hkdf_test.go holds these to RFC 5869's vectors
// and to crypto/hkdf.

const sha256BlockSize = 64

// hmacSHA256 returns HMAC-SHA256(key, the concatenation of parts).
func hmacSHA256(key []byte, parts ...[]byte) [sha256.Size]byte {
	var pad [sha256BlockSize]byte
	if len(key) > sha256BlockSize {
		sum := sha256.Sum256(key)
		copy(pad[:], sum[:])
	} else {
		copy(pad[:], key)
	}
	for i := range pad {
		pad[i] ^= 0x36
	}
	h := sha256.New()
	h.Write(pad[:])
	for _, p := range parts {
		h.Write(p)
	}
	var inner, out [sha256.Size]byte
	h.Sum(inner[:0])
	for i := range pad {
		pad[i] ^= 0x36 ^ 0x5c
	}
	h.Reset()
	h.Write(pad[:])
	h.Write(inner[:])
	h.Sum(out[:0])
	return out
}

// hkdfExtract is HKDF-Extract(salt, ikm); an empty salt is HashLen zero
// bytes, which HMAC's zero padding makes the same key.
func hkdfExtract(salt, ikm []byte) []byte {
	prk := hmacSHA256(salt, ikm)
	return prk[:]
}

var errHKDFLength = errors.New("hkdf: requested length over 255*32 bytes")

// hkdfExpand is HKDF-Expand(prk, info, length).
func hkdfExpand(prk, info []byte, length int) ([]byte, error) {
	if length < 0 || length > 255*sha256.Size {
		return nil, errHKDFLength
	}
	out := make([]byte, 0, length+sha256.Size)
	var t []byte
	for i := 1; len(out) < length; i++ {
		block := hmacSHA256(prk, t, info, []byte{byte(i)})
		t = block[:]
		out = append(out, t...)
	}
	return out[:length], nil
}
