package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/mars-go/mars/sdt"
)

func init() {
	register("diag", command{summary: "diagnose the network path to a Mars server", run: runDiag})
}

const diagUsage = `usage:
  mars diag HOST:PORT... [--http URL]... [--json] [--timeout D] [--client-version N]
            [--checks LIST]
      Look HOST up, connect to every address, send a long-link noop and
      wait for its answer, ping the addresses, GET each URL, and describe
      the local network. --checks limits that to some of dns, tcp,
      longlink, http, ping, netstate (default all). Prints a readable
      report (JSON with --json) and exits 0 when every check passed, 1
      otherwise. Ctrl-C stops the checks and prints what was found so far.
`

// diagOptions are the parsed command line of mars diag.
type diagOptions struct {
	servers       []string
	http          stringList
	json          bool
	timeout       time.Duration
	clientVersion uint
	checks        sdt.Checks
}

func parseDiag(args []string) (diagOptions, error) {
	var o diagOptions
	fs := flag.NewFlagSet("mars diag", flag.ContinueOnError)
	// runDiag prints each error once, with the usage; the flag package
	// would print both too.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Var(&o.http, "http", "URL to GET (repeatable)")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	fs.DurationVar(&o.timeout, "timeout", sdt.DefaultTimeout, "overall timeout")
	fs.UintVar(&o.clientVersion, "client-version", 0, "client_version of the long-link noop (Mars default 0)")
	fs.Func("checks", "comma-separated checks to run (default all)", func(s string) error {
		c, err := sdt.ParseChecks(s)
		o.checks = c
		return err
	})
	servers, err := parseInterleaved(fs, args)
	if err != nil {
		return o, err
	}
	o.servers = servers
	switch {
	case len(o.servers) == 0 && len(o.http) == 0:
		return o, fmt.Errorf("mars diag: give at least one HOST:PORT or --http URL")
	case o.timeout <= 0:
		return o, fmt.Errorf("mars diag: --timeout must be positive")
	case o.clientVersion > 0xFFFFFFFF:
		return o, fmt.Errorf("mars diag: --client-version must fit in 32 bits")
	}
	return o, nil
}

func runDiag(args []string, stdout, stderr io.Writer) int {
	o, err := parseDiag(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, diagUsage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\n\n%s", err, diagUsage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	checker := sdt.New(sdt.Config{ClientVersion: uint32(o.clientVersion)})
	rep := checker.Run(ctx, sdt.Request{Servers: o.servers, HTTP: o.http, Checks: o.checks, Timeout: o.timeout})
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mars diag: %v\n", err)
		return 1
	}
	if !rep.OK() {
		return 1
	}
	return 0
}
