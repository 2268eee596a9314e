// Command marsd is the reference Mars server: a long-link server speaking the
// Mars packet format and an HTTP short-link server, both on loopback by
// default, with scriptable misbehaviour for tests. It is a thin main over
// package marsd; run `marsd -h` for the protocol and flags, `marsd
// --version` for the version.
//
// Once both sides listen it prints exactly one line on stdout,
//
//	marsd long=HOST:PORT short=HOST:PORT
//
// ("off" for a side disabled with an empty address; each --long-extra
// listener adds " long.NAME=HOST:PORT"), logs to stderr, and
// exits 0 on SIGINT or SIGTERM after closing every connection.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/mars-go/mars/internal/cli"
	"github.com/mars-go/mars/marsd"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the parsed command line.
type options struct {
	long, short string
	extra       []extraListener // --long-extra
	verbose     bool
	cfg         marsd.Config
}

const usage = `usage:
  marsd [--long ADDR] [--short ADDR] [--long-extra NAME=ADDR]... [--client-version N] [behaviour flags]

Reference Mars server. Prints "marsd long=HOST:PORT short=HOST:PORT" once
listening; SIGINT or SIGTERM stop it. Exits 0 after a signal, 1 when it
cannot listen, 2 on a bad command line.
`

// parse reads the command line; ok false means exit with code now (after
// -h or --version, or a bad command line already reported on stderr).
func parse(args []string, stdout, stderr io.Writer) (o options, code int, ok bool) {
	fs := cli.New("marsd", usage)
	fs.StringVar(&o.long, "long", "127.0.0.1:0", "long-link listen `address` (port 0 picks a free port; empty = off)")
	fs.StringVar(&o.short, "short", "127.0.0.1:0", "short-link HTTP listen `address` (empty = off)")
	var extra []string
	fs.Strings(&extra, "long-extra", "one more long-link listener, `NAME=ADDR` (repeatable): the server of another named long link")
	fs.Uint32(&o.cfg.ClientVersion, "client-version", marsd.DefaultClientVersion, "client_version `N` required in and written to every header")
	fs.Uint32(&o.cfg.MaxPacket, "max-packet", marsd.DefaultMaxPacket, "largest accepted long-link packet in `bytes`")
	fs.Duration(&o.cfg.PushEvery, "push-every", 0, "push to every connection (cmdid 10001) at this `interval`; 0 = off")
	pushBody := fs.String("push-body", "", "`body` of periodic pushes (default \"marsd push N\")")
	fs.Bool(&o.verbose, "v", false, "verbose logs (every packet and request)")
	b := &o.cfg.Behavior
	fs.Duration(&b.Delay, "delay", 0, "wait this `duration` before every answer")
	fs.Bool(&b.Silent, "silent", false, "read requests, answer nothing")
	fs.Bool(&b.IgnoreNoop, "ignore-noop", false, "do not answer heartbeats")
	fs.Bool(&b.OnePerRead, "one-per-read", false, "answer only the first long-link packet of each read, drop the rest")
	fs.Int64(&b.CloseAfter, "close-after", 0, "close a long-link connection after writing `N` bytes to it")
	fs.Duration(&b.Trickle, "trickle", 0, "write long-link answers one byte per `gap`")
	fs.Bool(&b.WrongVersion, "wrong-version", false, "answer with client_version+1")
	fs.Bool(&b.Oversize, "oversize", false, "answer with headers announcing more than 1 MiB")
	fs.Int(&b.Status, "status", 0, "HTTP `status` of short-link answers (0 = 200)")
	fs.Epilogue = "\n" + marsd.Help
	pos, code, ok := fs.Parse(args, stdout, stderr)
	if !ok {
		return o, code, false
	}
	fail := func(format string, a ...any) (options, int, bool) {
		fs.Fail(stderr, format, a...)
		return o, cli.ExitUsage, false
	}
	switch {
	case len(pos) > 0:
		return fail("unexpected argument %q; marsd takes only flags", pos[0])
	case o.cfg.MaxPacket < 20:
		return fail("--max-packet %d: want at least 20 (the header)", o.cfg.MaxPacket)
	case b.Delay < 0 || b.Trickle < 0 || o.cfg.PushEvery < 0:
		return fail("--delay, --trickle and --push-every must not be negative")
	case b.CloseAfter < 0:
		return fail("--close-after %d: want 0 or more bytes", b.CloseAfter)
	case b.Status != 0 && (b.Status < 100 || b.Status > 999):
		return fail("--status %d: want an HTTP status from 100 to 999, or 0 for 200", b.Status)
	}
	for _, x := range extra {
		name, addr, found := strings.Cut(x, "=")
		if !found || name == "" || addr == "" || slices.ContainsFunc(o.extra, func(l extraListener) bool { return l.name == name }) {
			return fail("--long-extra %q: want a new NAME=ADDR, e.g. second=127.0.0.1:0", x)
		}
		o.extra = append(o.extra, extraListener{name, addr})
	}
	if *pushBody != "" {
		o.cfg.PushBody = []byte(*pushBody)
	}
	return o, 0, true
}

func run(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parse(args, stdout, stderr)
	if !ok {
		return code
	}
	level := slog.LevelInfo
	if o.verbose {
		level = slog.LevelDebug
	}
	o.cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	s := marsd.New(o.cfg)
	if err := s.Start(o.long, o.short); err != nil {
		fmt.Fprintf(stderr, "marsd: %v\n", err)
		return 1
	}
	line := fmt.Sprintf("marsd long=%s short=%s", orOff(s.LongAddr()), orOff(s.ShortAddr()))
	for _, x := range o.extra {
		addr, err := s.AddLongListener(x.name, x.addr)
		if err != nil {
			fmt.Fprintf(stderr, "marsd: %v\n", err)
			_ = s.Close() // nothing served yet
			return 1
		}
		line += fmt.Sprintf(" long.%s=%s", x.name, addr)
	}
	fmt.Fprintln(stdout, line)
	<-ctx.Done()
	o.cfg.Logger.Info("signal received, shutting down")
	if err := s.Close(); err != nil {
		fmt.Fprintf(stderr, "marsd: close: %v\n", err)
		return 1
	}
	return 0
}

// extraListener is one --long-extra.
type extraListener struct{ name, addr string }

func orOff(addr string) string {
	if addr == "" {
		return "off"
	}
	return addr
}
