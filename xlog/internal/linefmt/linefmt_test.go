package linefmt

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestAppendLineByteByByte(t *testing.T) {
	utc := time.Date(2026, 11, 29, 12, 7, 20, 796_900_000, time.UTC)
	cases := []struct {
		name string
		r    Record
		want string
	}{
		{"reference example", Record{Letter: 'I', Time: utc, Pid: 25038, Tid: 25041, Tag: "bench",
			File: "/src/x/bench.cc", Func: "worker", Line: 41, Message: "t=0 seq=1"},
			"[I][2026-11-29 +0.0 12:07:20.796][25038, 25041][bench][bench.cc:41, worker][t=0 seq=1\n"},
		{"main thread star", Record{Letter: 'E', Time: utc, Pid: 7, Tid: 7, Main: true, Message: "x\n"},
			"[E][2026-11-29 +0.0 12:07:20.796][7, 7*][][:0, ][x\n"},
		{"windows path and zero time", Record{Letter: 'W', Pid: 1, Tid: 2, File: `C:\a\b.c`, Line: 3, Func: "f"},
			"[W][][1, 2][][b.c:3, f][\n"},
		{"india", Record{Letter: 'D', Time: utc.In(time.FixedZone("IST", 19800)), Message: "m"},
			"[D][2026-11-29 +5.5 17:37:20.796][0, 0][][:0, ][m\n"},
		{"newfoundland", Record{Letter: 'V', Time: utc.In(time.FixedZone("NST", -12600)), Message: "m"},
			"[V][2026-11-29 -3.5 08:37:20.796][0, 0][][:0, ][m\n"},
		{"shanghai", Record{Letter: 'F', Time: utc.In(time.FixedZone("CST", 8*3600)), Message: "m"},
			"[F][2026-11-29 +8.0 20:07:20.796][0, 0][][:0, ][m\n"},
		{"nul cuts message", Record{Letter: 'I', Message: "ab\x00cd"},
			"[I][][0, 0][][:0, ][ab\n"},
	}
	var f Formatter
	for _, c := range cases {
		for _, got := range []string{string(AppendLine(nil, &c.r)), string(f.AppendLine(nil, &c.r))} {
			if got != c.want {
				t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
			}
		}
	}
}

func TestAppendLineLimits(t *testing.T) {
	r := Record{Letter: 'I', Tag: strings.Repeat("t", 2000), Message: strings.Repeat("m", 40000)}
	var f Formatter
	got, cut := f.AppendLineCut(nil, &r)
	if max := lineBufferLen - lineReserve + 1; len(got) > max || len(got) < max-maxCutMark {
		t.Fatalf("line length %d, want about %d", len(got), max)
	}
	if got[len(got)-1] != '\n' || len(got) > MaxLine {
		t.Fatalf("line not newline-terminated or too long: %d", len(got))
	}
	kept := strings.Count(string(got), "m")
	if cut != 40000-kept || !strings.HasSuffix(string(got), CutMark(cut)+"\n") {
		t.Fatalf("cut %d, kept %d, line ends %q", cut, kept, got[len(got)-40:])
	}
}

// TestCutMessageIsMarkedOnARuneBoundary: a cut line says so, and never
// splits a UTF-8 sequence.
func TestCutMessageIsMarkedOnARuneBoundary(t *testing.T) {
	for pad := range 4 {
		msg := strings.Repeat("x", pad) + strings.Repeat("é✓", 6000)
		got, cut := appendCut(&Record{Letter: 'I', Message: msg})
		if !utf8.Valid(got) || cut == 0 || !strings.HasSuffix(string(got), CutMark(cut)+"\n") {
			t.Fatalf("pad %d: cut %d, valid %v, ends %q", pad, cut, utf8.Valid(got), got[len(got)-40:])
		}
		prefix := strings.TrimSuffix(string(AppendLine(nil, &Record{Letter: 'I'})), "\n")
		kept := strings.TrimSuffix(strings.TrimPrefix(string(got), prefix), CutMark(cut)+"\n")
		if len(kept)+cut != len(msg) || !strings.HasPrefix(msg, kept) {
			t.Fatalf("pad %d: kept %d bytes + cut %d != %d", pad, len(kept), cut, len(msg))
		}
	}
	short, cut := appendCut(&Record{Letter: 'I', Message: "fits"})
	if cut != 0 || strings.Contains(string(short), "truncated") {
		t.Fatalf("short line marked: %q", short)
	}
}

func appendCut(r *Record) ([]byte, int) {
	var f Formatter
	return f.AppendLineCut(nil, r)
}

// TestMatchesMarsFiles formats every bench line of Mars's own decoded output
// again and expects the identical bytes.
func TestMatchesMarsFiles(t *testing.T) {
	for _, name := range []string{"zlib.txt", "sync-zlib.txt", "zstd.txt"} {
		file, err := os.Open("../../../testdata/mars-xlog/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		var f Formatter // cached across lines, as the logger uses it
		n := 0
		for sc.Scan() {
			line := sc.Text() + "\n"
			if !strings.HasPrefix(line, "[I][") {
				continue
			}
			r := parseBenchLine(t, line)
			if got := string(f.AppendLine(nil, &r)); got != line {
				t.Fatalf("%s: got %q want %q", name, got, line)
			}
			n++
		}
		file.Close()
		if n != 2000 {
			t.Fatalf("%s: %d lines compared, want 2000", name, n)
		}
	}
}

func parseBenchLine(t *testing.T, line string) Record {
	t.Helper()
	const marker = "][bench][bench.cc:41, worker]["
	i := strings.Index(line, marker)
	if i < 0 {
		t.Fatalf("unexpected line %q", line)
	}
	head, msg := line[:i], line[i+len(marker):]
	// head: [I][2026-11-29 +0.0 12:33:24.330][27513, 27517
	ts, err := time.Parse("2006-01-02 +0.0 15:04:05.000", head[4:32])
	if err != nil {
		t.Fatal(err)
	}
	var pid, tid int
	ids := head[34:]
	for j, part := range strings.Split(ids, ", ") {
		v := 0
		for _, c := range part {
			v = v*10 + int(c-'0')
		}
		if j == 0 {
			pid = v
		} else {
			tid = v
		}
	}
	return Record{Letter: 'I', Time: ts, Pid: pid, Tid: tid, Tag: "bench", File: "bench.cc",
		Func: "worker", Line: 41, Message: msg}
}

func TestAppendConsole(t *testing.T) {
	r := Record{Letter: 'I', Tag: "net", File: "/a/conn.cc", Func: "void mars::stn::Conn::Connect(int)",
		Line: 9, Message: "up"}
	if got, want := string(AppendConsole(nil, &r)), "[I][net][conn.cc, Connect, 9][up\n"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	for in, want := range map[string]string{
		"github.com/x/y.(*Conn).Run": "github.com/x/y.(*Conn).Run",
		"main.run":                   "main.run",
		"int f(void)":                "f",
		"":                           "",
	} {
		if got := BareFunc(in); got != want {
			t.Errorf("BareFunc(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAppendBannerTime(t *testing.T) {
	ts := time.Date(2026, 11, 29, 12, 33, 24, 0, time.FixedZone("", -(3*3600+1800)))
	got := string(AppendBannerTime(nil, 27513, 27513, ts))
	if want := "[27513,27513][2026-11-29 -0330 12:33:24]"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestAppendMessage(t *testing.T) {
	if got := string(AppendMessage(nil, "get mmap time: 0")); got != "get mmap time: 0\n" {
		t.Fatalf("got %q", got)
	}
	if got := string(AppendMessage([]byte("x"), "a\n")); got != "xa\n" {
		t.Fatalf("got %q", got)
	}
}
