package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/mars-go/mars/internal/cli"
	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/sdt"
)

func init() {
	register("diag", command{summary: "diagnose the network path to a Mars server", run: runDiag})
}

const diagUsage = `usage:
  mars diag HOST:PORT... [--http URL]... [--json] [--timeout D] [--client-version N]
            [--checks LIST]

Look HOST up, connect to every address, send a long-link noop and wait for
its answer, ping the addresses, GET each URL, and describe the local
network. --checks limits that to some of dns, tcp, longlink, http, ping,
netstate (default all). Prints a readable report (JSON with --json) and
exits 0 when every check passed, 1 otherwise, 2 on a bad command line.
Ctrl-C stops the checks and prints what was found so far.

The noop carries --client-version (default 200, what marsd and Mars's
sample server expect). A Mars server drops a connection whose packets carry
another version; a probe dropped right after its noop says so.
`

// diagOptions are the parsed command line of mars diag.
type diagOptions struct {
	servers       []string
	http          []string
	json          bool
	timeout       time.Duration
	clientVersion uint32
	checks        sdt.Checks
}

// diagFlags declares mars diag's flags into o.
func diagFlags(o *diagOptions) *cli.FlagSet {
	fs := cli.New("mars diag", diagUsage)
	fs.Strings(&o.http, "http", "`URL` to GET (repeatable)")
	fs.Bool(&o.json, "json", false, "print the report as JSON")
	fs.Duration(&o.timeout, "timeout", sdt.DefaultTimeout, "overall `duration` of the checks")
	fs.Uint32(&o.clientVersion, "client-version", marsd.DefaultClientVersion,
		"client_version `N` of the long-link noop, as marsd and Mars's sample server expect")
	fs.Func("checks", "comma-separated `LIST` of checks to run (default all)", func(s string) error {
		c, err := sdt.ParseChecks(s)
		o.checks = c
		return err
	})
	return fs
}

// parseDiag parses args; ok false means exit with code now (after -h, or
// a bad command line already reported on stderr).
func parseDiag(args []string, stdout, stderr io.Writer) (o diagOptions, code int, ok bool) {
	fs := diagFlags(&o)
	if o.servers, code, ok = fs.Parse(args, stdout, stderr); !ok {
		return o, code, false
	}
	switch {
	case len(o.servers) == 0 && len(o.http) == 0:
		fs.Fail(stderr, "want at least one HOST:PORT or --http URL")
		return o, cli.ExitUsage, false
	case o.timeout <= 0:
		fs.Fail(stderr, "--timeout must be positive, such as 10s")
		return o, cli.ExitUsage, false
	}
	return o, 0, true
}

func runDiag(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parseDiag(args, stdout, stderr)
	if !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	checker := sdt.New(sdt.Config{ClientVersion: o.clientVersion})
	rep := checker.Run(ctx, sdt.Request{Servers: o.servers, HTTP: o.http, Checks: o.checks, Timeout: o.timeout})
	var err error
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
