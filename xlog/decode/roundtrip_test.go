package decode

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// marsTestPub is the public half of marsTestPriv (testdata README).
const marsTestPub = "3108f6a59fcebc32fcc67c5307cdade439b2a8be7dfc1bfff37280afa4ba471b07b03a897b83199b5311362db259404679a40e3b997ab82cb44f8d605e361333"

func line(i int) []byte {
	return fmt.Appendf(nil, "[I][2026-11-29 +0.0 12:33:24.330][27513, 27517][bench][bench.cc:41, worker][t=0 seq=%07d h=%08x action=upload_chunk status=ok retry=0 region=ap-south net=wifi\n", i, uint32(i+1)*2654435761)
}

// buildFile writes blocks lines at a time into a 150 KiB buffer the way the
// logger does, with a sync block between async blocks, and returns the
// file and its text.
func buildFile(t testing.TB, o block.Options, blocks, lines int) (file, text []byte) {
	t.Helper()
	b, err := block.NewBuilder(o)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 150<<10)
	n := 0
	for blk := range blocks {
		tip := fmt.Appendf(nil, "~~~~~ tip %d ~~~~~\n", blk)
		if file, err = b.AppendSync(file, tip, 9); err != nil {
			t.Fatal(err)
		}
		text = append(text, tip...)
		if buf, err = b.Start(buf[:0], uint16(blk+1), 10); err != nil {
			t.Fatal(err)
		}
		for range lines {
			l := line(n)
			n++
			if buf, err = b.AppendLine(buf, l); err != nil {
				t.Fatal(err)
			}
			text = append(text, l...)
		}
		buf = b.Finish(buf, 11)
		file = append(file, buf...)
	}
	return file, text
}

type keyset struct {
	name string
	pub  string
	priv crypt.PrivateKeys
}

func keysets(t testing.TB) []keyset {
	hpriv, hpub, err := crypt.GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	return []keyset{
		{"none", "", crypt.PrivateKeys{}},
		{"mars", marsTestPub, crypt.PrivateKeys{Mars: marsTestPriv}},
		{"hpke", hpub, crypt.PrivateKeys{HPKE: hpriv}},
	}
}

func decodeAll(t testing.TB, keys crypt.PrivateKeys, in []byte) ([]byte, []Event) {
	t.Helper()
	text, events, _ := decodeStats(t, keys, in)
	return text, events
}

// decodeStats decodes in and returns the text, events and stats.
func decodeStats(t testing.TB, keys crypt.PrivateKeys, in []byte) ([]byte, []Event, Stats) {
	t.Helper()
	var events []Event
	d, err := New(Options{Keys: keys, OnEvent: func(e Event) { events = append(events, e) }})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	st, err := d.Decode(&out, bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), events, st
}

func TestRoundTripEveryMode(t *testing.T) {
	for _, c := range []block.Compression{block.Zlib, block.LZ4, block.Zstd} {
		for _, k := range keysets(t) {
			t.Run(c.String()+"/"+k.name, func(t *testing.T) {
				file, want := buildFile(t, block.Options{Compression: c, PublicKey: k.pub}, 4, 300)
				got, events := decodeAll(t, k.priv, file)
				if !bytes.Equal(got, want) {
					t.Fatalf("decoded %d bytes, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
				}
				if len(events) != 0 {
					t.Fatalf("events on a clean file: %v", events)
				}
				if k.pub != "" && bytes.Contains(file, want[200:260]) {
					t.Fatal("plaintext found in an encrypted file")
				}
			})
		}
	}
}

func TestEncryptedWithoutKeyIsReportedNotGarbage(t *testing.T) {
	for _, k := range keysets(t)[1:] {
		file, _ := buildFile(t, block.Options{PublicKey: k.pub}, 2, 10)
		got, events := decodeAll(t, crypt.PrivateKeys{}, file)
		nokey := 0
		for _, e := range events {
			if e.Kind == NoKey {
				nokey++
			}
		}
		want := 2 // the async blocks
		if k.name == "hpke" {
			want = 4 // and the sealed sync tips
		}
		if nokey != want {
			t.Fatalf("%s: %d NoKey events, want %d: %v", k.name, nokey, want, events)
		}
		if k.name == "mars" && string(got) != "~~~~~ tip 0 ~~~~~\n~~~~~ tip 1 ~~~~~\n" {
			t.Fatalf("mars sync tips are clear text; got %q", got)
		}
		if k.name == "hpke" && len(got) != 0 {
			t.Fatalf("hpke without key printed %q", got)
		}
	}
}

// TestMarsCryptBlockLayout checks a Mars-mode block against the layout in FORMAT.md:
// magic 0x07, the client key in the header, TEA over whole 8-byte groups of
// the deflate stream and the last len%8 bytes in clear. The stream is the
// no-key one's but for the empty blocks that keep its partial last byte out
// of whole groups, so it inflates to the same text.
func TestMarsCryptBlockLayout(t *testing.T) {
	plainFile, text := buildFile(t, block.Options{}, 1, 97)
	cryptFile, _ := buildFile(t, block.Options{PublicKey: marsTestPub}, 1, 97)
	// Skip the leading sync tip of each file.
	tipLine := len("~~~~~ tip 0 ~~~~~\n")
	tip, lines := format.BlockOverhead+tipLine, text[tipLine:]
	plainBlk, cryptBlk := plainFile[tip:], cryptFile[tip:]
	ph, _ := format.ParseHeader(plainBlk)
	ch, err := format.ParseHeader(cryptBlk)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Magic != format.MagicAsyncZlib || ch.Seq != 1 || ch.BeginHour != 10 || ch.EndHour != 11 {
		t.Fatalf("header %+v", ch)
	}
	if ch.Length < ph.Length || ch.Length > ph.Length+ph.Length/64+8 {
		t.Fatalf("TEA's stream %d bytes, the plain one %d", ch.Length, ph.Length)
	}
	if ch.Length%8 == 0 {
		t.Fatal("test wants a payload with a clear tail; change the line count")
	}
	priv, _ := crypt.ParseMarsPrivateKey(marsTestPriv)
	tea, err := crypt.MarsReaderCipher(priv, ch.Key[:])
	if err != nil {
		t.Fatalf("client key in header is not a curve point: %v", err)
	}
	cp := bytes.Clone(cryptBlk[format.HeaderSize : format.HeaderSize+ch.Length])
	whole := len(cp) &^ 7
	tea.DecryptGroups(cp[:whole])
	if bytes.Equal(cp[:8], cryptBlk[format.HeaderSize:format.HeaderSize+8]) {
		t.Fatal("first group not encrypted")
	}
	// Decrypting the incomplete last group too breaks the stream: it was clear.
	var codecs codecs
	var got, broken bytes.Buffer
	if err := codecs.decode(&got, format.CodecZlib, cp); err != nil || !bytes.Equal(got.Bytes(), lines) {
		t.Fatalf("TEA-decrypted payload inflates to %d bytes (%v), want the block's %d", got.Len(), err, len(lines))
	}
	tail := append(bytes.Clone(cp[whole:]), make([]byte, 8-len(cp)%8)...)
	tea.DecryptGroups(tail)
	_ = codecs.decode(&broken, format.CodecZlib, append(cp[:whole], tail[:len(cp)-whole]...))
	if bytes.Equal(broken.Bytes(), got.Bytes()) {
		t.Fatal("the last len%8 bytes are not clear")
	}
	// The sync tip carries the client key and clear text (Mars).
	th, _ := format.ParseHeader(cryptFile)
	if th.Magic != format.MagicSyncZlib || th.Key != ch.Key || th.Seq != 0 {
		t.Fatalf("sync header %+v", th)
	}
}

// TestRoundTripLargeBlocksAndLongLines covers what small files do not: LZ4
// history compaction and matches into the dictionary, lines longer than one
// 64 KiB record, incompressible lines and empty lines.
func TestRoundTripLargeBlocksAndLongLines(t *testing.T) {
	rnd := make([]byte, 70_000)
	for i := range rnd {
		rnd[i] = byte(uint32(i+1) * 2654435761 >> 13)
	}
	long := bytes.Repeat([]byte("abcdefghij"), 15_000)
	for _, c := range []block.Compression{block.Zlib, block.LZ4, block.Zstd} {
		for _, k := range keysets(t) {
			t.Run(c.String()+"/"+k.name, func(t *testing.T) {
				b, err := block.NewBuilder(block.Options{Compression: c, PublicKey: k.pub})
				if err != nil {
					t.Fatal(err)
				}
				buf, err := b.Start(make([]byte, 0, 8<<20), 1, 0)
				if err != nil {
					t.Fatal(err)
				}
				var want []byte
				add := func(l []byte) {
					if buf, err = b.AppendLine(buf, l); err != nil {
						t.Fatal(err)
					}
					want = append(want, l...)
				}
				for i := range 2000 {
					add(line(i))
					switch i {
					case 100:
						add(rnd)
					case 1000:
						add(long)
					case 1500:
						add(nil)
					case 1800:
						add(rnd[:13])
					}
				}
				buf = b.Finish(buf, 0)
				got, events := decodeAll(t, k.priv, buf)
				if len(events) != 0 {
					t.Fatalf("events %v", events)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("decoded %d bytes, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
				}
			})
		}
	}
}

// TestZlibBlocksEndingInsideADeflateBlock: our zlib blocks end inside an
// open deflate block, on a byte whose high bits are padding (no key), or
// past an empty block TEA needs; the decoder keeps every line up to the
// last one, whatever the number of bits left, and reports nothing.
func TestZlibBlocksEndingInsideADeflateBlock(t *testing.T) {
	for _, k := range keysets(t)[:2] {
		for n := 1; n <= 48; n++ {
			file, want := buildFile(t, block.Options{PublicKey: k.pub}, 1, n)
			blk := file[blockStarts(t, file)[1]:]
			if bytes.HasSuffix(blk[:len(blk)-format.TailSize], []byte{0, 0, 0xff, 0xff}) {
				t.Fatalf("%s, %d lines: the block ends on a sync flush, not inside a deflate block", k.name, n)
			}
			got, events := decodeAll(t, k.priv, file)
			if !bytes.Equal(got, want) || len(events) != 0 {
				t.Fatalf("%s, %d lines: decoded %d of %d bytes, events %v", k.name, n, len(got), len(want), events)
			}
		}
	}
}
