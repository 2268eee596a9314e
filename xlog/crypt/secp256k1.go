package crypt

import (
	"crypto/rand"
	"math/big"
)

// secp256k1 arithmetic for Mars's key agreement: parse and check points,
// make keys, multiply a point by a scalar. Only these few operations are
// needed, and the general library (decred's) cost 0.8 MB of libmars.so
// (1.1 MB of the xlog-only build): it links a 0.7 MB precomputed table
// and, through crypto/ecdsa, every NIST curve. This is plain math/big
// double-and-add in Jacobian coordinates; like the decred functions it
// replaces (ScalarMultNonConst, ScalarBaseMultNonConst) it is not
// constant-time. It runs once per log open and once per client key a
// decoder meets. secp256k1_test.go checks it against decred.

// secp256k1 domain parameters (SEC 2, section 2.4.1): y² = x³ + 7 over GF(p).
var (
	secpP  = mustHexInt("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")
	secpN  = mustHexInt("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
	secpGx = mustHexInt("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
	secpGy = mustHexInt("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
)

func mustHexInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("crypt: bad constant " + s)
	}
	return n
}

// MarsPublicKey is a secp256k1 point known to be on the curve.
type MarsPublicKey struct{ x, y *big.Int }

// MarsPrivateKey is a secp256k1 scalar in [1, n-1].
type MarsPrivateKey struct{ d *big.Int }

// marsPoint checks that X‖Y (32+32 bytes, big-endian) is a point on the
// curve: both coordinates below p and y² = x³ + 7.
func marsPoint(xy []byte) (*MarsPublicKey, bool) {
	if len(xy) != marsPointSize {
		return nil, false
	}
	x := new(big.Int).SetBytes(xy[:32])
	y := new(big.Int).SetBytes(xy[32:])
	if x.Cmp(secpP) >= 0 || y.Cmp(secpP) >= 0 {
		return nil, false
	}
	lhs := new(big.Int).Mul(y, y)
	lhs.Mod(lhs, secpP)
	rhs := new(big.Int).Mul(x, x)
	rhs.Mul(rhs, x)
	rhs.Add(rhs, big.NewInt(7))
	rhs.Mod(rhs, secpP)
	if lhs.Cmp(rhs) != 0 {
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
	k.x.FillBytes(b[:32])
	k.y.FillBytes(b[32:])
	return b
}

// newMarsPrivateKey draws a scalar uniformly from [1, n-1].
func newMarsPrivateKey() (*MarsPrivateKey, error) {
	d, err := rand.Int(rand.Reader, new(big.Int).Sub(secpN, big.NewInt(1)))
	if err != nil {
		return nil, err
	}
	return &MarsPrivateKey{d.Add(d, big.NewInt(1))}, nil
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
	return x.FillBytes(make([]byte, 32))
}

// jacobian is (X, Y, Z) for the affine point (X/Z², Y/Z³); Z = 0 is the
// point at infinity.
type jacobian struct{ x, y, z big.Int }

// curveScratch holds the temporaries of the point formulas, so a scalar
// multiplication reuses a dozen numbers instead of allocating thousands.
type curveScratch struct{ q, t, u, a, b, c, d, e, f, g, h, i big.Int }

// reduce sets v to v mod p; v may be negative.
func (s *curveScratch) reduce(v *big.Int) *big.Int {
	s.q.QuoRem(v, secpP, v)
	if v.Sign() < 0 {
		v.Add(v, secpP)
	}
	return v
}

// mul sets dst to a·b mod p; dst must not be a or b.
func (s *curveScratch) mul(dst, a, b *big.Int) *big.Int {
	return s.reduce(dst.Mul(a, b))
}

// double is dbl-2009-l (a = 0), in place.
func (s *curveScratch) double(p *jacobian) {
	if p.z.Sign() == 0 || p.y.Sign() == 0 {
		p.z.SetInt64(0)
		return
	}
	a := s.mul(&s.a, &p.x, &p.x)
	b := s.mul(&s.b, &p.y, &p.y)
	c := s.mul(&s.c, b, b)
	s.t.Add(&p.x, b)
	d := s.mul(&s.d, &s.t, &s.t)
	d.Sub(d, a)
	d.Sub(d, c)
	s.reduce(d.Lsh(d, 1))
	e := s.e.Lsh(a, 1)
	s.reduce(e.Add(e, a))
	f := s.mul(&s.f, e, e)
	s.t.Mul(&p.y, &p.z) // Z3 = 2·Y1·Z1, before Y changes
	s.reduce(p.z.Lsh(&s.t, 1))
	p.x.Lsh(d, 1) // X3 = F − 2D
	s.reduce(p.x.Sub(f, &p.x))
	s.t.Sub(d, &p.x) // Y3 = E·(D − X3) − 8C
	p.y.Mul(e, &s.t)
	s.u.Lsh(c, 3)
	s.reduce(p.y.Sub(&p.y, &s.u))
}

// addAffine is madd-2007-bl, in place: p plus the affine point (qx, qy).
func (s *curveScratch) addAffine(p *jacobian, qx, qy *big.Int) {
	if p.z.Sign() == 0 {
		p.x.Set(qx)
		p.y.Set(qy)
		p.z.SetInt64(1)
		return
	}
	z1z1 := s.mul(&s.a, &p.z, &p.z)
	u2 := s.mul(&s.b, qx, z1z1)
	s.mul(&s.t, qy, &p.z)
	s2 := s.mul(&s.c, &s.t, z1z1)
	h := s.reduce(s.d.Sub(u2, &p.x))
	r := s.reduce(s.e.Sub(s2, &p.y))
	if h.Sign() == 0 {
		if r.Sign() == 0 {
			s.double(p)
		} else {
			p.z.SetInt64(0)
		}
		return
	}
	s.reduce(r.Lsh(r, 1))
	hh := s.mul(&s.f, h, h)
	i := s.reduce(s.g.Lsh(hh, 2))
	j := s.mul(&s.h, h, i)
	v := s.mul(&s.i, &p.x, i)
	s.t.Add(&p.z, h) // Z3 = (Z1 + H)² − Z1Z1 − HH
	p.z.Mul(&s.t, &s.t)
	p.z.Sub(&p.z, z1z1)
	s.reduce(p.z.Sub(&p.z, hh))
	s.u.Mul(&p.y, j) // 2·Y1·J, before Y changes
	s.reduce(s.u.Lsh(&s.u, 1))
	p.x.Mul(r, r) // X3 = r² − J − 2V
	p.x.Sub(&p.x, j)
	s.t.Lsh(v, 1)
	s.reduce(p.x.Sub(&p.x, &s.t))
	s.t.Sub(v, &p.x) // Y3 = r·(V − X3) − 2·Y1·J
	p.y.Mul(r, &s.t)
	s.reduce(p.y.Sub(&p.y, &s.u))
}

// scalarMult is k·(x, y) in affine coordinates, for 0 < k < n and (x, y)
// on the curve (so the result is never the point at infinity).
func scalarMult(x, y, k *big.Int) (*big.Int, *big.Int) {
	var s curveScratch
	var acc jacobian
	for i := k.BitLen() - 1; i >= 0; i-- {
		s.double(&acc)
		if k.Bit(i) == 1 {
			s.addAffine(&acc, x, y)
		}
	}
	zinv := new(big.Int).ModInverse(&acc.z, secpP)
	zinv2 := s.mul(new(big.Int), zinv, zinv)
	s.mul(&s.t, zinv2, zinv)
	return s.mul(new(big.Int), &acc.x, zinv2), s.mul(new(big.Int), &acc.y, &s.t)
}
