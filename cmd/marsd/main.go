// Command marsd is the reference Mars server: a long-link server speaking the
// Mars packet format and an HTTP short-link server, both on loopback by
// default, with scriptable misbehaviour for tests. It is a thin main over
// package marsd; run `marsd -h` for the protocol and flags.
//
// Once both sides listen it prints exactly one line on stdout,
//
//	marsd long=HOST:PORT short=HOST:PORT
//
// ("off" for a side disabled with an empty address), logs to stderr, and
// exits 0 on SIGINT or SIGTERM after closing every connection.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/mars-go/mars/marsd"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the parsed command line.
type options struct {
	long, short string
	verbose     bool
	cfg         marsd.Config
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("marsd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.long, "long", "127.0.0.1:0", "long-link listen `address` (port 0 picks a free port; empty = off)")
	fs.StringVar(&o.short, "short", "127.0.0.1:0", "short-link HTTP listen `address` (empty = off)")
	version := fs.Uint("client-version", marsd.DefaultClientVersion, "client_version required in and written to every header")
	maxPacket := fs.Uint("max-packet", marsd.DefaultMaxPacket, "largest accepted long-link packet in `bytes`")
	fs.DurationVar(&o.cfg.PushEvery, "push-every", 0, "push to every connection (cmdid 10001) at this `interval`; 0 = off")
	pushBody := fs.String("push-body", "", "body of periodic pushes (default \"marsd push N\")")
	fs.BoolVar(&o.verbose, "v", false, "verbose logs (every packet and request)")
	b := &o.cfg.Behavior
	fs.DurationVar(&b.Delay, "delay", 0, "wait this long before every answer")
	fs.BoolVar(&b.Silent, "silent", false, "read requests, answer nothing")
	fs.BoolVar(&b.IgnoreNoop, "ignore-noop", false, "do not answer heartbeats")
	fs.BoolVar(&b.OnePerRead, "one-per-read", false, "answer only the first long-link packet of each read, drop the rest")
	fs.Int64Var(&b.CloseAfter, "close-after", 0, "close a long-link connection after writing `N` bytes to it")
	fs.DurationVar(&b.Trickle, "trickle", 0, "write long-link answers one byte per `gap`")
	fs.BoolVar(&b.WrongVersion, "wrong-version", false, "answer with client_version+1")
	fs.BoolVar(&b.Oversize, "oversize", false, "answer with headers announcing more than 1 MiB")
	fs.IntVar(&b.Status, "status", 0, "HTTP status of short-link answers (0 = 200)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: marsd [flags]\n\nReference Mars server. Prints \"marsd long=HOST:PORT short=HOST:PORT\" once listening;\nSIGINT/SIGTERM stop it.\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\n%s", marsd.Help)
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *version > 0xFFFFFFFF || *maxPacket > 0xFFFFFFFF || *maxPacket < 20 {
		return o, fmt.Errorf("--client-version and --max-packet must fit 32 bits; --max-packet >= 20")
	}
	if b.Delay < 0 || b.Trickle < 0 || b.CloseAfter < 0 || o.cfg.PushEvery < 0 || (b.Status != 0 && (b.Status < 100 || b.Status > 999)) {
		return o, fmt.Errorf("durations and --close-after must not be negative; --status must be 100..999")
	}
	o.cfg.ClientVersion, o.cfg.MaxPacket = uint32(*version), uint32(*maxPacket)
	if *pushBody != "" {
		o.cfg.PushBody = []byte(*pushBody)
	}
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "marsd: %v\n", err)
		return 2
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
	fmt.Fprintf(stdout, "marsd long=%s short=%s\n", orOff(s.LongAddr()), orOff(s.ShortAddr()))
	<-ctx.Done()
	o.cfg.Logger.Info("signal received, shutting down")
	if err := s.Close(); err != nil {
		fmt.Fprintf(stderr, "marsd: close: %v\n", err)
		return 1
	}
	return 0
}

func orOff(addr string) string {
	if addr == "" {
		return "off"
	}
	return addr
}
