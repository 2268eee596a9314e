package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/internal/cli"
	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/xlog"
	"github.com/mars-go/mars/xlog/decode"
)

func init() {
	register("demo", command{
		summary: "start marsd on loopback, run tasks and a push through the engine, log to xlog and decode it",
		run:     runDemo,
	})
}

// demoClientVersion is the version marsd and the engine agree on (Mars's samples use 200).
const demoClientVersion = marsd.DefaultClientVersion

// Request cmdids with a meaning to marsd (see `go doc ./marsd`): any other
// cmdid is echoed.
const (
	cmdEcho     = 1001
	cmdPushEcho = marsd.CmdPushEcho
	cmdSilence  = marsd.CmdSilence
)

// demoEvent is what the demo's callbacks report to the main flow.
type demoEvent struct {
	kind    string // "end" or "push"
	taskID  uint32
	errType engine.ErrType
	errCode int
	body    string
	rtt     time.Duration
}

// demoCallbacks sends each task's UserContext as its request body, echoes responses back to the main flow and logs every callback to xlog.
type demoCallbacks struct {
	engine.NopCallbacks
	log    *xlog.Logger
	resp   map[uint32]string // taskid → response body; owner goroutine only
	events chan demoEvent
}

func (c *demoCallbacks) Req2Buf(t engine.TaskRef, _ engine.ChannelSelect, _ string, dst []byte) ([]byte, int, bool) {
	body, _ := t.UserContext.(string) // the request body travels with the task
	c.log.Log(xlog.LevelInfo, "demo", "demo.go", "Req2Buf", 0, fmt.Sprintf("task %d: sending %q", t.TaskID, body))
	return append(dst, body...), 0, true
}

func (c *demoCallbacks) Buf2Resp(t engine.TaskRef, _ engine.ChannelSelect, body []byte) (int, int) {
	c.resp[t.TaskID] = string(body)
	return engine.RespHandleNormal, 0
}

func (c *demoCallbacks) OnTaskEnd(t engine.TaskRef, errType engine.ErrType, errCode int, p *engine.TaskProfile) int {
	rtt := p.EndTime.Sub(p.StartTime)
	c.log.Log(xlog.LevelInfo, "demo", "demo.go", "OnTaskEnd", 0,
		fmt.Sprintf("task %d cmd %d ended (%d, %d) after %v", t.TaskID, t.CmdID, errType, errCode, rtt))
	body := c.resp[t.TaskID]
	delete(c.resp, t.TaskID) // the task is over: its entry would only grow the map
	c.events <- demoEvent{kind: "end", taskID: t.TaskID, errType: errType, errCode: errCode, body: body, rtt: rtt}
	return 0
}

func (c *demoCallbacks) OnPush(channel string, cmdID, _ uint32, body []byte) {
	c.log.Log(xlog.LevelInfo, "demo", "demo.go", "OnPush", 0, fmt.Sprintf("push on %s: cmd %d %q", channel, cmdID, body))
	c.events <- demoEvent{kind: "push", body: fmt.Sprintf("cmd %d %q", cmdID, body)}
}

func (c *demoCallbacks) OnLongLinkStatusChange(status int) {
	c.log.Log(xlog.LevelInfo, "demo", "demo.go", "OnLongLinkStatusChange", 0, "long link status "+strconv.Itoa(status))
}

// engineLog sends the engine's own log lines into the xlog file, tagged "stn".
type engineLog struct{ l *xlog.Logger }

func (e engineLog) Enabled(level engine.LogLevel) bool { return e.l.Enabled(xlogLevel(level)) }
func (e engineLog) Log(level engine.LogLevel, msg string) {
	e.l.Log(xlogLevel(level), "stn", "", "", 0, msg)
}

func xlogLevel(l engine.LogLevel) xlog.Level {
	switch l {
	case engine.LogDebug:
		return xlog.LevelDebug
	case engine.LogInfo:
		return xlog.LevelInfo
	case engine.LogWarn:
		return xlog.LevelWarn
	default:
		return xlog.LevelError
	}
}

const demoUsage = `usage:
  mars demo [--marsd PATH] [--dir DIR]

Start marsd on loopback, run tasks and a push through the engine, time a
task out, log to xlog and decode the log: a tour of the Go API. Exits 0
when every step worked, 1 otherwise, 2 on a bad command line.
`

func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := cli.New("mars demo", demoUsage)
	marsdPath := fs.String("marsd", "", "`path` of a marsd binary to start (default: run the server in-process)")
	keep := fs.String("dir", "", "`directory` for the xlog files (default: a temporary one, removed at the end)")
	pos, code, ok := fs.Parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fs.Fail(stderr, "unexpected argument %q; mars demo takes only flags", pos[0])
		return cli.ExitUsage
	}
	if err := demo(stdout, *marsdPath, *keep); err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	return 0
}

func demo(out io.Writer, marsdPath, dir string) error {
	say := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }

	longAddr, stop, err := startMarsd(marsdPath)
	if err != nil {
		return err
	}
	defer stop()
	say("1. marsd listening on %s (long link)", longAddr)

	if dir == "" {
		if dir, err = os.MkdirTemp("", "mars-demo-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	xcfg := xlog.DefaultConfig()
	xcfg.LogDir, xcfg.CacheDir, xcfg.NamePrefix = filepath.Join(dir, "log"), filepath.Join(dir, "cache"), "demo"
	logger, err := xlog.Open(xcfg)
	if err != nil {
		return fmt.Errorf("open xlog: %w", err)
	}
	say("2. xlog open in %s (async, Mars-compatible zlib)", xcfg.LogDir)

	cb := &demoCallbacks{log: logger, resp: map[uint32]string{}, events: make(chan demoEvent, 16)}
	var cfg engine.Config // zero fields take Mars's defaults
	cfg.ClientVersion = demoClientVersion
	cfg.Logger = engineLog{logger}
	eng, err := engine.New(cfg, cb)
	if err != nil {
		logger.Close()
		return err
	}
	host, portStr, _ := net.SplitHostPort(longAddr)
	port, _ := strconv.Atoi(portStr)
	eng.SetLonglinkSvrAddr(host, []int{port}, "")
	say("3. engine created; long link → %s", longAddr)

	ok := demoTasks(eng, cb, say)
	if err := eng.Close(); err != nil {
		say("   engine close: %v", err)
	}
	st := logger.Stats()
	if err := logger.Close(); err != nil {
		return fmt.Errorf("close xlog: %w", err)
	}
	text, files, err := decodeDir(xcfg.LogDir)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	say("7. xlog: %d lines logged, %d dropped or lost; %d file(s) decoded to %d lines, the last ones:", st.LinesWritten, st.LinesDropped+st.LinesLost, files, len(lines))
	for _, l := range lines[max(0, len(lines)-3):] {
		say("   %s", l)
	}
	if ok != 5 {
		return errors.New("not every echo task succeeded")
	}
	return nil
}

// demoTasks runs steps 4 to 6 of the demo: pipelined echoes, a push and a
// task timing out. It returns how many of the five echoes succeeded.
func demoTasks(eng *engine.Engine, cb *demoCallbacks, say func(string, ...any)) int {
	start := func(cmd uint32, body string, total time.Duration) uint32 {
		t := engine.NewTask(eng.GenTaskID(), cmd)
		t.ChannelSelect = engine.ChannelLong
		t.RetryCount = 0
		t.TotalTimeout = total
		t.UserContext = body
		if err := eng.StartTask(t); err != nil {
			say("   StartTask %d: %v", t.TaskID, err)
		}
		return t.TaskID
	}
	wait := func(n int) []demoEvent {
		var evs []demoEvent
		timeout := time.After(10 * time.Second)
		for len(evs) < n {
			select {
			case ev := <-cb.events:
				evs = append(evs, ev)
			case <-timeout:
				return evs
			}
		}
		return evs
	}

	for i := range 5 {
		start(cmdEcho, fmt.Sprintf("hello %d", i), 0)
	}
	evs := wait(5)
	ok := 0
	for _, ev := range evs {
		if ev.errType == engine.EctOK && strings.HasPrefix(ev.body, "hello") {
			ok++
		}
	}
	say("4. five pipelined echo tasks: %d/5 answered; e.g. task %d got %q in %v", ok, first(evs).taskID, first(evs).body, first(evs).rtt.Round(time.Microsecond))

	start(cmdPushEcho, "ping-for-push", 0)
	for _, ev := range wait(2) {
		if ev.kind == "push" {
			say("5. server push received: %s", ev.body)
		} else {
			say("   (push-echo task %d ended (%d, %d))", ev.taskID, ev.errType, ev.errCode)
		}
	}

	id := start(cmdSilence, "nobody answers this", 1500*time.Millisecond)
	if evs := wait(1); len(evs) == 1 {
		say("6. task %d to a silent server ended (%d, %d) = Mars's local task timeout after %v",
			id, evs[0].errType, evs[0].errCode, evs[0].rtt.Round(time.Millisecond))
	}
	return ok
}

func first(evs []demoEvent) demoEvent {
	if len(evs) == 0 {
		return demoEvent{}
	}
	return evs[0]
}

// decodeDir decodes every .xlog file in dir and returns the text.
func decodeDir(dir string) (string, int, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.xlog"))
	if err != nil {
		return "", 0, err
	}
	d, err := decode.New(decode.Options{})
	if err != nil {
		return "", 0, err
	}
	var buf bytes.Buffer
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			return "", 0, err
		}
		_, err = d.Decode(&buf, f)
		f.Close()
		if err != nil {
			return "", 0, fmt.Errorf("decode %s: %w", n, err)
		}
	}
	return buf.String(), len(names), nil
}

// startMarsd starts the reference server, as a child process when path is set (the way the bindings and C tests
// use it), else in-process, and returns the long-link address and a stop function.
func startMarsd(path string) (string, func(), error) {
	if path == "" {
		srv := marsd.New(marsd.Config{ClientVersion: demoClientVersion})
		if err := srv.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
			return "", nil, err
		}
		return srv.LongAddr(), func() { srv.Close() }, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, path, "--long", "127.0.0.1:0", "--short", "127.0.0.1:0",
		"--client-version", strconv.Itoa(demoClientVersion))
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.Stderr = io.Discard
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return "", nil, err
	}
	stop := func() { cancel(); _ = cmd.Wait() } // exit status after our own interrupt carries no news
	line, err := bufio.NewReader(pipe).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("marsd: no address line: %w", err)
	}
	for _, f := range strings.Fields(line) {
		if a, ok := strings.CutPrefix(f, "long="); ok {
			return a, stop, nil
		}
	}
	stop()
	return "", nil, fmt.Errorf("marsd: unexpected first line %q", line)
}
