package x25519

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// RFC 7748 §5.2: two single scalar multiplications, the second with a
// non-canonical input whose top bit is set.
func TestRFC7748Vectors(t *testing.T) {
	for _, v := range []struct{ scalar, u, out string }{
		{"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
			"e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
			"c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
		{"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
			"e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
			"95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
	} {
		got, err := X25519(unhex(t, v.scalar), unhex(t, v.u))
		if err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, v.out); !bytes.Equal(got[:], want) {
			t.Errorf("X25519(%s, %s) = %x, want %x", v.scalar, v.u, got, want)
		}
	}
}

// RFC 7748 §5.2's iterated test: k, u = X25519(k, u), k, starting from
// k = u = 9, checked after 1 and 1000 iterations.
func TestRFC7748Iterations(t *testing.T) {
	k, u := basepoint, basepoint
	want := map[int]string{
		1:    "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
		1000: "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
	}
	for i := 1; i <= 1000; i++ {
		var r [PointSize]byte
		ladder(&r, &k, &u)
		u, k = k, r
		if w, ok := want[i]; ok && hex.EncodeToString(k[:]) != w {
			t.Fatalf("after %d iterations k = %x, want %s", i, k, w)
		}
	}
}

// RFC 7748 §6.1: Alice's and Bob's key pairs and their shared secret.
func TestRFC7748DiffieHellman(t *testing.T) {
	aPriv := unhex(t, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
	bPriv := unhex(t, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
	aPub, err := PublicKey(aPriv)
	if err != nil {
		t.Fatal(err)
	}
	bPub, err := PublicKey(bPriv)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hex.EncodeToString(aPub[:]), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"; got != want {
		t.Errorf("Alice's public key %s, want %s", got, want)
	}
	if got, want := hex.EncodeToString(bPub[:]), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"; got != want {
		t.Errorf("Bob's public key %s, want %s", got, want)
	}
	ab, err := X25519(aPriv, bPub[:])
	if err != nil {
		t.Fatal(err)
	}
	ba, err := X25519(bPriv, aPub[:])
	if err != nil {
		t.Fatal(err)
	}
	want := "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
	if hex.EncodeToString(ab[:]) != want || hex.EncodeToString(ba[:]) != want {
		t.Errorf("shared secrets %x and %x, want %s", ab, ba, want)
	}
}

// lowOrderPoints are the u-coordinates whose multiples by a clamped scalar
// are zero: the points of order 1, 2, 4 and 8 (0, 1, p-1 and the two of
// order 8) and the non-canonical encodings p and p+1. withTopBit adds each
// with the top bit set, which X25519 ignores.
var lowOrderPoints = withTopBit(
	"0000000000000000000000000000000000000000000000000000000000000000", // 0
	"0100000000000000000000000000000000000000000000000000000000000000", // 1
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // order 8
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p-1
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p, that is 0
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p+1, that is 1
)

func withTopBit(points ...string) [][]byte {
	var out [][]byte
	for _, p := range points {
		b, err := hex.DecodeString(p)
		if err != nil {
			panic(err)
		}
		top := bytes.Clone(b)
		top[31] |= 0x80
		out = append(out, b, top)
	}
	return out
}

func TestLowOrderPointsGiveErrLowOrder(t *testing.T) {
	for _, p := range lowOrderPoints {
		for range 4 {
			var k [ScalarSize]byte
			rand.Read(k[:])
			out, err := X25519(k[:], p)
			if !errors.Is(err, ErrLowOrder) {
				t.Fatalf("point %x: err %v, want ErrLowOrder", p, err)
			}
			if out != [PointSize]byte{} {
				t.Fatalf("point %x: secret %x, want all zero", p, out)
			}
		}
	}
}

func TestRefusesWrongSizes(t *testing.T) {
	good := make([]byte, 32)
	good[0] = 9
	for _, c := range []struct{ k, u []byte }{{good[:31], good}, {good, good[:31]}, {append(good, 0), good}, {nil, nil}} {
		if _, err := X25519(c.k, c.u); err == nil {
			t.Errorf("X25519 with %d-byte scalar and %d-byte point: no error", len(c.k), len(c.u))
		}
	}
	if _, err := PublicKey(good[:31]); err == nil {
		t.Error("PublicKey with a 31-byte scalar: no error")
	}
}

// agreesWithECDH checks scalar·point and scalar·9 against crypto/ecdh.
func agreesWithECDH(t testing.TB, k, u []byte) {
	t.Helper()
	sk, err := ecdh.X25519().NewPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := PublicKey(k)
	if err != nil {
		t.Fatal(err)
	}
	if want := sk.PublicKey().Bytes(); !bytes.Equal(pub[:], want) {
		t.Fatalf("PublicKey(%x) = %x, crypto/ecdh %x", k, pub, want)
	}
	pk, err := ecdh.X25519().NewPublicKey(u)
	if err != nil {
		t.Fatal(err)
	}
	want, wantErr := sk.ECDH(pk)
	got, err := X25519(k, u)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("X25519(%x, %x): err %v, crypto/ecdh err %v", k, u, err, wantErr)
	}
	if err == nil && !bytes.Equal(got[:], want) {
		t.Fatalf("X25519(%x, %x) = %x, crypto/ecdh %x", k, u, got, want)
	}
}

func TestMatchesECDH(t *testing.T) {
	k, u := make([]byte, 32), make([]byte, 32)
	for range 300 {
		rand.Read(k)
		rand.Read(u)
		agreesWithECDH(t, k, u)
	}
	// Edge scalars (clamping makes them equivalent to others) and edge
	// points (non-canonical, top bit set, low order).
	ones := bytes.Repeat([]byte{0xff}, 32)
	for _, p := range append(lowOrderPoints, ones, basepoint[:]) {
		agreesWithECDH(t, make([]byte, 32), p)
		agreesWithECDH(t, ones, p)
	}
}

func TestGenerateKeyIsClampedAndMatchesECDH(t *testing.T) {
	seen := map[[ScalarSize]byte]bool{}
	for range 20 {
		priv, pub, err := GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		if priv[0]&7 != 0 || priv[31]&0xc0 != 0x40 {
			t.Fatalf("private key %x is not clamped", priv)
		}
		if seen[priv] {
			t.Fatalf("private key %x repeated", priv)
		}
		seen[priv] = true
		sk, err := ecdh.X25519().NewPrivateKey(priv[:])
		if err != nil {
			t.Fatal(err)
		}
		if want := sk.PublicKey().Bytes(); !bytes.Equal(pub[:], want) {
			t.Fatalf("public key %x, crypto/ecdh %x", pub, want)
		}
	}
}

func FuzzX25519(f *testing.F) {
	f.Add(make([]byte, 32), append([]byte{9}, make([]byte, 31)...))
	f.Add(bytes.Repeat([]byte{0xff}, 32), bytes.Repeat([]byte{0xff}, 32))
	for _, p := range lowOrderPoints {
		f.Add(bytes.Repeat([]byte{0x5a}, 32), p)
	}
	f.Fuzz(func(t *testing.T, k, u []byte) {
		if len(k) != ScalarSize || len(u) != PointSize {
			if _, err := X25519(k, u); err == nil {
				t.Fatalf("X25519 accepted a %d-byte scalar and a %d-byte point", len(k), len(u))
			}
			return
		}
		agreesWithECDH(t, k, u)
	})
}

func BenchmarkX25519(b *testing.B) {
	k, u := make([]byte, 32), make([]byte, 32)
	rand.Read(k)
	rand.Read(u)
	b.Run("ours", func(b *testing.B) {
		for b.Loop() {
			if _, err := X25519(k, u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("crypto-ecdh", func(b *testing.B) {
		sk, _ := ecdh.X25519().NewPrivateKey(k)
		pk, _ := ecdh.X25519().NewPublicKey(u)
		for b.Loop() {
			if _, err := sk.ECDH(pk); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPublicKey(b *testing.B) {
	k := make([]byte, 32)
	rand.Read(k)
	b.Run("ours", func(b *testing.B) {
		for b.Loop() {
			if _, err := PublicKey(k); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("crypto-ecdh", func(b *testing.B) {
		for b.Loop() {
			sk, err := ecdh.X25519().NewPrivateKey(k)
			if err != nil {
				b.Fatal(err)
			}
			_ = sk.PublicKey()
		}
	})
}
