package xlog

import (
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mars-go/mars/xlog/block"
	"github.com/mars-go/mars/xlog/crypt"
)

const (
	crashDirEnv   = "XLOG_CRASH_CHILD_DIR"
	crashKeyEnv   = "XLOG_CRASH_CHILD_KEY"
	crashMinLines = 10000
	crashLZ4Env   = "XLOG_CRASH_CHILD_LZ4"
)

// TestCrashChild is the child of TestCrashRecovery: it logs until killed and
// reports, after each returned Log call, how many lines it has logged on
// file descriptor 3.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("only runs as the child of TestCrashRecovery")
	}
	progress := os.NewFile(3, "progress")
	cfg := Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "crash", PublicKey: os.Getenv(crashKeyEnv)}
	if os.Getenv(crashLZ4Env) != "" {
		cfg.Compression = LZ4
	}
	l, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var count [8]byte
	for i := 0; ; i++ {
		l.Log(LevelInfo, "crash", "crash_test.go", "TestCrashChild", 1, testMessage(i))
		binary.LittleEndian.PutUint64(count[:], uint64(i+1))
		if _, err := progress.Write(count[:]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrashRecovery kills an async logger with SIGKILL mid-stream; the next
// Open must recover the buffer, so that every line whose Log call returned
// before the kill is in the decoded file (the issue asks for ≥ 99.9 %).
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	hpkePriv, hpkePub, err := crypt.GenerateHPKEKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		lz4  bool
		pub  string
		keys crypt.PrivateKeys
	}{
		{"zlib", false, "", crypt.PrivateKeys{}},
		{"zlib-mars-crypt", false, marsPub, crypt.PrivateKeys{Mars: marsPriv}},
		{"lz4-hpke", true, hpkePub, crypt.PrivateKeys{HPKE: hpkePriv}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			logged := runCrashChild(t, dir, c.pub, c.lz4)
			raw, err := os.ReadFile(filepath.Join(dir, "crash"+mmapSuffix))
			if err != nil {
				t.Fatal(err)
			}
			if c.pub != "" && strings.Contains(string(raw), "quick brown fox") {
				t.Fatal("the buffer file holds plaintext although a key is set")
			}
			cfg := Config{MaxBlockWait: testBlockWait, LogDir: dir, NamePrefix: "crash", PublicKey: c.pub}
			if c.lz4 {
				cfg.Compression = LZ4
			}
			l, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			d := decodeDir(t, dir, c.keys)
			// The kill may land after the writer emptied the pending half and
			// before the next line started a block in the active one: then
			// every returned line is in the file already and there is nothing
			// to recover (Mars writes no markers then either).
			held := bufferHoldsBlock(raw)
			hasMarkers := strings.Contains(d.text, mmapBeginMarker) && strings.Contains(d.text, mmapEndMarker)
			if hasMarkers != held {
				t.Fatalf("recovery markers in the file: %v, but the buffer held a block: %v", hasMarkers, held)
			}
			seen := map[string]bool{}
			for _, m := range d.messages("crash") {
				seen[m] = true
			}
			var missing []int
			for i := range logged {
				if !seen[testMessage(i)] {
					missing = append(missing, i)
				}
			}
			if len(missing) != 0 {
				t.Errorf("%d of %d lines logged before SIGKILL missing after recovery (it should keep every returned line); first: %v",
					len(missing), logged, missing[:min(len(missing), 5)])
			}
		})
	}
}

// bufferHoldsBlock reports whether either half of a buffer file holds a
// block that the next Open recovers.
func bufferHoldsBlock(raw []byte) bool {
	half := len(raw) / 2
	for _, h := range [][]byte{raw[:half], raw[half:]} {
		if _, ok := block.Recover(h); ok {
			return true
		}
	}
	return false
}

// runCrashChild starts the child, kills it once it has logged crashMinLines
// lines and returns how many lines it reported as logged.
func runCrashChild(t *testing.T, dir, pub string, lz4 bool) int {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashKeyEnv+"="+pub)
	if lz4 {
		cmd.Env = append(cmd.Env, crashLZ4Env+"=1")
	}
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var buf [8]byte
	logged := uint64(0)
	killed := false
	for {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			break // EOF once the child is gone
		}
		logged = binary.LittleEndian.Uint64(buf[:])
		if !killed && logged >= crashMinLines {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended before logging %d lines: %v", crashMinLines, err)
	}
	return int(logged)
}
