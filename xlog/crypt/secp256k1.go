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

// secp256k1 domain parameters (SEC 2 §2.4.1): y² = x³ + 7 over GF(p).
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
type jacobian struct{ x, y, z *big.Int }

func modP(v *big.Int) *big.Int { return v.Mod(v, secpP) }

func mulP(a, b *big.Int) *big.Int { return modP(new(big.Int).Mul(a, b)) }

func subP(a, b *big.Int) *big.Int { return modP(new(big.Int).Sub(a, b)) }

// double is dbl-2009-l (a = 0).
func (p jacobian) double() jacobian {
	if p.z.Sign() == 0 || p.y.Sign() == 0 {
		return jacobian{new(big.Int), new(big.Int), new(big.Int)}
	}
	a := mulP(p.x, p.x)
	b := mulP(p.y, p.y)
	c := mulP(b, b)
	t := new(big.Int).Add(p.x, b)
	d := subP(subP(mulP(t, t), a), c)
	d = modP(d.Lsh(d, 1))
	e := modP(new(big.Int).Mul(a, big.NewInt(3)))
	f := mulP(e, e)
	x3 := subP(f, new(big.Int).Lsh(d, 1))
	y3 := subP(mulP(e, subP(d, x3)), new(big.Int).Lsh(c, 3))
	z3 := mulP(new(big.Int).Lsh(p.y, 1), p.z)
	return jacobian{x3, y3, z3}
}

// addAffine is madd-2007-bl: p plus the affine point (qx, qy).
func (p jacobian) addAffine(qx, qy *big.Int) jacobian {
	if p.z.Sign() == 0 {
		return jacobian{new(big.Int).Set(qx), new(big.Int).Set(qy), big.NewInt(1)}
	}
	z1z1 := mulP(p.z, p.z)
	u2 := mulP(qx, z1z1)
	s2 := mulP(mulP(qy, p.z), z1z1)
	h := subP(u2, p.x)
	r := subP(s2, p.y)
	if h.Sign() == 0 {
		if r.Sign() == 0 {
			return p.double()
		}
		return jacobian{new(big.Int), new(big.Int), new(big.Int)}
	}
	r = modP(r.Lsh(r, 1))
	hh := mulP(h, h)
	i := modP(new(big.Int).Lsh(hh, 2))
	j := mulP(h, i)
	v := mulP(p.x, i)
	x3 := subP(subP(mulP(r, r), j), new(big.Int).Lsh(v, 1))
	y3 := subP(mulP(r, subP(v, x3)), new(big.Int).Lsh(mulP(p.y, j), 1))
	t := new(big.Int).Add(p.z, h)
	z3 := subP(subP(mulP(t, t), z1z1), hh)
	return jacobian{x3, y3, z3}
}

// scalarMult is k·(x, y) in affine coordinates, for 0 < k < n and (x, y)
// on the curve (so the result is never the point at infinity).
func scalarMult(x, y, k *big.Int) (*big.Int, *big.Int) {
	acc := jacobian{new(big.Int), new(big.Int), new(big.Int)}
	for i := k.BitLen() - 1; i >= 0; i-- {
		acc = acc.double()
		if k.Bit(i) == 1 {
			acc = acc.addAffine(x, y)
		}
	}
	zinv := new(big.Int).ModInverse(acc.z, secpP)
	zinv2 := mulP(zinv, zinv)
	return mulP(acc.x, zinv2), mulP(acc.y, mulP(zinv2, zinv))
}
