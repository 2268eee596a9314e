// Package cli gives the project's commands (mars and its subcommands,
// marsd) one behaviour on the command line:
//
//   - -h and --help print the usage on stdout and exit 0;
//   - --version prints "NAME VERSION" on stdout and exits 0;
//   - a bad flag or value prints "NAME: what was wrong and what was wanted"
//     and a pointer to -h on stderr, and exits 2;
//   - flags may come before, between or after the positional arguments;
//   - flags of more than one letter are written --name, one-letter ones -x
//     (the parser takes either form, as the flag package does).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mars-go/mars/internal/version"
)

// ExitUsage is the exit status of a command line that could not be parsed.
const ExitUsage = 2

// FlagSet is a flag.FlagSet that prints nothing itself: Parse reports.
type FlagSet struct {
	*flag.FlagSet
	// Epilogue is printed by -h after the flags (more reference text).
	Epilogue string
	name     string // "mars diag"
	usage    string // the synopsis and description, ending in a newline
}

// New returns an empty FlagSet for the command name ("mars diag"). usage
// is the text printed before the flags by -h: the usage lines and what the
// command does.
func New(name, usage string) *FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &FlagSet{FlagSet: fs, name: name, usage: usage}
}

// Parse parses args. ok false means the command must stop now and exit with
// code: 0 after -h or --version, ExitUsage after a bad command line (the
// problem is already printed on stderr). Otherwise pos holds the
// positional arguments in order.
func (f *FlagSet) Parse(args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--version" || a == "-version" {
			fmt.Fprintf(stdout, "%s %s\n", strings.Fields(f.name)[0], version.String())
			return nil, 0, false
		}
	}
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.PrintUsage(stdout)
				return nil, 0, false
			}
			f.Fail(stderr, "%s", longForm(err.Error()))
			return nil, ExitUsage, false
		}
		args = f.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// Fail prints "NAME: message" and the pointer to -h on stderr, for a
// command line that parsed but makes no sense; the caller exits ExitUsage.
func (f *FlagSet) Fail(stderr io.Writer, format string, a ...any) {
	fmt.Fprintf(stderr, "%s: %s\nrun '%s -h' for help\n", f.name, fmt.Sprintf(format, a...), f.name)
}

// PrintUsage writes the usage text and every flag with its default.
func (f *FlagSet) PrintUsage(w io.Writer) {
	fmt.Fprint(w, f.usage)
	fmt.Fprintln(w, "\nflags:")
	f.VisitAll(func(fl *flag.Flag) {
		name, help := flag.UnquoteUsage(fl)
		line := "  " + dashes(fl.Name) + fl.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(w, "%s\n      %s", line, help)
		if fl.DefValue != "" && fl.DefValue != "0" && fl.DefValue != "0s" && fl.DefValue != "false" && fl.DefValue != "[]" {
			fmt.Fprintf(w, " (default %s)", fl.DefValue)
		}
		fmt.Fprintln(w)
	})
	fmt.Fprintf(w, "  -h, --help\n      print this help and exit\n  --version\n      print %s's version and exit\n",
		strings.Fields(f.name)[0])
	fmt.Fprint(w, f.Epilogue)
}

func dashes(name string) string {
	if len(name) == 1 {
		return "-"
	}
	return "--"
}

// flagRef finds the flag package's "-name" in its messages.
var flagRef = regexp.MustCompile(`(^|[ :])-([A-Za-z0-9][A-Za-z0-9-]+)`)

// longForm rewrites the flag package's "-timeout" as "--timeout".
func longForm(msg string) string {
	return flagRef.ReplaceAllString(msg, "$1--$2")
}

// Duration defines a duration flag whose bad values say what is wanted.
func (f *FlagSet) Duration(p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	f.Var((*durationValue)(p), name, usage)
}

// Uint32 defines a flag holding a number from 0 to 2^32-1.
func (f *FlagSet) Uint32(p *uint32, name string, value uint32, usage string) {
	*p = value
	f.Var((*uint32Value)(p), name, usage)
}

// Int defines an integer flag whose bad values say what is wanted.
func (f *FlagSet) Int(p *int, name string, value int, usage string) {
	*p = value
	f.Var((*intValue)(p), name, usage)
}

// Int64 defines a 64-bit integer flag whose bad values say what is wanted.
func (f *FlagSet) Int64(p *int64, name string, value int64, usage string) {
	*p = value
	f.Var((*int64Value)(p), name, usage)
}

// Bool defines a flag that is set by its name alone (--json); an explicit
// value (--json=false) must be true or false.
func (f *FlagSet) Bool(p *bool, name string, value bool, usage string) {
	*p = value
	f.Var((*boolValue)(p), name, usage)
}

// Strings defines a repeatable string flag; each use appends.
func (f *FlagSet) Strings(p *[]string, name, usage string) {
	f.Var((*stringsValue)(p), name, usage)
}

type durationValue time.Duration

func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 5s, 300ms or 1m30s")
	}
	*d = durationValue(v)
	return nil
}
func (d *durationValue) String() string { return time.Duration(*d).String() }

type uint32Value uint32

func (u *uint32Value) Set(s string) error {
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		return fmt.Errorf("want a whole number from 0 to 4294967295")
	}
	*u = uint32Value(v)
	return nil
}
func (u *uint32Value) String() string { return strconv.FormatUint(uint64(*u), 10) }

type intValue int

func (i *intValue) Set(s string) error {
	v, err := strconv.ParseInt(s, 0, strconv.IntSize)
	if err != nil {
		return fmt.Errorf("want a whole number such as 10")
	}
	*i = intValue(v)
	return nil
}
func (i *intValue) String() string { return strconv.Itoa(int(*i)) }

type int64Value int64

func (i *int64Value) Set(s string) error {
	v, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		return fmt.Errorf("want a whole number such as 1024")
	}
	*i = int64Value(v)
	return nil
}
func (i *int64Value) String() string { return strconv.FormatInt(int64(*i), 10) }

type stringsValue []string

func (l *stringsValue) Set(s string) error { *l = append(*l, s); return nil }
func (l *stringsValue) String() string     { return strings.Join(*l, ",") }

type boolValue bool

func (b *boolValue) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	*b = boolValue(v)
	return nil
}
func (b *boolValue) String() string   { return strconv.FormatBool(bool(*b)) }
func (b *boolValue) IsBoolFlag() bool { return true }
