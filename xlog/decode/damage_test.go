package decode

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// blockStarts walks a clean file and returns the offset of every block.
func blockStarts(t *testing.T, file []byte) []int {
	t.Helper()
	var offs []int
	for off := 0; off < len(file); {
		h, err := format.ParseHeader(file[off:])
		if err != nil {
			t.Fatalf("offset %d: %v", off, err)
		}
		offs = append(offs, off)
		off += format.BlockOverhead + int(h.Length)
	}
	return offs
}

func kinds(events []Event) map[EventKind]int {
	m := map[EventKind]int{}
	for _, e := range events {
		m[e.Kind]++
	}
	return m
}

func TestCorruptBlockIsSkippedWithMarsMarker(t *testing.T) {
	file, want := buildFile(t, block.Options{}, 4, 50)
	offs := blockStarts(t, file) // tip, async, tip, async, ...
	// Break the tail of the second async block: Mars resyncs at the next tip.
	bad := bytes.Clone(file)
	h, _ := format.ParseHeader(bad[offs[3]:])
	bad[offs[3]+format.HeaderSize+int(h.Length)] = 0x55
	got, events := decodeAll(t, crypt.PrivateKeys{}, bad)
	skipped := offs[4] - offs[3]
	marker := fmt.Sprintf("[F]decode_log_file.py decode error len=%d\n", skipped)
	i1 := bytes.Index(want, []byte("~~~~~ tip 1"))
	i2 := bytes.Index(want, []byte("~~~~~ tip 2"))
	i3 := bytes.Index(want, []byte("~~~~~ tip 2 ~~~~~\n")) + len("~~~~~ tip 2 ~~~~~\n")
	gap := "[F]decode_log_file.py log seq:2-2 is missing\n" // the skipped block's seq
	wantText := string(want[:i1+len("~~~~~ tip 1 ~~~~~\n")]) + marker + string(want[i2:i3]) + gap + string(want[i3:])
	if string(got) != wantText {
		t.Fatalf("got %d bytes, want %d: tip 1, marker %q, then tip 2 on", len(got), len(wantText), marker)
	}
	if len(events) != 2 || events[0].Kind != Skipped || events[0].Offset != int64(offs[3]) || events[0].Length != int64(skipped) || events[1].Kind != SeqGap {
		t.Fatalf("events %v", events)
	}
}

// TestFirstBlockIsKeptBeforeDamage: Mars starts only where two good blocks
// follow each other, so a damaged second block also drops the first; we
// keep the first and mark the damage.
func TestFirstBlockIsKeptBeforeDamage(t *testing.T) {
	file, want := buildFile(t, block.Options{}, 2, 5)
	offs := blockStarts(t, file)
	bad := bytes.Clone(file)
	bad[offs[1]] = 0x7f // no magic
	got, events := decodeAll(t, crypt.PrivateKeys{}, bad)
	tip1 := bytes.Index(want, []byte("~~~~~ tip 1"))
	wantText := "~~~~~ tip 0 ~~~~~\n" + fmt.Sprintf("[F]decode_log_file.py decode error len=%d\n", offs[2]-offs[1]) + string(want[tip1:])
	if string(got) != wantText {
		t.Fatalf("got %q", got)
	}
	if len(events) != 1 || events[0].Kind != Skipped || events[0].Offset != int64(offs[1]) || events[0].Length != int64(offs[2]-offs[1]) {
		t.Fatalf("events %v", events)
	}
}

func TestMissingBlockIsASeqGap(t *testing.T) {
	file, _ := buildFile(t, block.Options{}, 5, 3)
	offs := blockStarts(t, file)
	// Drop tip 2 and async block seq 2 and seq 3.
	cut := append(bytes.Clone(file[:offs[3]]), file[offs[7]:]...)
	got, events := decodeAll(t, crypt.PrivateKeys{}, cut)
	if !bytes.Contains(got, []byte("[F]decode_log_file.py log seq:2-3 is missing\n")) {
		t.Fatalf("no seq marker in %q", got)
	}
	if k := kinds(events); k[SeqGap] != 1 || len(events) != 1 {
		t.Fatalf("events %v", events)
	}
	if events[0].From != 2 || events[0].To != 3 {
		t.Fatalf("gap %d-%d, want 2-3", events[0].From, events[0].To)
	}
}

func TestTruncatedFileReportsTheTornTail(t *testing.T) {
	in, err := os.ReadFile(filepath.Join(marsDir(t), "zlib.xlog"))
	if err != nil {
		t.Fatal(err)
	}
	offs := blockStarts(t, in)
	last := offs[len(offs)-1]
	cut := in[:last+100] // the closing banner block, torn
	got, events := decodeAll(t, crypt.PrivateKeys{}, cut)
	full, _ := decodeAll(t, crypt.PrivateKeys{}, in[:last])
	if !bytes.Equal(got, full) {
		t.Fatal("text before the torn block changed")
	}
	if len(events) != 1 || events[0].Kind != Truncated || events[0].Offset != int64(last) || events[0].Length != 100 {
		t.Fatalf("events %v", events)
	}
}

func TestLeadingGarbageIsSkippedSilently(t *testing.T) {
	file, want := buildFile(t, block.Options{}, 2, 5)
	junk := append([]byte{0x09, 1, 2, 3, 0x08, 0xff}, file...)
	got, events := decodeAll(t, crypt.PrivateKeys{}, junk)
	if !bytes.Equal(got, want) {
		t.Fatalf("got %q", got)
	}
	if len(events) != 1 || events[0].Kind != Skipped || events[0].Length != 6 {
		t.Fatalf("events %v", events)
	}
}

func TestHPKETamperIsDetected(t *testing.T) {
	ks := keysets(t)[2]
	file, _ := buildFile(t, block.Options{PublicKey: ks.pub}, 1, 20)
	offs := blockStarts(t, file)
	async := offs[1]
	for _, pos := range []int{format.HeaderSize + 10, format.HeaderSize + 200} {
		bad := bytes.Clone(file)
		bad[async+pos] ^= 0x40
		got, events := decodeAll(t, ks.priv, bad)
		if k := kinds(events); k[Tampered] != 1 {
			t.Fatalf("flip at %d: events %v", pos, events)
		}
		if bytes.Contains(got, []byte("seq=0000019")) {
			t.Fatal("lines after the tampered record were decoded")
		}
	}
	// A changed header seq moves the records to another block: rejected.
	bad := bytes.Clone(file)
	bad[async+format.OffSeq] = 9
	if _, events := decodeAll(t, ks.priv, bad); kinds(events)[Tampered] != 1 {
		t.Fatalf("seq change: events %v", events)
	}
}

func TestHPKETruncationIsDetected(t *testing.T) {
	ks := keysets(t)[2]
	b, err := block.NewBuilder(block.Options{PublicKey: ks.pub})
	if err != nil {
		t.Fatal(err)
	}
	buf, _ := b.Start(make([]byte, 0, 8192), 1, 0)
	for i := range 5 {
		buf, _ = b.AppendLine(buf, line(i))
	}
	// A crash: the buffer holds an unfinished block; Recover closes it.
	blk, ok := block.Recover(buf[:cap(buf)])
	if !ok {
		t.Fatal("nothing recovered")
	}
	got, events := decodeAll(t, ks.priv, blk)
	if k := kinds(events); k[Truncated] != 1 || len(events) != 1 {
		t.Fatalf("events %v", events)
	}
	var want []byte
	for i := range 5 {
		want = append(want, line(i)...)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("recovered text %q", got)
	}
	// Cutting whole records off the end is a truncation too.
	fin := b.Finish(buf, 0)
	short := bytes.Clone(fin[:len(fin)-1-18])
	format.PutLength(short, uint32(len(short)-format.HeaderSize))
	short = append(short, 0)
	if _, events := decodeAll(t, ks.priv, short); kinds(events)[Truncated] != 1 {
		t.Fatalf("cut final record: events %v", events)
	}
}

func TestWrongKeyIsBadKey(t *testing.T) {
	ks := keysets(t)
	other := keysets(t)[2].priv
	file, _ := buildFile(t, block.Options{PublicKey: ks[2].pub}, 1, 3)
	if _, events := decodeAll(t, other, file); kinds(events)[BadKey] != 2 {
		t.Fatalf("events %v", events)
	}
}

func marsDir(t *testing.T) string {
	return filepath.Dir(marsFiles(t)[0])
}

// TestCrashRecoveryEveryMode: a buffer left by a crash mid-block, closed by
// block.Recover, decodes to every line that was added.
func TestCrashRecoveryEveryMode(t *testing.T) {
	for _, c := range []block.Compression{block.Zlib, block.LZ4, block.Zstd} {
		for _, k := range keysets(t) {
			b, err := block.NewBuilder(block.Options{Compression: c, PublicKey: k.pub})
			if err != nil {
				t.Fatal(err)
			}
			mmap := make([]byte, 150<<10)
			buf, _ := b.Start(mmap[:0], 42, 3)
			var want []byte
			for i := range 333 {
				buf, _ = b.AppendLine(buf, line(i))
				want = append(want, line(i)...)
			}
			blk, ok := block.Recover(mmap)
			if !ok {
				t.Fatalf("%v/%s: nothing recovered", c, k.name)
			}
			got, events := decodeAll(t, k.priv, blk)
			if !bytes.Equal(got, want) {
				t.Fatalf("%v/%s: recovered %d bytes, want %d", c, k.name, len(got), len(want))
			}
			wantEvents := 0
			if k.name == "hpke" {
				wantEvents = 1 // no final record: reported as truncated
			}
			if len(events) != wantEvents {
				t.Fatalf("%v/%s: events %v", c, k.name, events)
			}
		}
	}
}

func TestHPKESyncBlocks(t *testing.T) {
	ks := keysets(t)[2]
	file, want := buildFile(t, block.Options{PublicKey: ks.pub}, 2, 3)
	offs := blockStarts(t, file) // tip, async, tip, async
	t0, _ := format.ParseHeader(file[offs[0]:])
	t1, _ := format.ParseHeader(file[offs[2]:])
	if t0.Magic != format.MagicSyncHPKE || !bytes.Equal(t0.Key[:crypt.HPKEEncSize+crypt.HPKEKeyIDSize], t1.Key[:crypt.HPKEEncSize+crypt.HPKEKeyIDSize]) {
		t.Fatal("sync blocks of one session should share enc and key id")
	}
	if t0.Key == t1.Key {
		t.Fatal("sync blocks share a nonce counter")
	}
	bad := bytes.Clone(file)
	bad[offs[2]+format.HeaderSize+3] ^= 1
	got, events := decodeAll(t, ks.priv, bad)
	if k := kinds(events); k[Tampered] != 1 || len(events) != 1 {
		t.Fatalf("events %v", events)
	}
	if !bytes.Equal(got, bytes.Replace(want, []byte("~~~~~ tip 1 ~~~~~\n"), nil, 1)) {
		t.Fatalf("got %q", got)
	}
	// Swapping the counters of the two tips breaks both.
	swapped := bytes.Clone(file)
	copy(swapped[offs[0]+format.OffKey:offs[0]+format.HeaderSize], t1.Key[:])
	copy(swapped[offs[2]+format.OffKey:offs[2]+format.HeaderSize], t0.Key[:])
	if _, events := decodeAll(t, ks.priv, swapped); kinds(events)[Tampered] != 2 {
		t.Fatalf("swapped counters: events %v", events)
	}
}

// TestBadPayloadsAreReportedAndSkipped: a client key that is no curve point
// (Mars: "Get ECDH key error") and a damaged zstd frame each cost their
// block only.
func TestBadPayloadsAreReportedAndSkipped(t *testing.T) {
	file, want := buildFile(t, block.Options{PublicKey: marsTestPub}, 2, 4)
	offs := blockStarts(t, file)
	bad := bytes.Clone(file)
	clear(bad[offs[1]+format.OffKey : offs[1]+format.HeaderSize])
	got, events := decodeAll(t, crypt.PrivateKeys{Mars: marsTestPriv}, bad)
	if k := kinds(events); k[BadKey] != 1 || len(events) != 1 {
		t.Fatalf("events %v", events)
	}
	if !bytes.HasSuffix(want, got[bytes.Index(got, []byte("~~~~~ tip 1")):]) || bytes.Contains(got, line(0)) {
		t.Fatalf("got %q", got)
	}

	in, err := os.ReadFile(filepath.Join(marsDir(t), "zstd.xlog"))
	if err != nil {
		t.Fatal(err)
	}
	zbad := bytes.Clone(in) // two blocks: 51 288 and 2 341 bytes
	for i := range 64 {
		zbad[format.HeaderSize+20000+i] ^= 0xA5
	}
	got, events = decodeAll(t, crypt.PrivateKeys{}, zbad)
	if k := kinds(events); k[Corrupt] != 1 || len(events) != 1 {
		t.Fatalf("zstd events %v", events)
	}
	full, _ := os.ReadFile(filepath.Join(marsDir(t), "zstd.txt"))
	// Unchecksummed zstd may print garbage up to the damage; the second
	// block must come out whole.
	if !bytes.HasPrefix(got, full[:1000]) || !bytes.HasSuffix(got, full[len(full)-2000:]) || bytes.Equal(got, full) {
		t.Fatalf("zstd: decoded %d of %d bytes; want the second block intact", len(got), len(full))
	}
}

// TestOneBlockThenATornOne decodes the whole block and the complete lines
// of the torn one, where Mars's decoder (which wants two good blocks to
// start) prints nothing at all. The cut takes the tail and the last two
// payload bytes, which hold the end of the last line.
func TestOneBlockThenATornOne(t *testing.T) {
	file, want := buildFile(t, block.Options{}, 1, 5) // tip, async
	offs := blockStarts(t, file)
	torn := file[:len(file)-3]
	want = want[:bytes.LastIndexByte(want[:len(want)-1], '\n')+1]
	got, events := decodeAll(t, crypt.PrivateKeys{}, torn)
	if !bytes.Equal(got, want) {
		t.Fatalf("got %q", got)
	}
	if len(events) != 1 || events[0].Kind != Truncated || events[0].Offset != int64(offs[1]) {
		t.Fatalf("events %v", events)
	}
}
