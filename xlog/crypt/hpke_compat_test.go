package crypt

import (
	"bytes"
	"crypto/ecdh"
	stdhpke "crypto/hpke"
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// Our records must open with Go's crypto/hpke used directly, and its
// records with our opener: hpke_suite.go must compose the suite exactly
// as crypto/hpke does. Files from the earlier circl-backed writer are
// covered by xlog/decode's golden files.

var stdKEM = stdhpke.DHKEM(ecdh.X25519())

// compatKeys is a fixed key pair in printed form plus its raw private key.
func compatKeys(t *testing.T) (priv, pub string, raw []byte) {
	t.Helper()
	raw = bytes.Repeat([]byte{0x42}, 32)
	k, err := ecdh.X25519().NewPrivateKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return HPKEPrivatePrefix + hex.EncodeToString(raw), HPKEPublicPrefix + hex.EncodeToString(k.PublicKey().Bytes()), raw
}

var compatRecords = []struct{ pt, aad string }{
	{"first line\n", "aad-1"}, {"", "final"}, {strings.Repeat("x", 3000), "aad-3"},
}

func TestHPKEPublicOfMatchesStd(t *testing.T) {
	priv, pub, raw := compatKeys(t)
	sk, err := ParseHPKEPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	ours, _ := HPKEPublicOf(sk).MarshalBinary()
	ssk, err := stdKEM.NewPrivateKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	if want := pub[len(HPKEPublicPrefix):]; hex.EncodeToString(ours) != want ||
		!bytes.Equal(ssk.PublicKey().Bytes(), ours) {
		t.Fatalf("public keys differ: ours %x std %x", ours, ssk.PublicKey().Bytes())
	}
}

func TestHPKESealedOpensWithStd(t *testing.T) {
	_, pub, raw := compatKeys(t)
	pk, err := ParseHPKEPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	enc, s, err := NewHPKESealer(pk)
	if err != nil {
		t.Fatal(err)
	}
	ssk, _ := stdKEM.NewPrivateKey(raw)
	sopen, err := stdhpke.NewRecipient(enc, ssk, stdhpke.HKDFSHA256(), stdhpke.ChaCha20Poly1305(), []byte(hpkeInfo))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range compatRecords {
		ct, err := s.Seal([]byte(r.pt), []byte(r.aad))
		if err != nil || len(ct) != len(r.pt)+HPKEOverhead {
			t.Fatalf("record %d: %d bytes, %v", i, len(ct), err)
		}
		if pt, err := sopen.Open([]byte(r.aad), ct); err != nil || string(pt) != r.pt {
			t.Fatalf("record %d: crypto/hpke opened %.20q, %v", i, pt, err)
		}
	}
	ours := s.Export([]byte(hpkeSyncLabel), chacha20poly1305.KeySize)
	std, err := sopen.Export(hpkeSyncLabel, chacha20poly1305.KeySize)
	if err != nil || len(ours) != chacha20poly1305.KeySize || !bytes.Equal(ours, std) {
		t.Fatalf("exported sync keys differ: %x, std %x %v", ours, std, err)
	}
}

// openAll opens compatRecords sealed by another library with our opener.
func openAll(t *testing.T, who string, priv string, enc []byte, cts [][]byte, export []byte) {
	t.Helper()
	sk, err := ParseHPKEPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	o, err := NewHPKEOpener(sk, enc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Open(cts[0], []byte("wrong aad")); err == nil {
		t.Fatalf("%s: a record opened under the wrong aad", who)
	}
	for i, r := range compatRecords {
		if pt, err := o.Open(cts[i], []byte(r.aad)); err != nil || string(pt) != r.pt {
			t.Fatalf("%s record %d: opened %.20q, %v", who, i, pt, err)
		}
	}
	// The sync AEAD keyed from our context opens what the other side's
	// exported key sealed.
	aead, err := HPKESyncAEAD(o)
	if err != nil {
		t.Fatal(err)
	}
	theirs, _ := chacha20poly1305.New(export)
	nonce := HPKESyncNonce(7)
	sealed := theirs.Seal(nil, nonce[:], []byte("sync line"), []byte("aad"))
	if pt, err := aead.Open(nil, nonce[:], sealed, []byte("aad")); err != nil || string(pt) != "sync line" {
		t.Fatalf("%s: sync block opened %q, %v", who, pt, err)
	}
}

func TestHPKEOpensStdRecords(t *testing.T) {
	priv, pub, _ := compatKeys(t)
	raw, _ := hex.DecodeString(pub[len(HPKEPublicPrefix):])
	spk, err := stdKEM.NewPublicKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	enc, seal, err := stdhpke.NewSender(spk, stdhpke.HKDFSHA256(), stdhpke.ChaCha20Poly1305(), []byte(hpkeInfo))
	if err != nil {
		t.Fatal(err)
	}
	var cts [][]byte
	for _, r := range compatRecords {
		ct, err := seal.Seal([]byte(r.aad), []byte(r.pt))
		if err != nil {
			t.Fatal(err)
		}
		cts = append(cts, ct)
	}
	export, err := seal.Export(hpkeSyncLabel, chacha20poly1305.KeySize)
	if err != nil {
		t.Fatal(err)
	}
	openAll(t, "crypto/hpke", priv, enc, cts, export)
}
