// Package x25519 is the X25519 function of RFC 7748: a Montgomery ladder
// over filippo.io/edwards25519's constant-time field arithmetic.
//
// It exists so the xlog library does not import crypto/ecdh, whose FIPS
// self-test inits link the NIST curves (P-256 tables and all) although xlog
// uses only X25519. The tests hold it to RFC 7748's vectors and to
// crypto/ecdh on random and fuzzed inputs.
package x25519

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"

	"filippo.io/edwards25519/field"
)

// Sizes of scalars (private keys) and of u-coordinates (public keys and
// shared secrets).
const (
	ScalarSize = 32
	PointSize  = 32
)

// basepoint is the u-coordinate 9 (RFC 7748 §4.1).
var basepoint = [PointSize]byte{9}

// ErrLowOrder is returned when a shared secret is all zero: the peer's
// point has small order, so the result does not depend on our key (RFC
// 7748 §6.1, RFC 9180 §7.1.4).
var ErrLowOrder = errors.New("x25519: low-order point gives an all-zero shared secret")

var errSize = errors.New("x25519: scalar and point must be 32 bytes")

// GenerateKey returns a new private key from crypto/rand, clamped as RFC
// 7748 §5 decodes scalars (so the stored key is the scalar in use), and
// its public key.
func GenerateKey() (priv, pub [ScalarSize]byte, err error) {
	if _, err := rand.Read(priv[:]); err != nil {
		return priv, pub, err
	}
	clamp(&priv)
	ladder(&pub, &priv, &basepoint)
	return priv, pub, nil
}

// PublicKey returns scalar·9, the public key of a private key.
func PublicKey(scalar []byte) ([PointSize]byte, error) {
	var out [PointSize]byte
	if len(scalar) != ScalarSize {
		return out, errSize
	}
	ladder(&out, (*[ScalarSize]byte)(scalar), &basepoint)
	return out, nil
}

// X25519 returns scalar·point, the shared secret of a private key and a
// peer's public key. It fails with ErrLowOrder when the result is all
// zero.
func X25519(scalar, point []byte) ([PointSize]byte, error) {
	var out [PointSize]byte
	if len(scalar) != ScalarSize || len(point) != PointSize {
		return out, errSize
	}
	ladder(&out, (*[ScalarSize]byte)(scalar), (*[PointSize]byte)(point))
	var zero [PointSize]byte
	if subtle.ConstantTimeCompare(out[:], zero[:]) == 1 {
		return out, ErrLowOrder
	}
	return out, nil
}

// clamp decodes a scalar as RFC 7748 §5 says: clear the three low bits and
// the top bit, set bit 254.
func clamp(k *[ScalarSize]byte) {
	k[0] &= 248
	k[31] &= 127
	k[31] |= 64
}

// ladder sets out to the u-coordinate of scalar·point with RFC 7748 §5's
// Montgomery ladder: a fixed 255 steps of one conditional swap, one
// addition and one doubling, so its timing does not depend on the scalar.
// The point's top bit is ignored and non-canonical values are accepted,
// as the RFC asks.
func ladder(out *[PointSize]byte, scalar *[ScalarSize]byte, point *[PointSize]byte) {
	k := *scalar
	clamp(&k)

	var x1, x2, z2, x3, z3, tmp0, tmp1 field.Element
	if _, err := x1.SetBytes(point[:]); err != nil {
		panic(err) // 32 bytes by type
	}
	x2.One()
	x3.Set(&x1)
	z3.One()

	swap := 0
	for pos := 254; pos >= 0; pos-- {
		b := int(k[pos/8]>>uint(pos&7)) & 1
		swap ^= b
		x2.Swap(&x3, swap)
		z2.Swap(&z3, swap)
		swap = b

		tmp0.Subtract(&x3, &z3)
		tmp1.Subtract(&x2, &z2)
		x2.Add(&x2, &z2)
		z2.Add(&x3, &z3)
		z3.Multiply(&tmp0, &x2)
		z2.Multiply(&z2, &tmp1)
		tmp0.Square(&tmp1)
		tmp1.Square(&x2)
		x3.Add(&z3, &z2)
		z2.Subtract(&z3, &z2)
		x2.Multiply(&tmp1, &tmp0)
		tmp1.Subtract(&tmp1, &tmp0)
		z2.Square(&z2)
		z3.Mult32(&tmp1, 121666) // a24 + 1 = (486662+2)/4
		x3.Square(&x3)
		tmp0.Add(&tmp0, &z3)
		z3.Multiply(&x1, &z2)
		z2.Multiply(&tmp1, &tmp0)
	}
	x2.Swap(&x3, swap)
	z2.Swap(&z3, swap)

	z2.Invert(&z2) // 0 stays 0, so a low-order point gives all zeros
	x2.Multiply(&x2, &z2)
	copy(out[:], x2.Bytes())
}
