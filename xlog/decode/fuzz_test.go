package decode

import (
	"bytes"
	"encoding/hex"
	"io"
	"os"
	"testing"

	"github.com/cloudflare/circl/hpke"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
)

// fuzzHPKEKeys is a fixed HPKE key pair, so saved crashers replay.
func fuzzHPKEKeys(f *testing.F) (priv, pub string) {
	pk, sk := hpke.KEM_X25519_HKDF_SHA256.Scheme().DeriveKeyPair(bytes.Repeat([]byte{7}, 32))
	pb, err := pk.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	sb, err := sk.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	return crypt.HPKEPrivatePrefix + hex.EncodeToString(sb), crypt.HPKEPublicPrefix + hex.EncodeToString(pb)
}

// fuzzSeedMax keeps seeds small so the fuzzer mutates block structure,
// not megabytes of text.
const fuzzSeedMax = 6 << 10

// FuzzDecode: any input decodes without panic or error, every input byte
// is accounted for, and the decoder never claims more skipped bytes than
// it read.
func FuzzDecode(f *testing.F) {
	hpriv, hpub := fuzzHPKEKeys(f)
	for _, file := range marsFiles(f) {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), fuzzSeedMax)])
	}
	for _, c := range []block.Compression{block.Zlib, block.LZ4} {
		for _, pub := range []string{"", marsTestPub, hpub} {
			file, _ := buildFile(f, block.Options{Compression: c, PublicKey: pub}, 2, 6)
			f.Add(file)
		}
	}
	d, err := New(Options{Keys: crypt.PrivateKeys{Mars: marsTestPriv, HPKE: hpriv}, MaxBlock: 1 << 20})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		st, err := d.Decode(io.Discard, bytes.NewReader(in))
		if err != nil {
			t.Fatalf("decode error on in-memory input: %v", err)
		}
		if st.InputBytes != int64(len(in)) || st.SkippedBytes > st.InputBytes {
			t.Fatalf("stats %+v for %d bytes", st, len(in))
		}
	})
}
