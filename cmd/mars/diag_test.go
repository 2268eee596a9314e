package main

import (
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/marsd/marsdtest"
)

// noLeaks fails the test if goroutines outlive it; registered first, it
// runs after every other cleanup. TestMain checks the whole package too;
// this names the diag test that leaked.
func noLeaks(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
}

func startDiagMarsd(t *testing.T, b marsd.Behavior) *marsd.Server {
	t.Helper()
	return marsdtest.Start(t, marsd.Config{ClientVersion: marsd.DefaultClientVersion, Behavior: b})
}

func TestDiagJSONAgainstMarsd(t *testing.T) {
	noLeaks(t)
	srv := startDiagMarsd(t, marsd.Behavior{})
	version := strconv.Itoa(marsd.DefaultClientVersion)
	rc, out, errOut := runCLI("diag", "--json", srv.LongAddr(), "--http", "http://"+srv.ShortAddr()+"/netcheck",
		"--client-version", version, "--timeout", "10s")
	if rc != 0 {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", rc, errOut, out)
	}
	var rep struct {
		OK      bool `json:"ok"`
		Results []struct {
			Kind   string `json:"kind"`
			Target string `json:"target"`
			OK     bool   `json:"ok"`
			Reason string `json:"reason"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	kinds := map[string]bool{}
	for _, r := range rep.Results {
		kinds[r.Kind] = true
		if !r.OK && r.Reason != "not_permitted" {
			t.Errorf("failed check %+v", r)
		}
	}
	for _, k := range []string{"netstate", "tcp", "longlink", "ping", "http"} {
		if !kinds[k] {
			t.Errorf("no %s result in %s", k, out)
		}
	}
	if !rep.OK {
		t.Errorf("report not ok: %s", out)
	}
}

func TestDiagTextFailures(t *testing.T) {
	noLeaks(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	srv := startDiagMarsd(t, marsd.Behavior{Status: 500})
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"refused", []string{refused}, []string{"FAIL tcp", "[refused]", "FAIL longlink"}},
		{"unresolvable", []string{"nosuch.invalid:443"}, []string{"FAIL dns", "nosuch.invalid", "[not_found]"}},
		{"client version mismatch", []string{srv.LongAddr(), "--client-version", "0"}, []string{"ok   tcp", "FAIL longlink", "client version may be wrong (sent 0"}},
		{"http 500", []string{"--http", "http://" + srv.ShortAddr() + "/", "--client-version", "200"}, []string{"FAIL http", "status 500", "[http_status]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc, out, _ := runCLI(append([]string{"diag", "--timeout", "10s"}, tc.args...)...)
			if rc != 1 {
				t.Errorf("exit %d, want 1", rc)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// With no --client-version, diag speaks marsd's default (200), so a plain
// `mars diag` against a plain marsd passes.
func TestDiagDefaultClientVersionIsMarsds(t *testing.T) {
	noLeaks(t)
	srv := startDiagMarsd(t, marsd.Behavior{})
	rc, out, errOut := runCLI("diag", srv.LongAddr(), "--checks", "longlink", "--timeout", "10s")
	if rc != 0 {
		t.Fatalf("exit %d: %s %s", rc, errOut, out)
	}
	_, help, _ := runCLI("diag", "-h")
	if !strings.Contains(help, "(default 200)") {
		t.Errorf("-h does not document the default client version:\n%s", help)
	}
}

func TestDiagChecksFlag(t *testing.T) {
	noLeaks(t)
	srv := startDiagMarsd(t, marsd.Behavior{})
	rc, out, errOut := runCLI("diag", srv.LongAddr(), "--checks", "tcp,longlink", "--client-version", "200", "--json")
	if rc != 0 {
		t.Fatalf("exit %d: %s %s", rc, errOut, out)
	}
	var rep struct {
		Results []struct {
			Kind string `json:"kind"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2 || rep.Results[0].Kind != "tcp" || rep.Results[1].Kind != "longlink" {
		t.Errorf("--checks tcp,longlink ran %s", out)
	}
}

func TestDiagUsage(t *testing.T) {
	noLeaks(t)
	tests := []struct {
		args []string
		rc   int
		want string
	}{
		{[]string{"diag"}, 2, "at least one HOST:PORT"},
		{[]string{"diag", "127.0.0.1:1", "--timeout", "0s"}, 2, "--timeout must be positive"},
		{[]string{"diag", "127.0.0.1:1", "--client-version", "4294967296"}, 2, "--client-version: want a whole number from 0 to 4294967295"},
		{[]string{"diag", "127.0.0.1:1", "--timeout", "5"}, 2, "--timeout: want a duration such as 5s"},
		{[]string{"diag", "--bogus"}, 2, "flag provided but not defined: --bogus"},
		{[]string{"diag", "127.0.0.1:1", "--checks", "tcp,icmp"}, 2, "unknown check"},
	}
	for _, tc := range tests {
		rc, _, errOut := runCLI(tc.args...)
		if rc != tc.rc || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, rc, errOut, tc.rc, tc.want)
		}
	}
	if _, ok := commands["diag"]; !ok {
		t.Error("diag not registered")
	}
}
