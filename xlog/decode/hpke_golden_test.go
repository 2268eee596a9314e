package decode

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
)

// The files in testdata/hpke were written by an earlier build whose HPKE
// came from another library (cloudflare/circl). Decoding them proves that a
// change of HPKE implementation keeps old encrypted logs readable. Keep
// them as they are: regenerating them with the current code proves nothing.
// Each file holds the same text (text.txt): 3 async blocks of 40 lines, each
// after a sealed sync block, as buildFile writes them.
const hpkeGoldenDir = "testdata/hpke"

// hpkeGoldenPriv is the fixed test key of testdata/hpke (X25519, 32 bytes of
// 0x42; never use it for anything real). Its public key is hpkeGoldenPub.
const (
	hpkeGoldenPriv = "x25519-secret:4242424242424242424242424242424242424242424242424242424242424242"
	hpkeGoldenPub  = "x25519:132c442be010fbd57e72603328aa76e71fccc1503aae219327d14d9c9993f472"
)

var writeHPKEGolden = flag.Bool("write-hpke-golden", false, "rewrite testdata/hpke (only to add a case, never to \"fix\" one)")

var hpkeGoldenCases = []struct {
	name string
	c    block.Compression
}{
	{"zlib", block.Zlib}, {"lz4", block.LZ4}, {"zstd", block.Zstd},
}

func TestDecodeHPKEGoldenFiles(t *testing.T) {
	for _, c := range hpkeGoldenCases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(hpkeGoldenDir, c.name+".xlog")
			if *writeHPKEGolden {
				file, text := buildFile(t, block.Options{Compression: c.c, PublicKey: hpkeGoldenPub}, 3, 40)
				if err := os.MkdirAll(hpkeGoldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, file, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(hpkeGoldenDir, "text.txt"), text, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			file, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(hpkeGoldenDir, "text.txt"))
			if err != nil {
				t.Fatal(err)
			}
			got, events, st := decodeStats(t, crypt.PrivateKeys{HPKE: hpkeGoldenPriv}, file)
			if !bytes.Equal(got, want) {
				t.Fatalf("decoded %d bytes, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
			}
			if len(events) != 0 || st.Problems != 0 || st.SkippedBytes != 0 {
				t.Fatalf("clean file reported problems: %v %+v", events, st)
			}
			if bytes.Contains(file, want[len(want)/2:len(want)/2+40]) {
				t.Fatal("plaintext found in an encrypted file")
			}
		})
	}
}
