package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mars-go/mars/internal/version"
	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/wire/wiretest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// build compiles marsd into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "marsd")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var addrLine = regexp.MustCompile(`^marsd long=(127\.0\.0\.1:\d+) short=(127\.0\.0\.1:\d+)\n$`)

func TestBinaryServesAndStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	cmd := exec.Command(build(t), "--long", "127.0.0.1:0", "--short", "127.0.0.1:0", "--client-version", "200")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }() // if the test fails before SIGTERM
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	m := addrLine.FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("first line %q (err %v), stderr:\n%s", line, err, stderr.String())
	}

	conn, err := net.Dial("tcp", m[1])
	if err != nil {
		t.Fatal(err)
	}
	peer := wiretest.NewPeer(t, conn, wire.NewMars(200))
	peer.Send(wire.Packet{CmdID: 7, Seq: 1, Body: []byte("abc")})
	if got := peer.WantPacket(7); got.Seq != 1 || string(got.Body) != "abc" {
		t.Fatalf("echo %v", got)
	}

	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: wiretest.DefaultTimeout}
	resp, err := hc.Post("http://"+m[2]+"/_marsd/push?cmdid=10001", "text/plain", strings.NewReader("pushed"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if got := peer.WantPacket(10001); got.Seq != 0 || string(got.Body) != "pushed" {
		t.Fatalf("push %v", got)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	peer.WantClosed()
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v, stderr:\n%s", err, stderr.String())
	}
	if len(rest) != 0 {
		t.Fatalf("stdout after the address line: %q", rest)
	}
}

func TestHelpExitsZeroAndDocumentsProtocol(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-h"}, &stdout, &stderr); code != 0 {
		t.Fatalf("-h exit %d", code)
	}
	for _, want := range []string{"usage:\n  marsd", "--long address", "--client-version N", "(default 200)", "--push-every", "10002", "/_marsd/behavior"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if stderr.Len() != 0 {
		t.Errorf("help wrote to stderr: %q", stderr.String())
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"--bogus"}, {"extra"}, {"--client-version", "4294967296"}, {"--max-packet", "3"},
		{"--delay", "-1s"}, {"--status", "42"}, {"--delay", "5"}, {"--close-after", "-1"},
		{"--long-extra", "noaddr"}, {"--long-extra", "=127.0.0.1:0"},
		{"--long-extra", "b=127.0.0.1:0", "--long-extra", "b=127.0.0.1:0"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if !strings.HasPrefix(stderr.String(), "marsd: ") || !strings.HasSuffix(stderr.String(), "run 'marsd -h' for help\n") {
			t.Errorf("%v: stderr %q", args, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	run([]string{"--delay", "5"}, &stdout, &stderr)
	if !strings.Contains(stderr.String(), "--delay: want a duration such as 5s") {
		t.Errorf("--delay 5: %q", stderr.String())
	}
}

func TestVersionPrintsTheRelease(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--version"}, &stdout, &stderr); code != 0 || stdout.String() != "marsd "+version.String()+"\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

func TestParseFillsConfig(t *testing.T) {
	o, code, ok := parse([]string{"--long", "", "--client-version", "7", "--push-every", "1s", "--push-body", "x",
		"--delay", "5ms", "--silent", "--close-after", "9", "--trickle", "1ms", "--wrong-version",
		"--oversize", "--status", "500", "--ignore-noop", "-v", "--long-extra", "second=127.0.0.1:0"}, io.Discard, io.Discard)
	if !ok || code != 0 {
		t.Fatalf("exit %d", code)
	}
	b := o.cfg.Behavior
	if o.long != "" || o.cfg.ClientVersion != 7 || o.cfg.PushEvery != time.Second || string(o.cfg.PushBody) != "x" ||
		!o.verbose || b.Delay != 5*time.Millisecond || !b.Silent || b.CloseAfter != 9 || b.Trickle != time.Millisecond ||
		!b.WrongVersion || !b.Oversize || b.Status != 500 || !b.IgnoreNoop ||
		len(o.extra) != 1 || o.extra[0] != (extraListener{"second", "127.0.0.1:0"}) {
		t.Fatalf("parsed %+v", o)
	}
}

func TestStartErrorExitsOne(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--long", ln.Addr().String(), "--short", ""}, &stdout, &stderr); code != 1 {
		t.Fatalf("busy port: exit %d, stderr %s", code, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Fatalf("printed an address line although Start failed: %q", stdout.String())
	}
}

func TestBusyExtraListenerExitsOne(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	args := []string{"--short", "", "--long-extra", "second=" + ln.Addr().String()}
	if code := run(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), `long link "second"`) {
		t.Fatalf("busy extra port: exit %d, stderr %s", code, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Fatalf("printed an address line although a listener failed: %q", stdout.String())
	}
}
