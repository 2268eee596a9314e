package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/mars-go/mars/internal/cli"
	"github.com/mars-go/mars/xlog/crypt"
	"github.com/mars-go/mars/xlog/decode"
)

func init() {
	register("xlog", command{summary: "decode xlog files, generate log keys", run: runXlog})
}

const xlogUsage = `usage:
  mars xlog decode FILE|DIR... [-k PRIVKEY]... [-o OUT]
  mars xlog keygen [--kind mars|hpke]

decode: decode each FILE (every *.xlog in a DIR) to FILE.log, or to OUT;
"-o -" writes to stdout. -k takes a Mars private key (64 hex) or an HPKE
one (x25519-secret:...); give both for mixed files. Damage is decoded
around: every complete line of a block cut short (truncated file, crash
during a write) is kept, and bytes that hold no block are skipped with
Mars's "decode error len=N" marker. Each problem is named on stderr (cut
short, damaged, skipped, no key). Exit status: 0 every block decoded (a
seq gap alone, "log seq:a-b is missing", is not damage); 1 the input was
damaged or unreadable, or encrypted blocks were left unopened (the text
written holds what could be decoded); 2 bad usage.

keygen: print a new key pair: the private key for decoding and the public
key for the logger's config.
`

func runXlog(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, xlogUsage)
		return cli.ExitUsage
	}
	switch args[0] {
	case "decode":
		return runDecode(args[1:], stdout, stderr)
	case "keygen":
		return runKeygen(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, xlogUsage)
		return 0
	case "--version":
		_, code, _ := cli.New("mars xlog", xlogUsage).Parse(args[:1], stdout, stderr)
		return code
	}
	fmt.Fprintf(stderr, "mars xlog: unknown subcommand %q, want decode or keygen\nrun 'mars xlog -h' for help\n", args[0])
	return cli.ExitUsage
}

func runDecode(args []string, stdout, stderr io.Writer) int {
	fs := cli.New("mars xlog decode", xlogUsage)
	var keys []string
	fs.Strings(&keys, "k", "private `key` (Mars 64 hex or x25519-secret:...); repeatable")
	out := fs.String("o", "", "output `file` (\"-\" = stdout; default FILE.log)")
	files, code, ok := fs.Parse(args, stdout, stderr)
	if !ok {
		return code
	}
	var pk crypt.PrivateKeys
	for _, k := range keys {
		if err := pk.AddPrivateKey(k); err != nil {
			fs.Fail(stderr, "-k: %v; want 64 hex digits (Mars) or x25519-secret:... (HPKE)", err)
			return cli.ExitUsage
		}
	}
	inputs, err := expandInputs(files)
	if err != nil {
		fmt.Fprintf(stderr, "mars xlog decode: %v\n", err)
		return 1
	}
	if len(inputs) == 0 {
		fs.Fail(stderr, "no input files; want FILE.xlog or a DIR holding some")
		return cli.ExitUsage
	}
	if *out != "" && *out != "-" && len(inputs) > 1 {
		fs.Fail(stderr, "-o FILE needs exactly one input (use -o - to concatenate)")
		return cli.ExitUsage
	}
	status := 0
	for _, in := range inputs {
		dst := in + ".log"
		if *out != "" {
			dst = *out
		}
		if err := decodeFile(in, dst, pk, stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "mars xlog decode: %s: %v\n", in, err)
			status = 1
		}
	}
	return status
}

// expandInputs replaces each directory by the *.xlog files in it, as
// Mars's decoder does.
func expandInputs(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, "*.xlog"))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	return files, nil
}

func decodeFile(in, dst string, keys crypt.PrivateKeys, stdout, stderr io.Writer) (err error) {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	var w io.Writer = stdout
	if dst != "-" {
		o, err := os.Create(dst)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := o.Close(); err == nil {
				err = cerr
			}
		}()
		w = o
	}
	d, err := decode.New(decode.Options{Keys: keys, OnEvent: func(e decode.Event) {
		fmt.Fprintf(stderr, "mars xlog decode: %s: %v\n", in, e)
	}})
	if err != nil {
		return err
	}
	var r io.Reader = f
	if p := newProgress(f, in, stderr); p != nil {
		defer p.done()
		r = p
	}
	st, err := d.Decode(w, r)
	if err != nil {
		return err
	}
	return st.Incomplete()
}

func runKeygen(args []string, stdout, stderr io.Writer) int {
	fs := cli.New("mars xlog keygen", xlogUsage)
	kind := fs.String("kind", "mars", "key `kind`: mars (secp256k1, Mars-compatible) or hpke (x25519)")
	if _, code, ok := fs.Parse(args, stdout, stderr); !ok {
		return code
	}
	var priv, pub string
	var err error
	switch *kind {
	case "mars":
		priv, pub, err = crypt.GenerateMarsKey()
	case "hpke":
		priv, pub, err = crypt.GenerateHPKEKey()
	default:
		fs.Fail(stderr, "--kind %q: want mars or hpke", *kind)
		return cli.ExitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "mars xlog keygen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "private key (keep secret; mars xlog decode -k):\n%s\npublic key (logger config PublicKey):\n%s\n", priv, pub)
	return 0
}

// progressMin is the input size from which a terminal gets a progress bar.
const progressMin = 8 << 20

// progress draws a bar on a terminal stderr while a large file is read.
type progress struct {
	r          io.Reader
	w          io.Writer
	name       string
	total, n   int64
	lastPermil int64
}

// newProgress returns nil unless stderr is a terminal and f is large.
func newProgress(f *os.File, name string, stderr io.Writer) *progress {
	tf, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(tf.Fd())) {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Size() < progressMin {
		return nil
	}
	return &progress{r: f, w: stderr, name: name, total: st.Size(), lastPermil: -1}
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if permil := p.n * 1000 / p.total; permil != p.lastPermil {
		p.lastPermil = permil
		const width = 30
		fill := int(permil * width / 1000)
		fmt.Fprintf(p.w, "\r%s [%s%s] %5.1f%%", p.name, strings.Repeat("#", fill), strings.Repeat(".", width-fill), float64(permil)/10)
	}
	return n, err
}

func (p *progress) done() { fmt.Fprintln(p.w) }
