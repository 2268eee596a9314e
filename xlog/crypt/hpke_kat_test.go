package crypt

import (
	"bytes"
	"crypto/sha3"
	"encoding/hex"
	"io"
	"testing"

	"github.com/mars-go/mars/xlog/internal/x25519"
)

// RFC 9180 test vector for our suite (mode 0, KEM 0x0020, KDF 0x0001, AEAD
// 0x0003), in the form Go's crypto/hpke tests keep it: 1000 seals and
// 1000 exports of lengths 0..999 drawn from SHAKE128 and accumulated into
// SHAKE128, so the whole key schedule, the nonce sequence and the exporter
// are pinned without a large file.
var rfc9180Vector = struct {
	info, ikmE, skRm, pkRm, enc, accEncryptions, accExports string
}{
	info:           "4f6465206f6e2061204772656369616e2055726e",
	ikmE:           "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b",
	skRm:           "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb",
	pkRm:           "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a",
	enc:            "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
	accEncryptions: "225fb3d35da3bb25e4371bcee4273502",
	accExports:     "54e2189c04100b583c84452f94eb9a4a",
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deriveX25519 is DHKEM's DeriveKeyPair (RFC 9180 §7.1.3) for X25519.
func deriveX25519(t *testing.T, ikm []byte) []byte {
	t.Helper()
	prk := labeledExtract(kemSuiteID, nil, "dkp_prk", ikm)
	sk, err := labeledExpand(kemSuiteID, prk, "sk", nil, 32)
	if err != nil {
		t.Fatal(err)
	}
	return sk
}

func drawInput(t *testing.T, r io.Reader) []byte {
	t.Helper()
	var n [1]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, n[0])
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatal(err)
	}
	return b
}

func squeeze16(s *sha3.SHAKE) string {
	var b [16]byte
	s.Read(b[:])
	return hex.EncodeToString(b[:])
}

func TestHPKEKnownAnswerRFC9180(t *testing.T) {
	v := rfc9180Vector
	info := string(unhex(t, v.info))
	sk, err := ParseHPKEPrivateKey(HPKEPrivatePrefix + v.skRm)
	if err != nil {
		t.Fatal(err)
	}
	if pk, _ := sk.Public().MarshalBinary(); hex.EncodeToString(pk) != v.pkRm {
		t.Fatalf("public key %x, want %s", pk, v.pkRm)
	}
	eph := deriveX25519(t, unhex(t, v.ikmE))
	pub, err := x25519.PublicKey(eph)
	if err != nil {
		t.Fatal(err)
	}
	enc, s, err := sealerFrom(sk.Public(), eph, pub[:], info)
	if err != nil || hex.EncodeToString(enc) != v.enc {
		t.Fatalf("enc %x, want %s (%v)", enc, v.enc, err)
	}
	o, err := openerFrom(sk, enc, info)
	if err != nil {
		t.Fatal(err)
	}

	source, sink := sha3.NewSHAKE128(), sha3.NewSHAKE128()
	for i := range 1000 {
		aad, pt := drawInput(t, source), drawInput(t, source)
		ct, err := s.Seal(pt, aad)
		if err != nil {
			t.Fatal(err)
		}
		sink.Write(ct)
		if got, err := o.Open(ct, aad); err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("record %d: opened %x, %v", i, got, err)
		}
	}
	if got := squeeze16(sink); got != v.accEncryptions {
		t.Fatalf("accumulated encryptions %s, want %s", got, v.accEncryptions)
	}

	source, sink = sha3.NewSHAKE128(), sha3.NewSHAKE128()
	for l := range uint(1000) {
		label := drawInput(t, source)
		got := s.Export(label, l)
		if uint(len(got)) != l || !bytes.Equal(o.Export(label, l), got) {
			t.Fatalf("export %d: %d bytes, or sender and recipient differ", l, len(got))
		}
		sink.Write(got)
	}
	if got := squeeze16(sink); got != v.accExports {
		t.Fatalf("accumulated exports %s, want %s", got, v.accExports)
	}
}

func TestHPKEOpenFailureKeepsSequence(t *testing.T) {
	sk, err := ParseHPKEPrivateKey(HPKEPrivatePrefix + rfc9180Vector.skRm)
	if err != nil {
		t.Fatal(err)
	}
	enc, s, err := NewHPKESealer(sk.Public())
	if err != nil {
		t.Fatal(err)
	}
	o, err := NewHPKEOpener(sk, enc)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := s.Seal([]byte("one"), nil)
	second, _ := s.Seal([]byte("two"), nil)
	if _, err := o.Open(second, nil); err == nil {
		t.Fatal("record 2 opened as record 1")
	}
	if pt, err := o.Open(first, nil); err != nil || string(pt) != "one" {
		t.Fatalf("record 1 after a failed open: %q, %v", pt, err)
	}
	if pt, err := o.Open(second, nil); err != nil || string(pt) != "two" {
		t.Fatalf("record 2: %q, %v", pt, err)
	}
}

// lowOrderX25519 are u-coordinates that give an all-zero shared secret
// with any key: 0, 1, the two points of order 8, p-1, and p and p+1
// (non-canonical 0 and 1).
var lowOrderX25519 = []string{
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0100000000000000000000000000000000000000000000000000000000000000",
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
}

func TestHPKEOpenerRefusesLowOrderKey(t *testing.T) {
	sk, err := ParseHPKEPrivateKey(HPKEPrivatePrefix + rfc9180Vector.skRm)
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range lowOrderX25519 {
		if _, err := NewHPKEOpener(sk, unhex(t, enc)); err == nil {
			t.Fatalf("the low-order encapsulated key %s opened a context", enc)
		}
	}
}

// A writer configured with a low-order recipient key would seal with a
// secret anyone can compute; it must refuse instead.
func TestHPKESealerRefusesLowOrderRecipient(t *testing.T) {
	for _, u := range lowOrderX25519 {
		pk, err := ParseHPKEPublicKey(HPKEPublicPrefix + u)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := NewHPKESealer(pk); err == nil {
			t.Fatalf("sealed to the low-order recipient key %s", u)
		}
	}
}

// BenchmarkNewHPKESealer is a block's key setup in HPKE mode (an ephemeral
// key pair and one agreement), which the logger does ahead of each block.
func BenchmarkNewHPKESealer(b *testing.B) {
	_, pub, err := GenerateHPKEKey()
	if err != nil {
		b.Fatal(err)
	}
	pk, err := ParseHPKEPublicKey(pub)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := NewHPKESealer(pk); err != nil {
			b.Fatal(err)
		}
	}
}
