package main

import (
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/internal/version"
)

// TestMain fails the package if a goroutine (the demo's engine, marsd or
// xlog writer, a diag probe) outlives the tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Every command and subcommand answers -h and --help alike: the usage on
// stdout, nothing on stderr, exit 0; and --version prints the release.
func TestHelpAndVersionEverywhere(t *testing.T) {
	for _, cmd := range [][]string{{}, {"diag"}, {"xlog"}, {"xlog", "decode"}, {"xlog", "keygen"}, {"demo"}} {
		for _, h := range []string{"-h", "--help"} {
			args := append(append([]string{}, cmd...), h)
			code, stdout, stderr := runCLI(args...)
			if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "usage:\n  mars ") {
				t.Errorf("mars %v: exit %d, stderr %q, stdout %.60q", args, code, stderr, stdout)
			}
		}
		args := append(append([]string{}, cmd...), "--version")
		if code, stdout, _ := runCLI(args...); code != 0 || stdout != "mars "+version.String()+"\n" {
			t.Errorf("mars %v: exit %d, stdout %q", args, code, stdout)
		}
	}
}

// Bad command lines exit 2 and say, on stderr, what was wrong and where to
// read more.
func TestBadCommandLinesSayWhatWasWanted(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"nope"}, `mars: unknown command "nope", want one of demo, diag, xlog`},
		{[]string{"xlog", "nope"}, `mars xlog: unknown subcommand "nope", want decode or keygen`},
		{[]string{"xlog", "keygen", "--kind", "rsa"}, `mars xlog keygen: --kind "rsa": want mars or hpke`},
		{[]string{"demo", "--dir"}, "mars demo: flag needs an argument: --dir"},
		{[]string{"demo", "extra"}, `mars demo: unexpected argument "extra"`},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "-h' for help\n") {
			t.Errorf("mars %v: exit %d, stdout %q, stderr %q; want %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}
