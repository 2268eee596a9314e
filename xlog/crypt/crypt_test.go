package crypt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	//lint:ignore SA1019 Mars uses TEA; the deprecated package is only the reference our TEA is checked against.
	"golang.org/x/crypto/tea"
)

// swap32 reverses the bytes of every 4-byte word: Mars's little-endian
// words become x/crypto/tea's big-endian ones.
func swap32(b []byte) []byte {
	out := make([]byte, len(b))
	for i := 0; i+4 <= len(b); i += 4 {
		binary.BigEndian.PutUint32(out[i:], binary.LittleEndian.Uint32(b[i:]))
	}
	return out
}

// TestTEAMatchesXCryptoWithSwappedWords proves our TEA is the standard one
// with 16 cycles (x/crypto counts 2 rounds per cycle) and LE words.
func TestTEAMatchesXCryptoWithSwappedWords(t *testing.T) {
	key := [TEAKeySize]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	ref, err := tea.NewCipherWithRounds(swap32(key[:]), 2*teaRounds)
	if err != nil {
		t.Fatal(err)
	}
	c := NewTEA(key)
	for i := range 50 {
		block := make([]byte, 8)
		binary.LittleEndian.PutUint64(block, uint64(i)*0x9E3779B97F4A7C15)
		want := make([]byte, 8)
		ref.Encrypt(want, swap32(block))
		got := bytes.Clone(block)
		c.EncryptGroups(got)
		if !bytes.Equal(swap32(got), want) {
			t.Fatalf("block %d: % x, x/crypto says % x", i, swap32(got), want)
		}
		c.DecryptGroups(got)
		if !bytes.Equal(got, block) {
			t.Fatal("decrypt does not undo encrypt")
		}
	}
}

func TestTEALeavesTheTailClear(t *testing.T) {
	c := NewTEA([TEAKeySize]byte{7})
	b := []byte("0123456789abcdefXYZ")
	c.EncryptGroups(b)
	if string(b[16:]) != "XYZ" || string(b[:8]) == "01234567" {
		t.Fatalf("% x", b)
	}
}

func TestMarsKeyAgreement(t *testing.T) {
	priv, pub, err := GenerateMarsKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(priv) != MarsPrivateKeyHexLen || len(pub) != MarsPublicKeyHexLen {
		t.Fatalf("printed lengths %d/%d", len(priv), len(pub))
	}
	sp, err := ParseMarsPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewMarsSession(sp)
	if err != nil {
		t.Fatal(err)
	}
	sk, err := ParseMarsPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := MarsReaderCipher(sk, s.ClientKey[:])
	if err != nil {
		t.Fatal(err)
	}
	if r != s.Cipher {
		t.Fatal("reader and writer TEA keys differ")
	}
	if _, err := MarsReaderCipher(sk, make([]byte, 64)); err == nil {
		t.Fatal("the zero point accepted as a client key")
	}
}

func TestKeyForms(t *testing.T) {
	hpriv, hpub, err := GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		s    string
		kind Kind
		ok   bool
	}{
		{"", KindNone, true},
		{hpub, KindHPKE, true},
		{strings.Repeat("ab", 64), KindMars, true},
		{"abc", KindNone, false},
		{hpriv, KindNone, false},
	} {
		k, err := PublicKeyKind(c.s)
		if (err == nil) != c.ok || (c.ok && k != c.kind) {
			t.Errorf("%.20q: %v %v", c.s, k, err)
		}
	}
	if _, err := ParseMarsPublicKey(strings.Repeat("00", 64)); !errors.Is(err, ErrBadKey) {
		t.Errorf("point off the curve: %v", err)
	}
	if _, err := ParseHPKEPublicKey("x25519:zz"); !errors.Is(err, ErrBadKey) {
		t.Errorf("bad hex: %v", err)
	}
	var p PrivateKeys
	if err := p.AddPrivateKey(hpriv); err != nil || p.HPKE != hpriv {
		t.Fatalf("hpke private: %v", err)
	}
	if err := p.AddPrivateKey(strings.Repeat("0", 64)); !errors.Is(err, ErrBadKey) {
		t.Fatalf("zero mars key: %v", err)
	}
	if err := p.AddPrivateKey(hpub); !errors.Is(err, ErrBadKey) {
		t.Fatalf("public key as private: %v", err)
	}
}

func TestHPKESealOpen(t *testing.T) {
	hpriv, hpub, _ := GenerateHPKEKey()
	pk, _ := ParseHPKEPublicKey(hpub)
	sk, _ := ParseHPKEPrivateKey(hpriv)
	enc, s, err := NewHPKESealer(pk)
	if err != nil || len(enc) != HPKEEncSize {
		t.Fatalf("enc %d bytes, %v", len(enc), err)
	}
	ct, _ := s.Seal([]byte("line"), []byte("aad"))
	if len(ct) != 4+HPKEOverhead {
		t.Fatalf("ciphertext %d bytes", len(ct))
	}
	o, err := NewHPKEOpener(sk, enc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Open(ct, []byte("other")); err == nil {
		t.Fatal("wrong aad opened")
	}
	if pt, err := o.Open(ct, []byte("aad")); err != nil || string(pt) != "line" {
		t.Fatalf("%q %v", pt, err)
	}
	a, _ := HPKEKeyID(pk)
	b, _ := HPKEKeyID(HPKEPublicOf(sk))
	if a != b {
		t.Fatal("key id of public and private half differ")
	}
}
