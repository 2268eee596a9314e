package crypt

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// RFC 5869 appendix A, test cases 1 to 3 (the SHA-256 ones).
func TestHKDFRFC5869Vectors(t *testing.T) {
	for i, v := range []struct{ ikm, salt, info, prk, okm string }{
		{"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
			"077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
			"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
		{"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
			"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
			"b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
			"06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
			"b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
		{"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
			"19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
			"8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
	} {
		prk := hkdfExtract(unhex(t, v.salt), unhex(t, v.ikm))
		if got := hex.EncodeToString(prk); got != v.prk {
			t.Errorf("case %d: PRK %s, want %s", i+1, got, v.prk)
		}
		okm, err := hkdfExpand(prk, unhex(t, v.info), len(v.okm)/2)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(okm); got != v.okm {
			t.Errorf("case %d: OKM %s, want %s", i+1, got, v.okm)
		}
	}
}

// Keys longer than SHA-256's block are hashed first; lengths around the
// block and output sizes exercise the padding and the Expand loop.
func TestHKDFMatchesStandardLibrary(t *testing.T) {
	for _, keyLen := range []int{0, 1, 31, 32, 63, 64, 65, 200} {
		key, msg := make([]byte, keyLen), make([]byte, keyLen*3+1)
		rand.Read(key)
		rand.Read(msg)
		m := hmac.New(sha256.New, key)
		m.Write(msg)
		if got := hmacSHA256(key, msg[:keyLen], msg[keyLen:]); !bytes.Equal(got[:], m.Sum(nil)) {
			t.Fatalf("HMAC with a %d-byte key differs from crypto/hmac", keyLen)
		}
		want, err := hkdf.Extract(sha256.New, msg, key)
		if err != nil {
			t.Fatal(err)
		}
		prk := hkdfExtract(key, msg)
		if !bytes.Equal(prk, want) {
			t.Fatalf("Extract with a %d-byte salt differs from crypto/hkdf", keyLen)
		}
		for _, n := range []int{0, 1, 31, 32, 33, 64, 65, 255*32 - 1, 255 * 32} {
			got, err := hkdfExpand(prk, key, n)
			if err != nil {
				t.Fatal(err)
			}
			want, err := hkdf.Expand(sha256.New, prk, string(key), n)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Expand of %d bytes differs from crypto/hkdf", n)
			}
		}
	}
}

func TestHKDFRefusesLengthsOutOfRange(t *testing.T) {
	for _, n := range []int{-1, 255*32 + 1} {
		if _, err := hkdfExpand(make([]byte, 32), nil, n); !errors.Is(err, errHKDFLength) {
			t.Errorf("Expand of %d bytes: err %v", n, err)
		}
	}
}
