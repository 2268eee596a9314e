package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mars-go/mars/xlog/block"
)

// xlogTestdata holds files written by Mars's own xlog (a copy of shared/testdata/mars-xlog).
const xlogTestdata = "../../testdata/mars-xlog"

const marsTestPriv = "cd3ebd9bde16e288447f8fe4b53766640bf5a3838bfe3e9769c8d5402c351b24"

func testdataDir(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(xlogTestdata); err != nil {
		t.Fatal(err)
	}
	return xlogTestdata
}

// runCLI runs the mars command line with args and returns its exit code
// and output.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestXlogDecodeDirectoryWritesDotLog(t *testing.T) {
	src := testdataDir(t)
	dir := t.TempDir()
	names := []string{"zlib", "zlib-crypt", "zstd", "zstd-crypt", "sync-zlib"}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(src, n+".xlog"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n+".xlog"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := runCLI("xlog", "decode", dir, "-k", marsTestPriv)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, n := range names {
		got, err := os.ReadFile(filepath.Join(dir, n+".xlog.log"))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(filepath.Join(src, n+".txt"))
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: decoded text differs (%d vs %d bytes)", n, len(got), len(want))
		}
	}
}

func TestXlogDecodeToStdoutAndMissingKey(t *testing.T) {
	src := testdataDir(t)
	code, stdout, stderr := runCLI("xlog", "decode", "-o", "-", filepath.Join(src, "zlib-crypt.xlog"))
	if code != 1 {
		t.Fatalf("exit %d, want 1 for blocks left locked: %s", code, stderr)
	}
	if !strings.Contains(stderr, "no-key") || !strings.Contains(stderr, "missing or wrong key") {
		t.Fatalf("missing key not reported: %q", stderr)
	}
	if stdout != "" {
		t.Fatalf("Mars encrypts the banners too; stdout should be empty, got %d bytes", len(stdout))
	}
	code, stdout, _ = runCLI("xlog", "decode", "-o", "-", filepath.Join(src, "zlib.xlog"))
	want, _ := os.ReadFile(filepath.Join(src, "zlib.txt"))
	if code != 0 || stdout != string(want) {
		t.Fatalf("-o -: exit %d, %d bytes", code, len(stdout))
	}
}

func TestXlogKeygenRoundTrip(t *testing.T) {
	for _, kind := range []string{"mars", "hpke"} {
		code, stdout, stderr := runCLI("xlog", "keygen", "--kind", kind)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", kind, code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if len(lines) != 4 {
			t.Fatalf("%s: output %q", kind, stdout)
		}
		priv, pub := lines[1], lines[3]
		if kind == "mars" && (len(priv) != 64 || len(pub) != 128) {
			t.Fatalf("mars key lengths %d/%d", len(priv), len(pub))
		}
		if kind == "hpke" && (!strings.HasPrefix(priv, "x25519-secret:") || !strings.HasPrefix(pub, "x25519:")) {
			t.Fatalf("hpke key forms %q %q", priv, pub)
		}
		b, err := block.NewBuilder(block.Options{PublicKey: pub})
		if err != nil {
			t.Fatal(err)
		}
		buf, _ := b.Start(make([]byte, 0, 4096), 1, 0)
		buf, _ = b.AppendLine(buf, []byte("secret line\n"))
		buf = b.Finish(buf, 0)
		file := filepath.Join(t.TempDir(), "k.xlog")
		if err := os.WriteFile(file, buf, 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "k.txt")
		if code, _, stderr := runCLI("xlog", "decode", file, "-k", priv, "-o", out); code != 0 || stderr != "" {
			t.Fatalf("%s decode: exit %d %q", kind, code, stderr)
		}
		if got, _ := os.ReadFile(out); string(got) != "secret line\n" {
			t.Fatalf("%s: decoded %q", kind, got)
		}
	}
}

func TestXlogBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"xlog"},
		{"xlog", "nope"},
		{"xlog", "decode"},
		{"xlog", "decode", "x.xlog", "-k", "zz"},
		{"xlog", "keygen", "--kind", "rsa"},
	} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, stderr := runCLI("xlog", "decode", "/nonexistent/x.xlog"); code != 1 || stderr == "" {
		t.Errorf("missing file: exit %d %q", code, stderr)
	}
}

func TestProgressBarDrawsPermille(t *testing.T) {
	var e bytes.Buffer
	p := &progress{r: strings.NewReader(strings.Repeat("x", 2000)), w: &e, name: "f.xlog", total: 2000, lastPermil: -1}
	buf := make([]byte, 500)
	for {
		if _, err := p.Read(buf); err != nil {
			break
		}
	}
	p.done()
	out := e.String()
	if strings.Count(out, "\r") != 4 || !strings.Contains(out, " 25.0%") || !strings.Contains(out, "[##############################] 100.0%\n") {
		t.Fatalf("progress output %q", out)
	}
	// Not a terminal: no bar at all.
	f, err := os.Open(filepath.Join(testdataDir(t), "zlib.xlog"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if newProgress(f, "x", &e) != nil {
		t.Fatal("progress bar for a non-terminal stderr")
	}
}

// TestXlogDecodeNamesDamageAndExitsNonZero: a truncated unencrypted file is
// reported as cut short (not as locked) with its lines decoded; random
// bytes are damage, not an empty log.
func TestXlogDecodeNamesDamageAndExitsNonZero(t *testing.T) {
	src, dir := testdataDir(t), t.TempDir()
	in, err := os.ReadFile(filepath.Join(src, "zlib.xlog"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.xlog")
	if err := os.WriteFile(cut, in[:len(in)*99/100], 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("xlog", "decode", "-o", "-", cut)
	if code != 1 || !strings.Contains(stderr, "cut short") || strings.Contains(stderr, "encrypted") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if n := strings.Count(stdout, "seq="); n < 1980 {
		t.Fatalf("%d of 2000 lines decoded from a 99%% cut", n)
	}
	junk := filepath.Join(dir, "junk.xlog")
	b := make([]byte, 1<<20)
	for i := range b {
		b[i] = byte(i*7919 + i>>8)
	}
	if err := os.WriteFile(junk, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("xlog", "decode", "-o", "-", junk); code != 1 || !strings.Contains(stderr, "skipped") {
		t.Fatalf("random bytes: exit %d, stderr %q", code, stderr)
	}
}
