package decode

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/xlog/crypt"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// marsTestdata holds files written by Mars's own xlog with their text.
const marsTestdata = "../../testdata/mars-xlog"

// marsTestPriv is the test private key from the testdata README.
const marsTestPriv = "cd3ebd9bde16e288447f8fe4b53766640bf5a3838bfe3e9769c8d5402c351b24"

func marsFiles(t testing.TB) []string {
	dir := marsTestdata
	files, err := filepath.Glob(filepath.Join(dir, "*.xlog"))
	if err != nil || len(files) != 5 {
		t.Fatalf("want the 5 Mars testdata files in %s, got %d (%v)", dir, len(files), err)
	}
	return files
}

func TestDecodeMarsTestdata(t *testing.T) {
	for _, f := range marsFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(f[:len(f)-len(".xlog")] + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			var events []Event
			d, err := New(Options{Keys: crypt.PrivateKeys{Mars: marsTestPriv}, OnEvent: func(e Event) { events = append(events, e) }})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			st, err := d.Decode(&out, bytes.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Fatalf("decoded %d bytes, want %d; first difference at %d", out.Len(), len(want), firstDiff(out.Bytes(), want))
			}
			if len(events) != 0 || st.Problems != 0 || st.SkippedBytes != 0 {
				t.Fatalf("clean file reported problems: %v %+v", events, st)
			}
			if st.InputBytes != int64(len(in)) || st.OutputBytes != int64(len(want)) {
				t.Fatalf("stats %+v, input %d", st, len(in))
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestDecodeFuncRejectsBadKeys(t *testing.T) {
	if _, err := Decode(nil, nil, Options{Keys: crypt.PrivateKeys{Mars: "zz"}}); err == nil {
		t.Fatal("bad Mars key accepted")
	}
	if _, err := Decode(nil, nil, Options{Keys: crypt.PrivateKeys{HPKE: "x25519-secret:00"}}); err == nil {
		t.Fatal("bad HPKE key accepted")
	}
	var out bytes.Buffer
	st, err := Decode(&out, bytes.NewReader(nil), Options{})
	if err != nil || out.Len() != 0 || st != (Stats{}) {
		t.Fatalf("empty input: %+v %v", st, err)
	}
}

type failWriter struct{ after int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

type failReader struct {
	r     io.Reader
	after int
}

func (f *failReader) Read(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("read failed")
	}
	n, err := f.r.Read(p[:min(len(p), f.after)])
	f.after -= n
	return n, err
}

func TestReadAndWriteErrorsAreReturned(t *testing.T) {
	in, err := os.ReadFile(filepath.Join(marsDir(t), "zlib.xlog"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(&failWriter{after: 100 << 10}, bytes.NewReader(in), Options{}); err == nil || err.Error() != "disk full" {
		t.Fatalf("write error: %v", err)
	}
	if _, err := Decode(io.Discard, &failReader{r: bytes.NewReader(in), after: 20000}, Options{}); err == nil || err.Error() != "read failed" {
		t.Fatalf("read error: %v", err)
	}
}
