package decode

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/format"
)

// TestTruncatedMarsFilesKeepEveryCompleteLine cuts each of Mars's files at
// many points: the text must be the file's text up to a line end (nothing
// invented, no partial line), it must hold every line whose bytes are
// before the cut, and the cut must be reported as such.
func TestTruncatedMarsFilesKeepEveryCompleteLine(t *testing.T) {
	keys := crypt.PrivateKeys{Mars: marsTestPriv}
	for _, f := range marsFiles(t) {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".xlog") + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		total := bytes.Count(want, []byte("seq="))
		for _, permil := range []int{990, 999, 900, 500, 100, 10} {
			cutAt := len(in) * permil / 1000
			got, events, st := decodeStats(t, keys, in[:cutAt])
			name := filepath.Base(f)
			if !bytes.HasPrefix(want, got) || (len(got) > 0 && got[len(got)-1] != '\n') {
				t.Fatalf("%s cut at %d‰: text is not a whole-line prefix of the file's (%d bytes, first difference at %d)", name, permil, len(got), firstDiff(got, want))
			}
			lines := bytes.Count(got, []byte("seq="))
			if min := total * permil / 1000; permil >= 990 && lines < min {
				t.Errorf("%s cut at %d‰: %d of %d lines, want at least %d", name, permil, lines, total, min)
			}
			if permil >= 100 && lines == 0 {
				t.Errorf("%s cut at %d‰: no line", name, permil)
			}
			if k := kinds(events); k[Truncated] != 1 || len(events) != 1 || !st.Damaged() || st.CutBlocks != 1 {
				t.Errorf("%s cut at %d‰: events %v, stats %+v", name, permil, events, st)
			}
		}
	}
}

func TestRandomBytesAreDamageNotAnEmptyLog(t *testing.T) {
	junk := make([]byte, 1<<20)
	r := rand.NewChaCha8([32]byte{11})
	_, _ = r.Read(junk)
	_, _, st := decodeStats(t, crypt.PrivateKeys{}, junk)
	if !st.Damaged() || st.SkippedBytes < int64(len(junk))/2 {
		t.Fatalf("random bytes: %+v", st)
	}
	if _, _, st := decodeStats(t, crypt.PrivateKeys{}, nil); st.Damaged() || st.Problems != 0 {
		t.Fatalf("empty input: %+v", st)
	}
}

// tornFile is a file in which a crash cut a block write short and the next
// session appended blocks after it: good blocks, the first cut bytes of
// another block, more good blocks. It returns the file, the text of the
// good blocks, and the torn block's lines and size.
type tornFile struct {
	before, torn, after             []byte
	beforeText, afterText, tornText []byte
}

func newTornFile(t *testing.T, o block.Options) tornFile {
	t.Helper()
	var f tornFile
	f.before, f.beforeText = buildFile(t, o, 3, 200)
	torn, tt := buildFile(t, o, 1, 400)
	f.after, f.afterText = buildFile(t, o, 3, 200)
	f.torn = torn[blockStarts(t, torn)[1]:] // the async block, without its tip
	f.tornText = tt[bytes.IndexByte(tt, '\n')+1:]
	return f
}

func (f tornFile) cutAt(n int) []byte {
	return append(append(bytes.Clone(f.before), f.torn[:n]...), f.after...)
}

// TestTornBlockIsCutWhereTheNextBlockStarts: whatever the cut point, every
// line of the good blocks comes out, the torn block gives only a prefix of
// its lines, and nothing else is in the text (Mars's decoder latches onto
// the stale length and false headers after it).
func TestTornBlockIsCutWhereTheNextBlockStarts(t *testing.T) {
	for _, k := range keysets(t) {
		for _, c := range []block.Compression{block.Zlib, block.Zstd, block.LZ4} {
			f := newTornFile(t, block.Options{Compression: c, PublicKey: k.pub})
			for cut := 1; cut < len(f.torn)-1; cut += 1 + len(f.torn)/37 {
				got, events, st := decodeStats(t, k.priv, f.cutAt(cut))
				mid, ok1 := bytes.CutPrefix(got, f.beforeText)
				mid, ok2 := bytes.CutSuffix(mid, f.afterText)
				if !ok1 || !ok2 {
					t.Fatalf("%v/%s cut %d: the good blocks' lines are not all there (%d bytes)", c, k.name, cut, len(got))
				}
				if cut < format.HeaderSize {
					mid = bytes.TrimPrefix(mid, fmt.Appendf(nil, "[F]decode_log_file.py decode error len=%d\n", cut))
				}
				if !bytes.HasPrefix(f.tornText, mid) || (len(mid) > 0 && mid[len(mid)-1] != '\n') {
					t.Fatalf("%v/%s cut %d: %q is not whole lines of the torn block", c, k.name, cut, mid)
				}
				wantCut := int64(1)
				if cut < format.HeaderSize {
					wantCut = 0 // a torn header holds no lines: skipped, with Mars's marker
				}
				if st.CutBlocks != wantCut || st.DamagedBlocks != 0 || !st.Damaged() {
					t.Fatalf("%v/%s cut %d: stats %+v events %v", c, k.name, cut, st, events)
				}
			}
		}
	}
}
