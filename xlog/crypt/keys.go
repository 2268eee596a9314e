// Package crypt holds the xlog crypters and their keys: Mars's
// secp256k1 ECDH + 16-round TEA and our HPKE
// mode (X25519, HKDF-SHA256, ChaCha20-Poly1305; see xlog/format/FORMAT.md).
// It knows nothing about blocks; xlog/block and xlog/decode apply it.
package crypt

import (
	"fmt"
	"strings"
)

// Kind says which crypt a printed key belongs to.
type Kind int

// Key kinds.
const (
	KindNone Kind = iota // "": no encryption
	KindMars             // 128 hex (public) or 64 hex (private)
	KindHPKE             // "x25519:…" (public) or "x25519-secret:…" (private)
)

func (k Kind) String() string {
	switch k {
	case KindNone:
		return "none"
	case KindMars:
		return "mars"
	case KindHPKE:
		return "hpke"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// PublicKeyKind tells which kind of public key s is, by its form only.
func PublicKeyKind(s string) (Kind, error) {
	switch {
	case s == "":
		return KindNone, nil
	case strings.HasPrefix(s, HPKEPublicPrefix):
		return KindHPKE, nil
	case len(s) == MarsPublicKeyHexLen:
		return KindMars, nil
	}
	return KindNone, fmt.Errorf("%w: neither %d hex chars (mars) nor %q… (hpke)", ErrBadKey, MarsPublicKeyHexLen, HPKEPublicPrefix)
}

// PrivateKeys is what a decoder holds: zero, one or both kinds.
type PrivateKeys struct {
	Mars string // 64 hex
	HPKE string // "x25519-secret:<hex>"
}

// AddPrivateKey files s under its kind.
func (p *PrivateKeys) AddPrivateKey(s string) error {
	switch {
	case strings.HasPrefix(s, HPKEPrivatePrefix):
		if _, err := ParseHPKEPrivateKey(s); err != nil {
			return err
		}
		p.HPKE = s
	case len(s) == MarsPrivateKeyHexLen:
		if _, err := ParseMarsPrivateKey(s); err != nil {
			return err
		}
		p.Mars = s
	default:
		return fmt.Errorf("%w: neither %d hex chars (mars) nor %q… (hpke)", ErrBadKey, MarsPrivateKeyHexLen, HPKEPrivatePrefix)
	}
	return nil
}
