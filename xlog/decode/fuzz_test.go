package decode

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hpke"
	"encoding/hex"
	"io"
	"os"
	"testing"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
)

// fuzzHPKEKeys is a fixed HPKE key pair, so saved crashers replay.
func fuzzHPKEKeys(f *testing.F) (priv, pub string) {
	sk, err := hpke.DHKEM(ecdh.X25519()).DeriveKeyPair(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		f.Fatal(err)
	}
	sb, err := sk.Bytes()
	if err != nil {
		f.Fatal(err)
	}
	return crypt.HPKEPrivatePrefix + hex.EncodeToString(sb), crypt.HPKEPublicPrefix + hex.EncodeToString(sk.PublicKey().Bytes())
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
	for _, c := range []block.Compression{block.Zlib, block.LZ4, block.Zstd} {
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

// FuzzRoundTrip: any lines, written by the builder in the mode the first
// byte picks, decode back exactly. It mostly guards the hand-written LZ4
// dictionary compressor.
func FuzzRoundTrip(f *testing.F) {
	hpriv, hpub := fuzzHPKEKeys(f)
	f.Add([]byte{0, 'a', 'b', '\n', 'a', 'b'})
	f.Add(append([]byte{1}, bytes.Repeat([]byte("0123456789abcdef\n"), 40)...))
	f.Add(append([]byte{3}, line(1)...))
	modes := []struct {
		c    block.Compression
		pub  string
		keys crypt.PrivateKeys
	}{
		{block.Zlib, "", crypt.PrivateKeys{}},
		{block.LZ4, "", crypt.PrivateKeys{}},
		{block.LZ4, marsTestPub, crypt.PrivateKeys{Mars: marsTestPriv}},
		{block.LZ4, hpub, crypt.PrivateKeys{HPKE: hpriv}},
		{block.Zstd, "", crypt.PrivateKeys{}},
	}
	builders := make([]*block.Builder, len(modes))
	decoders := make([]*Decoder, len(modes))
	for i, m := range modes {
		var err error
		if builders[i], err = block.NewBuilder(block.Options{Compression: m.c, PublicKey: m.pub}); err != nil {
			f.Fatal(err)
		}
		if decoders[i], err = New(Options{Keys: m.keys}); err != nil {
			f.Fatal(err)
		}
	}
	buf := make([]byte, 0, 1<<20)
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 || len(in) > cap(buf)/2 {
			return // the 1 MiB buffer holds any line under half its size
		}
		i := int(in[0]) % len(modes)
		b := builders[i]
		out, err := b.Start(buf[:0], 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		for l := range bytes.SplitAfterSeq(in[1:], []byte("\n")) {
			if out, err = b.AppendLine(out, l); err != nil {
				t.Fatal(err)
			}
		}
		out = b.Finish(out, 0)
		var got bytes.Buffer
		st, err := decoders[i].Decode(&got, bytes.NewReader(out))
		if err != nil || st.Problems != 0 {
			t.Fatalf("decode: %v, %+v", err, st)
		}
		if !bytes.Equal(got.Bytes(), in[1:]) {
			t.Fatalf("mode %d: round trip differs at %d", i, firstDiff(got.Bytes(), in[1:]))
		}
	})
}
