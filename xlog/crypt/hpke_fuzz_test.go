package crypt

import (
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzParseHPKEKey: key strings come from host configuration. Parsing never
// panics, and a key that parses prints back to the text it came from
// (hex is case-insensitive, so compare lower case).
func FuzzParseHPKEKey(f *testing.F) {
	priv, pub, _ := GenerateHPKEKey()
	for _, s := range []string{priv, pub, "x25519:", "x25519:zz", "x25519-secret:" + strings.Repeat("00", 32), pub + "00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if pk, err := ParseHPKEPublicKey(s); err == nil {
			b, err := pk.MarshalBinary()
			if err != nil || HPKEPublicPrefix+hex.EncodeToString(b) != strings.ToLower(s) {
				t.Fatalf("%q printed back as %x (%v)", s, b, err)
			}
		}
		if sk, err := ParseHPKEPrivateKey(s); err == nil {
			if _, err := HPKEKeyID(HPKEPublicOf(sk)); err != nil {
				t.Fatalf("%q: no key id: %v", s, err)
			}
		}
	})
}
