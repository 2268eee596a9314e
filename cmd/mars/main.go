// Command mars is the project's command-line tool: it decodes xlog files,
// generates log keys, runs network diagnosis and the demo. Each subcommand
// lives in its own file and registers itself in commands.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mars-go/mars/internal/cli"
	"github.com/mars-go/mars/internal/version"
)

// command is one subcommand: run gets the arguments after the subcommand's
// name and returns the process exit code.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands is filled by the init functions of the subcommand files.
var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return cli.ExitUsage
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		usage(stdout)
		return 0
	case "--version", "-version", "version":
		fmt.Fprintf(stdout, "mars %s\n", version.String())
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "mars: unknown command %q, want one of %s\nrun 'mars -h' for help\n", args[0], strings.Join(names(), ", "))
		return cli.ExitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func names() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func usage(w io.Writer) {
	fmt.Fprint(w, "usage:\n  mars COMMAND [ARGS]\n\ncommands:\n")
	for _, n := range names() {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, "\n'mars COMMAND -h' describes a command; 'mars --version' prints the version.\n")
}
