package crypt

import (
	"crypto/rand"
	"encoding/binary"
	"math/bits"
)

// secp256k1 arithmetic for Mars's key agreement: parse and check points,
// make keys, multiply a point by a scalar. Only these few operations are
// needed. The general library (decred's) cost 0.8 MB of libmars.so: a
// 0.7 MB precomputed table and, through crypto/ecdsa, every NIST curve;
// math/big, which replaced it, still cost 0.1 MB of the xlog-only build
// and 4 ms per agreement. This is four 64-bit limbs and double-and-add in
// Jacobian coordinates; like the decred functions it first replaced
// (ScalarMultNonConst, ScalarBaseMultNonConst) it is not constant-time.
// It runs once per log open and once per client key a decoder meets.
// secp256k1_test.go checks the field against math/big and the curve
// against decred.

// fe is an element of GF(p), p = 2²⁵⁶ − 2³² − 977, as little-endian 64-bit
// limbs, always below p.
type fe [4]uint64

// secpC is 2²⁵⁶ − p: reducing modulo p folds 2²⁵⁶ into secpC.
const secpC = 0x1000003d1

var (
	secpP = fe{0xfffffffefffffc2f, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff}
	// secpN is the group order.
	secpN = scalar{0xbfd25e8cd0364141, 0xbaaedce6af48a03b, 0xfffffffffffffffe, 0xffffffffffffffff}
	// secpG is the base point (SEC 2, section 2.4.1).
	secpGx = fe{0x59f2815b16f81798, 0x029bfcdb2dce28d9, 0x55a06295ce870b07, 0x79be667ef9dcbbac}
	secpGy = fe{0x9c47d08ffb10d4b8, 0xfd17b448a6855419, 0x5da4fbfc0e1108a8, 0x483ada7726a3c465}
	secpB  = fe{7}
)

// limbs reads 32 big-endian bytes.
func limbs(b []byte) [4]uint64 {
	return [4]uint64{
		binary.BigEndian.Uint64(b[24:]), binary.BigEndian.Uint64(b[16:]),
		binary.BigEndian.Uint64(b[8:]), binary.BigEndian.Uint64(b[:8]),
	}
}

// putLimbs writes l as 32 big-endian bytes.
func putLimbs(dst []byte, l [4]uint64) {
	for i, v := range l {
		binary.BigEndian.PutUint64(dst[24-8*i:], v)
	}
}

// less reports a < b.
func less(a, b [4]uint64) bool {
	var borrow uint64
	for i := range a {
		_, borrow = bits.Sub64(a[i], b[i], borrow)
	}
	return borrow == 1
}

// feFromBytes reads a big-endian coordinate; ok is false if it is not
// below p.
func feFromBytes(b []byte) (fe, bool) {
	v := fe(limbs(b))
	return v, less(v, secpP)
}

// add4 returns a + b modulo 2²⁵⁶ and the carry out.
func add4(a, b fe) (fe, uint64) {
	var s fe
	var c uint64
	for i := range s {
		s[i], c = bits.Add64(a[i], b[i], c)
	}
	return s, c
}

// pick returns a if cond is 1 and b if it is 0.
func pick(cond uint64, a, b fe) fe {
	m := -cond
	for i := range a {
		b[i] ^= m & (a[i] ^ b[i])
	}
	return b
}

// reduceOnce returns v mod p for v = a + carry·2²⁵⁶ below 2p: v is at
// least p exactly when it carries or a + secpC does, and then the wrapped
// a + secpC is v − p.
func reduceOnce(a fe, carry uint64) fe {
	t, c := add4(a, fe{secpC})
	return pick(carry|c, t, a)
}

func feAdd(a, b fe) fe { return reduceOnce(add4(a, b)) }

func feSub(a, b fe) fe {
	var d fe
	var borrow uint64
	for i := range d {
		d[i], borrow = bits.Sub64(a[i], b[i], borrow)
	}
	// On a borrow d is a − b + 2²⁵⁶; a − b + p is d + p modulo 2²⁵⁶.
	t, _ := add4(d, secpP)
	return pick(borrow, t, d)
}

func feMul(a, b fe) fe {
	var t [8]uint64
	for i := range a {
		var carry uint64
		for j := range b {
			hi, lo := bits.Mul64(a[i], b[j])
			var c uint64
			lo, c = bits.Add64(lo, t[i+j], 0)
			hi += c
			lo, c = bits.Add64(lo, carry, 0)
			hi += c
			t[i+j], carry = lo, hi
		}
		t[i+4] = carry
	}
	return feReduce(&t)
}

// feReduce returns t mod p for a 512-bit t (little-endian limbs), folding
// the high half in as hi·secpC twice.
func feReduce(t *[8]uint64) fe {
	var r fe
	var carry uint64
	for i := range r {
		hi, lo := bits.Mul64(t[4+i], secpC)
		var c uint64
		lo, c = bits.Add64(lo, t[i], 0)
		hi += c
		lo, c = bits.Add64(lo, carry, 0)
		hi += c
		r[i], carry = lo, hi
	}
	// carry·2²⁵⁶ with carry < 2³⁴: fold it once more.
	hi, lo := bits.Mul64(carry, secpC)
	var c uint64
	r[0], c = bits.Add64(r[0], lo, 0)
	r[1], c = bits.Add64(r[1], hi, c)
	r[2], c = bits.Add64(r[2], 0, c)
	r[3], c = bits.Add64(r[3], 0, c)
	// A carry here leaves r small, so adding secpC cannot carry again.
	r, _ = add4(r, fe{c * secpC})
	return reduceOnce(r, 0)
}

// feInv is a^(p−2) = a⁻¹ (Fermat); 0 stays 0.
func feInv(a fe) fe {
	e := secpP
	e[0] -= 2
	r := fe{1}
	for i := 255; i >= 0; i-- {
		r = feMul(r, r)
		if e[i/64]>>(i%64)&1 == 1 {
			r = feMul(r, a)
		}
	}
	return r
}

func (a fe) isZero() bool { return a == fe{} }

// scalar is an integer modulo n as little-endian 64-bit limbs.
type scalar [4]uint64

// scalarFromBytes reads a big-endian scalar and reduces it modulo n, as
// decred's PrivKeyFromBytes does (one subtraction: 2²⁵⁶ < 2n).
func scalarFromBytes(b []byte) scalar {
	s := limbs(b)
	if less(s, secpN) {
		return s
	}
	var borrow uint64
	for i := range s {
		s[i], borrow = bits.Sub64(s[i], secpN[i], borrow)
	}
	return s
}

func (s scalar) bit(i int) uint64 { return s[i/64] >> (i % 64) & 1 }

// MarsPublicKey is a secp256k1 point known to be on the curve.
type MarsPublicKey struct{ x, y fe }

// MarsPrivateKey is a secp256k1 scalar in [1, n-1].
type MarsPrivateKey struct{ d scalar }

// marsPoint checks that X‖Y (32+32 bytes, big-endian) is a point on the
// curve: both coordinates below p and y² = x³ + 7.
func marsPoint(xy []byte) (*MarsPublicKey, bool) {
	if len(xy) != marsPointSize {
		return nil, false
	}
	x, okX := feFromBytes(xy[:32])
	y, okY := feFromBytes(xy[32:])
	if !okX || !okY {
		return nil, false
	}
	if feMul(y, y) != feAdd(feMul(feMul(x, x), x), secpB) {
		return nil, false
	}
	return &MarsPublicKey{x, y}, true
}

// ValidMarsPoint reports whether X‖Y is a point on secp256k1, as a Mars
// block header's client key must be.
func ValidMarsPoint(xy []byte) bool {
	_, ok := marsPoint(xy)
	return ok
}

// bytes is X‖Y.
func (k *MarsPublicKey) bytes() []byte {
	b := make([]byte, marsPointSize)
	putLimbs(b[:32], k.x)
	putLimbs(b[32:], k.y)
	return b
}

// newMarsPrivateKey draws a scalar uniformly from [1, n-1] (by rejection:
// a draw fails with probability about 2⁻¹²⁸).
func newMarsPrivateKey() (*MarsPrivateKey, error) {
	var b [32]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		d := scalar(limbs(b[:]))
		if less(d, secpN) && d != (scalar{}) {
			return &MarsPrivateKey{d}, nil
		}
	}
}

// bytes is the scalar, 32 bytes big-endian.
func (k *MarsPrivateKey) bytes() []byte {
	b := make([]byte, 32)
	putLimbs(b, k.d)
	return b
}

// public is d·G.
func (k *MarsPrivateKey) public() *MarsPublicKey {
	x, y := scalarMult(secpGx, secpGy, k.d)
	return &MarsPublicKey{x, y}
}

// sharedX is the X coordinate of d·pub, 32 bytes big-endian (SEC 1 ECDH,
// what Mars's micro-ecc and decred's GenerateSharedSecret return).
func (k *MarsPrivateKey) sharedX(pub *MarsPublicKey) []byte {
	x, _ := scalarMult(pub.x, pub.y, k.d)
	b := make([]byte, 32)
	putLimbs(b, x)
	return b
}

// jacobian is (X, Y, Z) for the affine point (X/Z², Y/Z³); Z = 0 is the
// point at infinity.
type jacobian struct{ x, y, z fe }

// double is dbl-2009-l (a = 0), in place.
func (p *jacobian) double() {
	if p.z.isZero() || p.y.isZero() {
		p.z = fe{}
		return
	}
	a := feMul(p.x, p.x)
	b := feMul(p.y, p.y)
	c := feMul(b, b)
	t := feAdd(p.x, b)
	d := feSub(feSub(feMul(t, t), a), c)
	d = feAdd(d, d)
	e := feAdd(feAdd(a, a), a)
	f := feMul(e, e)
	z := feMul(p.y, p.z)
	p.z = feAdd(z, z)
	p.x = feSub(f, feAdd(d, d))
	c2 := feAdd(c, c)
	c4 := feAdd(c2, c2)
	p.y = feSub(feMul(e, feSub(d, p.x)), feAdd(c4, c4))
}

// addAffine is madd-2007-bl, in place: p plus the affine point (qx, qy).
func (p *jacobian) addAffine(qx, qy fe) {
	if p.z.isZero() {
		p.x, p.y, p.z = qx, qy, fe{1}
		return
	}
	z1z1 := feMul(p.z, p.z)
	u2 := feMul(qx, z1z1)
	s2 := feMul(feMul(qy, p.z), z1z1)
	h := feSub(u2, p.x)
	r := feSub(s2, p.y)
	if h.isZero() {
		if r.isZero() {
			p.double()
		} else {
			p.z = fe{}
		}
		return
	}
	r = feAdd(r, r)
	hh := feMul(h, h)
	i := feAdd(hh, hh)
	i = feAdd(i, i)
	j := feMul(h, i)
	v := feMul(p.x, i)
	zh := feAdd(p.z, h)
	p.z = feSub(feSub(feMul(zh, zh), z1z1), hh)
	yj := feMul(p.y, j)
	p.x = feSub(feSub(feMul(r, r), j), feAdd(v, v))
	p.y = feSub(feMul(r, feSub(v, p.x)), feAdd(yj, yj))
}

// scalarMult is k·(x, y) in affine coordinates, for 0 < k < n and (x, y)
// on the curve (so the result is never the point at infinity).
func scalarMult(x, y fe, k scalar) (fe, fe) {
	var acc jacobian
	for i := 255; i >= 0; i-- {
		acc.double()
		if k.bit(i) == 1 {
			acc.addAffine(x, y)
		}
	}
	zinv := feInv(acc.z)
	zinv2 := feMul(zinv, zinv)
	return feMul(acc.x, zinv2), feMul(acc.y, feMul(zinv2, zinv))
}
