package xlog

import (
	"strings"
	"testing"

	"github.com/mars-go/mars/xlog/crypt"
)

// TestRoundTrip writes through the Logger in every mode × codec × crypt and
// reads the lines back with xlog/decode.
func TestRoundTrip(t *testing.T) {
	hpkePriv, hpkePub, err := crypt.GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	cryptos := []struct {
		name     string
		pub      string
		keys     crypt.PrivateKeys
		wantText bool // sync mode and no key: text is visible in the file
	}{
		{"clear", "", crypt.PrivateKeys{}, true},
		{"mars", marsPub, crypt.PrivateKeys{Mars: marsPriv}, false},
		{"hpke", hpkePub, crypt.PrivateKeys{HPKE: hpkePriv}, false},
	}
	const n = 3000
	for _, mode := range []Mode{Async, Sync} {
		for _, comp := range []Compression{Zlib, LZ4, Zstd} {
			for _, c := range cryptos {
				name := []string{"async", "sync"}[mode] + "/" + blockCompression(comp).String() + "/" + c.name
				t.Run(name, func(t *testing.T) {
					dir := t.TempDir()
					l, err := Open(Config{MaxBlockWait: testBlockWait, Mode: mode, LogDir: dir, NamePrefix: "rt", Compression: comp,
						PublicKey: c.pub, BufferSize: 40 << 10})
					if err != nil {
						t.Fatal(err)
					}
					for i := range n {
						l.Log(LevelInfo, "rt", "/src/rt.go", "TestRoundTrip", 42, testMessage(i))
					}
					if err := l.Close(); err != nil {
						t.Fatal(err)
					}
					st := l.Stats()
					if st.LinesDropped != 0 || st.LinesLost != 0 || st.WriteErrors != 0 {
						t.Fatalf("stats %+v", st)
					}
					d := decodeDir(t, dir, c.keys)
					if len(d.events) != 0 {
						t.Fatalf("decoder events: %v", d.events)
					}
					checkMessages(t, d.messages("rt"), n)
					if !strings.Contains(d.text, "^^^^^^^^^^mars-go^^^^^^^^^^[") ||
						!strings.Contains(d.text, "$$$$$$$$$$mars-go$$$$$$$$$$[") {
						t.Fatalf("banners missing:\n%.300s", d.text)
					}
				})
			}
		}
	}
}
