package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mars-go/mars/internal/version"
)

type parsed struct {
	timeout time.Duration
	version uint32
	n       int
	size    int64
	json    bool
	urls    []string
	kind    string
}

func newTestSet(p *parsed) *FlagSet {
	fs := New("mars test", "usage:\n  mars test ARG... [flags]\n")
	fs.Duration(&p.timeout, "timeout", 10*time.Second, "overall `timeout`")
	fs.Uint32(&p.version, "client-version", 200, "client_version `N`")
	fs.Int(&p.n, "n", 1, "how many")
	fs.Int64(&p.size, "size", 0, "size in `bytes`")
	fs.Bool(&p.json, "json", false, "print JSON")
	fs.Strings(&p.urls, "http", "`URL` to GET (repeatable)")
	fs.StringVar(&p.kind, "kind", "mars", "key `kind`")
	return fs
}

func parse(args ...string) (p parsed, pos []string, code int, ok bool, stdout, stderr string) {
	var out, errb bytes.Buffer
	pos, code, ok = newTestSet(&p).Parse(args, &out, &errb)
	return p, pos, code, ok, out.String(), errb.String()
}

func TestParseInterleavesFlagsAndArguments(t *testing.T) {
	p, pos, code, ok, _, stderr := parse("a:1", "--timeout", "5s", "b:2", "--http", "u1", "-json", "--http=u2", "-n", "3", "--client-version", "7")
	if !ok || code != 0 || stderr != "" {
		t.Fatalf("ok %v code %d stderr %q", ok, code, stderr)
	}
	if strings.Join(pos, " ") != "a:1 b:2" || p.timeout != 5*time.Second || !p.json || p.n != 3 || p.version != 7 ||
		strings.Join(p.urls, " ") != "u1 u2" {
		t.Errorf("parsed %+v, positional %q", p, pos)
	}
}

func TestHelpGoesToStdoutAndExitsZero(t *testing.T) {
	for _, h := range []string{"-h", "--help", "-help"} {
		_, _, code, ok, stdout, stderr := parse("x", h)
		if ok || code != 0 || stderr != "" {
			t.Errorf("%s: ok %v code %d stderr %q", h, ok, code, stderr)
		}
		for _, want := range []string{"usage:\n  mars test", "flags:\n", "  --timeout timeout\n      overall timeout (default 10s)\n",
			"  -n value\n", "  --json\n      print JSON\n", "  -h, --help\n", "  --version\n"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s: usage lacks %q:\n%s", h, want, stdout)
			}
		}
	}
}

func TestVersionPrintsTheReleaseAndExitsZero(t *testing.T) {
	_, _, code, ok, stdout, _ := parse("--version")
	if ok || code != 0 || stdout != "mars "+version.String()+"\n" {
		t.Errorf("ok %v code %d stdout %q", ok, code, stdout)
	}
	if _, _, _, ok, _, _ := parse("--", "--version"); !ok {
		t.Error("--version after -- is an argument, not the flag")
	}
}

func TestBadValuesSayWhatWasWanted(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--timeout", "5"}, `invalid value "5" for flag --timeout: want a duration such as 5s`},
		{[]string{"--client-version", "-1"}, "--client-version: want a whole number from 0 to 4294967295"},
		{[]string{"--client-version", "4294967296"}, "want a whole number from 0 to 4294967295"},
		{[]string{"-n", "x"}, "-n: want a whole number"},
		{[]string{"--size", "1k"}, "--size: want a whole number"},
		{[]string{"--json=maybe"}, "--json: want true or false"},
		{[]string{"--nope"}, "flag provided but not defined: --nope"},
		{[]string{"--timeout"}, "flag needs an argument: --timeout"},
	} {
		_, _, code, ok, stdout, stderr := parse(tc.args...)
		if ok || code != ExitUsage || stdout != "" {
			t.Errorf("%q: ok %v code %d stdout %q", tc.args, ok, code, stdout)
		}
		if !strings.HasPrefix(stderr, "mars test: ") || !strings.Contains(stderr, tc.want) ||
			!strings.HasSuffix(stderr, "run 'mars test -h' for help\n") {
			t.Errorf("%q: stderr %q, want it to say %q", tc.args, stderr, tc.want)
		}
	}
}

func TestFailNamesTheCommand(t *testing.T) {
	var p parsed
	var b bytes.Buffer
	newTestSet(&p).Fail(&b, "give at least %s", "one HOST:PORT")
	if b.String() != "mars test: give at least one HOST:PORT\nrun 'mars test -h' for help\n" {
		t.Errorf("%q", b.String())
	}
}
