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
// and several ms per log open. This is four 64-bit limbs and double-and-add in
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

// The field operations below are written out limb by limb: loops over
// the arrays kept the limbs in memory and cost several times more.

// reduceOnce returns v mod p for v = a + carry·2²⁵⁶ below 2p: v is at
// least p exactly when it carries or a + secpC does, and then the wrapped
// a + secpC is v − p.
func reduceOnce(a0, a1, a2, a3, carry uint64) fe {
	t0, c := bits.Add64(a0, secpC, 0)
	t1, c := bits.Add64(a1, 0, c)
	t2, c := bits.Add64(a2, 0, c)
	t3, c := bits.Add64(a3, 0, c)
	m := -(carry | c) // all ones: take t
	return fe{a0 ^ m&(a0^t0), a1 ^ m&(a1^t1), a2 ^ m&(a2^t2), a3 ^ m&(a3^t3)}
}

func feAdd(a, b fe) fe {
	s0, c := bits.Add64(a[0], b[0], 0)
	s1, c := bits.Add64(a[1], b[1], c)
	s2, c := bits.Add64(a[2], b[2], c)
	s3, c := bits.Add64(a[3], b[3], c)
	return reduceOnce(s0, s1, s2, s3, c)
}

func feSub(a, b fe) fe {
	d0, borrow := bits.Sub64(a[0], b[0], 0)
	d1, borrow := bits.Sub64(a[1], b[1], borrow)
	d2, borrow := bits.Sub64(a[2], b[2], borrow)
	d3, borrow := bits.Sub64(a[3], b[3], borrow)
	// On a borrow d is a − b + 2²⁵⁶; a − b + p is d + p modulo 2²⁵⁶,
	// that is d − secpC.
	t0, c := bits.Sub64(d0, secpC, 0)
	t1, c := bits.Sub64(d1, 0, c)
	t2, c := bits.Sub64(d2, 0, c)
	t3, _ := bits.Sub64(d3, 0, c)
	m := -borrow
	return fe{d0 ^ m&(d0^t0), d1 ^ m&(d1^t1), d2 ^ m&(d2^t2), d3 ^ m&(d3^t3)}
}

// mulAdd returns hi, lo of x·y + z + carry (which cannot overflow 128 bits).
func mulAdd(x, y, z, carry uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(x, y)
	var c uint64
	lo, c = bits.Add64(lo, z, 0)
	hi += c
	lo, c = bits.Add64(lo, carry, 0)
	hi += c
	return hi, lo
}

func feMul(a, b fe) fe {
	// Schoolbook: row i adds a[i]·b into the 512-bit t0..t7.
	c, t0 := bits.Mul64(a[0], b[0])
	c, t1 := mulAdd(a[0], b[1], 0, c)
	c, t2 := mulAdd(a[0], b[2], 0, c)
	t4, t3 := mulAdd(a[0], b[3], 0, c)

	c, t1 = mulAdd(a[1], b[0], t1, 0)
	c, t2 = mulAdd(a[1], b[1], t2, c)
	c, t3 = mulAdd(a[1], b[2], t3, c)
	t5, t4 := mulAdd(a[1], b[3], t4, c)

	c, t2 = mulAdd(a[2], b[0], t2, 0)
	c, t3 = mulAdd(a[2], b[1], t3, c)
	c, t4 = mulAdd(a[2], b[2], t4, c)
	t6, t5 := mulAdd(a[2], b[3], t5, c)

	c, t3 = mulAdd(a[3], b[0], t3, 0)
	c, t4 = mulAdd(a[3], b[1], t4, c)
	c, t5 = mulAdd(a[3], b[2], t5, c)
	t7, t6 := mulAdd(a[3], b[3], t6, c)

	return feReduce(t0, t1, t2, t3, t4, t5, t6, t7)
}

// feReduce returns t mod p for the 512-bit t = t0 + t1·2⁶⁴ + … + t7·2⁴⁴⁸,
// folding the high half in as hi·secpC (2²⁵⁶ ≡ secpC), twice.
func feReduce(t0, t1, t2, t3, t4, t5, t6, t7 uint64) fe {
	c, r0 := mulAdd(t4, secpC, t0, 0)
	c, r1 := mulAdd(t5, secpC, t1, c)
	c, r2 := mulAdd(t6, secpC, t2, c)
	top, r3 := mulAdd(t7, secpC, t3, c)
	// top·2²⁵⁶ with top < 2³⁴: fold it once more.
	hi, lo := bits.Mul64(top, secpC)
	r0, c = bits.Add64(r0, lo, 0)
	r1, c = bits.Add64(r1, hi, c)
	r2, c = bits.Add64(r2, 0, c)
	r3, c = bits.Add64(r3, 0, c)
	// A carry here leaves r small, so adding secpC cannot carry again.
	r0, c = bits.Add64(r0, c*secpC, 0)
	r1, c = bits.Add64(r1, 0, c)
	r2, c = bits.Add64(r2, 0, c)
	r3, _ = bits.Add64(r3, 0, c)
	// Now r < 2²⁵⁶ < 2p: subtract p once if needed.
	return reduceOnce(r0, r1, r2, r3, 0)
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
