package crypt

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// decred's secp256k1, which the library used before secp256k1.go, is the
// reference here (a test-only dependency).

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
		scalars = append(scalars, k.d.FillBytes(make([]byte, 32)))
	}
	// Edges: 1, 2, n-1, and a key with every bit set below the top.
	one := make([]byte, 32)
	one[31] = 1
	two := make([]byte, 32)
	two[31] = 2
	nm1 := new(big.Int).Sub(secpN, big.NewInt(1)).FillBytes(make([]byte, 32))
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
	over := new(big.Int).Add(secpN, big.NewInt(5)).FillBytes(make([]byte, 32))
	k, err := ParseMarsPrivateKey(hex.EncodeToString(over))
	if err != nil {
		t.Fatal(err)
	}
	if want := secp256k1.PrivKeyFromBytes(over).Serialize(); !bytes.Equal(k.d.FillBytes(make([]byte, 32)), want) {
		t.Fatalf("key n+5 is %x, decred %x", k.d, want)
	}
	if _, err := ParseMarsPrivateKey(hex.EncodeToString(secpN.FillBytes(make([]byte, 32)))); err == nil {
		t.Fatal("key n (zero mod n) accepted")
	}
}

func TestValidMarsPointMatchesDecred(t *testing.T) {
	g := append(secpGx.FillBytes(make([]byte, 32)), secpGy.FillBytes(make([]byte, 32))...)
	bad := bytes.Clone(g)
	bad[63] ^= 1
	offRange := append(secpP.FillBytes(make([]byte, 32)), g[32:]...)
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
	g := append(secpGx.FillBytes(make([]byte, 32)), secpGy.FillBytes(make([]byte, 32))...)
	f.Add(g)
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
