package crypt

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// decred's secp256k1, which the library used before secp256k1.go, is the
// reference for the curve here, and math/big for the field (both
// test-only).

var (
	bigP = new(big.Int).SetBytes(feBytes(secpP))
	bigN = new(big.Int).SetBytes(feBytes(fe(secpN)))
)

func feBytes(a fe) []byte {
	b := make([]byte, 32)
	putLimbs(b, a)
	return b
}

func baseXY() []byte { return append(feBytes(secpGx), feBytes(secpGy)...) }

// fieldEdges are values where carries and reductions turn: 0, 1, 2,
// secpC, 2^64-1 and 2^64, 2^255, p-secpC, p-2, p-1.
func fieldEdges() []fe {
	pm := func(d uint64) fe { v := secpP; v[0] -= d; return v }
	return []fe{{}, {1}, {2}, {secpC}, {^uint64(0)}, {0, 1}, {0, 0, 0, 1 << 63}, pm(secpC), pm(2), pm(1)}
}

func randomFe(t testing.TB) fe {
	var b [32]byte
	for {
		rand.Read(b[:])
		if v, ok := feFromBytes(b[:]); ok {
			return v
		}
	}
}

func checkFieldOps(t testing.TB, a, b fe) {
	t.Helper()
	ba, bb := new(big.Int).SetBytes(feBytes(a)), new(big.Int).SetBytes(feBytes(b))
	for _, c := range []struct {
		name string
		got  fe
		want *big.Int
	}{
		{"add", feAdd(a, b), new(big.Int).Add(ba, bb)},
		{"sub", feSub(a, b), new(big.Int).Sub(ba, bb)},
		{"mul", feMul(a, b), new(big.Int).Mul(ba, bb)},
	} {
		want := c.want.Mod(c.want, bigP).FillBytes(make([]byte, 32))
		if got := feBytes(c.got); !bytes.Equal(got, want) {
			t.Fatalf("%s(%x, %x) = %x, math/big %x", c.name, feBytes(a), feBytes(b), got, want)
		}
	}
}

func TestSecp256k1FieldMatchesBig(t *testing.T) {
	vals := fieldEdges()
	for range 40 {
		vals = append(vals, randomFe(t))
	}
	for _, a := range vals {
		for _, b := range vals {
			checkFieldOps(t, a, b)
		}
		inv := feInv(a)
		if want := new(big.Int).ModInverse(new(big.Int).SetBytes(feBytes(a)), bigP); want == nil {
			if !inv.isZero() {
				t.Fatalf("inverse of 0 is %x", feBytes(inv))
			}
		} else if !bytes.Equal(feBytes(inv), want.FillBytes(make([]byte, 32))) {
			t.Fatalf("inverse of %x is %x, math/big %x", feBytes(a), feBytes(inv), want)
		}
	}
}

func TestSecp256k1FieldRefusesUnreduced(t *testing.T) {
	for _, d := range []int64{0, 1, secpC - 1} { // p+secpC-1 is 2^256-1
		b := new(big.Int).Add(bigP, big.NewInt(d)).FillBytes(make([]byte, 32))
		if _, ok := feFromBytes(b); ok {
			t.Errorf("p+%d accepted as a coordinate", d)
		}
	}
	if _, ok := feFromBytes(new(big.Int).Sub(bigP, big.NewInt(1)).FillBytes(make([]byte, 32))); !ok {
		t.Error("p-1 refused")
	}
}

// FuzzSecp256k1Field: the coordinates come from files; every operation on
// any two reduced values agrees with math/big.
func FuzzSecp256k1Field(f *testing.F) {
	for _, e := range fieldEdges() {
		f.Add(feBytes(e), feBytes(secpGx))
	}
	f.Fuzz(func(t *testing.T, x, y []byte) {
		if len(x) != 32 || len(y) != 32 {
			return
		}
		a, okA := feFromBytes(x)
		b, okB := feFromBytes(y)
		if !okA || !okB {
			return
		}
		checkFieldOps(t, a, b)
	})
}

func decredPoint(xy []byte) (*secp256k1.PublicKey, error) {
	return secp256k1.ParsePubKey(append([]byte{0x04}, xy...))
}

func TestSecp256k1MatchesDecred(t *testing.T) {
	var scalars [][]byte
	for range 48 {
		k, err := newMarsPrivateKey()
		if err != nil {
			t.Fatal(err)
		}
		scalars = append(scalars, k.bytes())
	}
	// Edges: 1, 2, n-1, and a key with every bit set below the top.
	one := make([]byte, 32)
	one[31] = 1
	two := make([]byte, 32)
	two[31] = 2
	nm1 := new(big.Int).Sub(bigN, big.NewInt(1)).FillBytes(make([]byte, 32))
	scalars = append(scalars, one, two, nm1, bytes.Repeat([]byte{0x7f}, 32))

	for i, raw := range scalars {
		ours, err := ParseMarsPrivateKey(hex.EncodeToString(raw))
		if err != nil {
			t.Fatal(err)
		}
		theirs := secp256k1.PrivKeyFromBytes(raw)
		pub := ours.public().bytes()
		if want := theirs.PubKey().SerializeUncompressed()[1:]; !bytes.Equal(pub, want) {
			t.Fatalf("key %d: public %x, decred %x", i, pub, want)
		}
		peer := scalars[(i+1)%len(scalars)]
		peerPub := secp256k1.PrivKeyFromBytes(peer).PubKey()
		pp, ok := marsPoint(peerPub.SerializeUncompressed()[1:])
		if !ok {
			t.Fatalf("key %d: decred's point refused", i)
		}
		if got, want := ours.sharedX(pp), secp256k1.GenerateSharedSecret(theirs, peerPub); !bytes.Equal(got, want) {
			t.Fatalf("key %d: shared %x, decred %x", i, got, want)
		}
	}
}

func TestMarsPrivateKeyWrapsLikeDecred(t *testing.T) {
	over := new(big.Int).Add(bigN, big.NewInt(5)).FillBytes(make([]byte, 32))
	k, err := ParseMarsPrivateKey(hex.EncodeToString(over))
	if err != nil {
		t.Fatal(err)
	}
	if want := secp256k1.PrivKeyFromBytes(over).Serialize(); !bytes.Equal(k.bytes(), want) {
		t.Fatalf("key n+5 is %x, decred %x", k.bytes(), want)
	}
	if _, err := ParseMarsPrivateKey(hex.EncodeToString(bigN.FillBytes(make([]byte, 32)))); err == nil {
		t.Fatal("key n (zero mod n) accepted")
	}
}

func TestValidMarsPointMatchesDecred(t *testing.T) {
	g := baseXY()
	bad := bytes.Clone(g)
	bad[63] ^= 1
	offRange := append(feBytes(secpP), g[32:]...)
	for _, c := range []struct {
		name string
		xy   []byte
		want bool
	}{
		{"G", g, true}, {"G with y+1", bad, false}, {"x = p", offRange, false},
		{"zeros", make([]byte, 64), false}, {"short", g[:63], false},
	} {
		if got := ValidMarsPoint(c.xy); got != c.want {
			t.Errorf("%s: valid %v, want %v", c.name, got, c.want)
		}
		if len(c.xy) == 64 {
			if _, err := decredPoint(c.xy); (err == nil) != c.want {
				t.Errorf("%s: decred says %v", c.name, err)
			}
		}
	}
}

// FuzzValidMarsPoint: the client key of a Mars block header comes from the
// file. Our check never panics and agrees with decred's on every input.
func FuzzValidMarsPoint(f *testing.F) {
	f.Add(baseXY())
	f.Add(make([]byte, 64))
	f.Add(bytes.Repeat([]byte{0xff}, 64))
	f.Fuzz(func(t *testing.T, xy []byte) {
		got := ValidMarsPoint(xy)
		if len(xy) != 64 {
			if got {
				t.Fatalf("%d bytes accepted", len(xy))
			}
			return
		}
		if _, err := decredPoint(xy); (err == nil) != got {
			t.Fatalf("%x: ours %v, decred %v", xy, got, err)
		}
	})
}

// BenchmarkMarsSession is the writer's cost per log open (a key pair and
// one agreement); decred's is beside it for comparison.
func BenchmarkMarsSession(b *testing.B) {
	_, pub, err := GenerateMarsKey()
	if err != nil {
		b.Fatal(err)
	}
	server, err := ParseMarsPublicKey(pub)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ours", func(b *testing.B) {
		for b.Loop() {
			if _, err := NewMarsSession(server); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decred", func(b *testing.B) {
		sp, err := decredPoint(server.bytes())
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			k, err := secp256k1.GeneratePrivateKey()
			if err != nil {
				b.Fatal(err)
			}
			_ = k.PubKey().SerializeUncompressed()
			_ = secp256k1.GenerateSharedSecret(k, sp)
		}
	})
}
