package engine_test

import (
	"errors"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/internal/faultnet"
	"github.com/mars-go/mars/marsd"
	"github.com/mars-go/mars/wire"
)

// Several named long links against one marsd with two long-link listeners:
// the engine's default link talks to marsd's main listener, the link named
// "second" to the listener named "b".

const second = "second"

// linkCallbacks are loopCallbacks that also record which link each push
// and status change concerns.
type linkCallbacks struct {
	*loopCallbacks
	named  chan string // "link:body" per push
	mu     sync.Mutex
	status map[string][]int // link → OnLongLinkStatusChangeOf values
	main   []int            // OnLongLinkStatusChange values
	change chan struct{}    // a status arrived
	asked  []string         // GetLonglinkIdentifyCheckBuffer's channel ids
	netEvs []string         // "link typ code" per OnLongLinkNetworkErrorOf
	dns    []string         // "link host" per OnLongLinkNewDns
}

func (c *linkCallbacks) OnLongLinkNewDns(link, host string) []string {
	c.mu.Lock()
	c.dns = append(c.dns, link+" "+host)
	c.mu.Unlock()
	if host == "second.test" {
		return []string{"127.0.0.1"}
	}
	return nil
}

func (c *linkCallbacks) recorded(list *[]string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(*list)
}

func (c *linkCallbacks) GetLonglinkIdentifyCheckBuffer(link string) (engine.IdentifyMode, []byte, []byte, uint32) {
	c.mu.Lock()
	c.asked = append(c.asked, link)
	c.mu.Unlock()
	return engine.IdentifyCheckNever, nil, nil, 0
}

func (c *linkCallbacks) identifyAsked() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.asked)
}

func newLinkCallbacks() *linkCallbacks {
	return &linkCallbacks{loopCallbacks: newLoopCallbacks(), named: make(chan string, 16),
		status: map[string][]int{}, change: make(chan struct{}, 1024)}
}

func (c *linkCallbacks) OnPush(link string, _, _ uint32, body []byte) {
	c.named <- link + ":" + string(body)
}

func (c *linkCallbacks) OnLongLinkStatusChange(s int) {
	c.mu.Lock()
	c.main = append(c.main, s)
	c.mu.Unlock()
}

func (c *linkCallbacks) OnLongLinkStatusChangeOf(link string, s int) {
	c.mu.Lock()
	c.status[link] = append(c.status[link], s)
	c.mu.Unlock()
	c.change <- struct{}{}
}

func (c *linkCallbacks) OnLongLinkNetworkErrorOf(link string, typ engine.ErrType, code int, _ string, _ int) {
	c.mu.Lock()
	c.netEvs = append(c.netEvs, link+" "+strconv.Itoa(int(typ))+" "+strconv.Itoa(code))
	c.mu.Unlock()
}

func (c *linkCallbacks) statuses(link string) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.status[link])
}

func (c *linkCallbacks) mainStatuses() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.main)
}

// waitStatus waits until link's statuses, from index from on, contain s;
// it returns the index after it.
func (c *linkCallbacks) waitStatus(t *testing.T, link string, from, s int) int {
	t.Helper()
	deadline := time.After(loopTimeout)
	for {
		got := c.statuses(link)
		for i := from; i < len(got); i++ {
			if got[i] == s {
				return i + 1
			}
		}
		select {
		case <-c.change:
		case <-deadline:
			t.Fatalf("link %s: statuses %v, no %d after index %d", link, got, s, from)
		}
	}
}

// packetLog records the cmdids marsd's connections received.
type packetLog struct {
	mu      sync.Mutex
	byCmd   map[uint64][]uint32 // conn → cmdids in arrival order
	arrived chan struct{}       // one per packet
}

func newPacketLog() *packetLog {
	return &packetLog{byCmd: map[uint64][]uint32{}, arrived: make(chan struct{}, 4096)}
}

func (l *packetLog) hook(conn uint64, p wire.Packet) {
	l.mu.Lock()
	l.byCmd[conn] = append(l.byCmd[conn], p.CmdID)
	l.mu.Unlock()
	select {
	case l.arrived <- struct{}{}:
	default: // nobody waits for that many
	}
}

// waitFor waits, packet by packet, until ok holds.
func (l *packetLog) waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.After(loopTimeout)
	for !ok() {
		select {
		case <-l.arrived:
		case <-deadline:
			t.Fatalf("marsd never saw %s", what)
		}
	}
}

// cmds lists the cmdids the connections of listener received.
func (l *packetLog) cmds(srv *marsd.Server, listener string) []uint32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []uint32
	for _, c := range srv.Conns() {
		if c.Listener == listener {
			out = append(out, l.byCmd[c.ID]...)
		}
	}
	return out
}

type twoLinks struct {
	srv   *marsd.Server
	log   *packetLog
	e     *engine.Engine
	cb    *linkCallbacks
	addrB string
}

// startTwoLinks starts marsd with a second listener and an engine with a
// second link to it configured by lc (Name, Host, Ports and DebugIP filled
// in).
func startTwoLinks(t *testing.T, cfg engine.Config, lc engine.LongLinkConfig) *twoLinks {
	t.Helper()
	r := &twoLinks{log: newPacketLog(), cb: newLinkCallbacks()}
	r.srv = startMarsdWith(t, marsd.Config{OnPacket: r.log.hook})
	var err error
	if r.addrB, err = r.srv.AddLongListener("b", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	r.e = startEngine(t, r.srv, cfg, r.cb)
	host, port, _ := net.SplitHostPort(r.addrB)
	p, _ := strconv.Atoi(port)
	lc.Name, lc.Host, lc.Ports, lc.DebugIP = second, "second.test", []int{p}, host
	if err := r.e.CreateLongLink(lc); err != nil {
		t.Fatal(err)
	}
	return r
}

// addLink creates one more link to listener b: lc with b's port, and the
// host second.test (at 127.0.0.1 unless lc sets no debug IP on purpose).
func (r *twoLinks) addLink(t *testing.T, lc engine.LongLinkConfig) {
	t.Helper()
	_, port, _ := net.SplitHostPort(r.addrB)
	p, _ := strconv.Atoi(port)
	lc.Host, lc.Ports = "second.test", []int{p}
	if err := r.e.CreateLongLink(lc); err != nil {
		t.Fatal(err)
	}
}

// run starts a long task of cmd on link and returns it.
func (r *twoLinks) run(t *testing.T, link string, cmd uint32) engine.Task {
	t.Helper()
	tk := longTask(r.e, cmd)
	tk.ChannelName = link
	if err := r.e.StartTask(tk); err != nil {
		t.Fatal(err)
	}
	return tk
}

// roundTrip runs one task on link and wants it to succeed.
func (r *twoLinks) roundTrip(t *testing.T, link string, cmd uint32) {
	t.Helper()
	tk := r.run(t, link, cmd)
	wantOutcome(t, r.cb.loopCallbacks, outcome{tk.TaskID, engine.EctOK, 0})
}

func TestLongLinksRouteTasksByName(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{KeepAlive: true})
	r.roundTrip(t, "", 7)
	r.roundTrip(t, second, 8)
	r.roundTrip(t, engine.DefaultChannelName, 9)
	// marsd's hook runs after the answer is queued: wait for it to log all three.
	r.log.waitFor(t, "cmdids 7, 8 and 9", func() bool {
		all := append(r.log.cmds(r.srv, marsd.MainListener), r.log.cmds(r.srv, "b")...)
		return slices.Contains(all, 7) && slices.Contains(all, 8) && slices.Contains(all, 9)
	})
	main, b := r.log.cmds(r.srv, marsd.MainListener), r.log.cmds(r.srv, "b")
	if !slices.Contains(main, 7) || !slices.Contains(main, 9) || slices.Contains(main, 8) {
		t.Fatalf("main listener got cmdids %v, want 7 and 9 and not 8", main)
	}
	if !slices.Contains(b, 8) || slices.Contains(b, 7) || slices.Contains(b, 9) {
		t.Fatalf("listener b got cmdids %v, want 8 alone", b)
	}
	if got := r.e.LongLinks(); !slices.Equal(got, []string{engine.DefaultChannelName, second}) {
		t.Fatalf("LongLinks %v", got)
	}
	if !r.e.NamedLongLinkIsConnected(second) || !r.e.NamedLongLinkIsConnected(engine.DefaultChannelName) ||
		r.e.NamedLongLinkIsConnected("nope") {
		t.Fatal("NamedLongLinkIsConnected does not follow the links")
	}
}

func TestLongLinksUnknownNameEndsAtOnce(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{})
	tk := r.run(t, "nope", 7)
	wantOutcome(t, r.cb.loopCallbacks, outcome{tk.TaskID, engine.EctLocal, engine.EctLocalLongLinkUnAvailable})
	// A short-only task does not use the long link: its name is not checked.
	st := engine.NewTask(r.e.GenTaskID(), 7)
	st.ChannelSelect, st.ChannelName, st.Cgi = engine.ChannelShort, "nope", "/x"
	st.ShortLinkHostList = []string{"127.0.0.1"}
	host, port, _ := net.SplitHostPort(r.srv.ShortAddr())
	p, _ := strconv.Atoi(port)
	r.e.SetShortlinkSvrAddr(p, host)
	if err := r.e.StartTask(st); err != nil {
		t.Fatal(err)
	}
	wantOutcome(t, r.cb.loopCallbacks, outcome{st.TaskID, engine.EctOK, 0})
}

func TestLongLinksPushesNameTheirLink(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{KeepAlive: true})
	r.roundTrip(t, "", 7)
	r.roundTrip(t, second, 7)
	if n := r.srv.PushOn("b", marsd.PushCmdID, []byte("to b")); n != 1 {
		t.Fatalf("push on b reached %d connections", n)
	}
	if n := r.srv.PushOn(marsd.MainListener, marsd.PushCmdID, []byte("to main")); n != 1 {
		t.Fatalf("push on main reached %d connections", n)
	}
	got := map[string]bool{}
	for range 2 {
		select {
		case p := <-r.cb.named:
			got[p] = true
		case <-time.After(loopTimeout):
			t.Fatalf("pushes so far %v", got)
		}
	}
	if !got[second+":to b"] || !got[engine.DefaultChannelName+":to main"] {
		t.Fatalf("pushes %v", got)
	}
}

// Killing the second link's server leaves the default link's tasks
// completing and its status alone; the second link reconnects on its own
// once its server is back.
func TestLongLinksKillOneListenerTheOtherKeepsCompleting(t *testing.T) {
	r := startTwoLinks(t, engine.Config{ReconnectDelay: 20 * time.Millisecond,
		TaskConnectInterval: 20 * time.Millisecond, AutoConnectInterval: 20 * time.Millisecond},
		engine.LongLinkConfig{KeepAlive: true})
	r.e.OnForeground(true) // keep the KeepAlive links
	r.roundTrip(t, "", 7)
	r.roundTrip(t, second, 7)
	mainBefore := len(r.cb.mainStatuses())
	seen := len(r.cb.statuses(second))
	if n, err := r.srv.CloseLongListener("b"); n != 1 || err != nil {
		t.Fatalf("CloseLongListener: %d, %v", n, err)
	}
	seen = r.cb.waitStatus(t, second, seen, 3) // disconnected
	for range 20 {
		r.roundTrip(t, "", 7)
	}
	if got := r.cb.mainStatuses(); len(got) != mainBefore {
		t.Fatalf("the main link's status moved while the second link's server was down: %v", got[mainBefore:])
	}
	if !r.e.LongLinkIsConnected() || r.e.NamedLongLinkIsConnected(second) {
		t.Fatal("connected flags: want the default link up and the second down")
	}
	if _, err := r.srv.AddLongListener("b", r.addrB); err != nil {
		t.Skip("the second listener's port was taken meanwhile:", err)
	}
	r.cb.waitStatus(t, second, seen, 2) // connected again, by the keep-alive reconnect
	r.roundTrip(t, second, 8)
}

// Destroying a link ends its waiting and running tasks with (EctLocal,
// EctLocalLongLinkReleased) before DestroyLongLink returns; the other link's
// tasks are not touched.
func TestLongLinksDestroyEndsItsTasks(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{KeepAlive: true})
	r.roundTrip(t, second, 7)
	running := r.run(t, second, marsd.CmdSilence) // sent, never answered
	r.log.waitFor(t, "the silent request", func() bool { return slices.Contains(r.log.cmds(r.srv, "b"), marsd.CmdSilence) })
	onMain := r.run(t, "", marsd.CmdSilence)
	if err := r.e.DestroyLongLink(second); err != nil {
		t.Fatal(err)
	}
	if r.e.HasTask(running.TaskID) || !r.e.HasTask(onMain.TaskID) {
		t.Fatal("after DestroyLongLink: want the second link's task gone and the main link's kept")
	}
	wantOutcome(t, r.cb.loopCallbacks, outcome{running.TaskID, engine.EctLocal, engine.EctLocalLongLinkReleased})
	if got := r.e.LongLinks(); !slices.Equal(got, []string{engine.DefaultChannelName}) {
		t.Fatalf("LongLinks after destroy: %v", got)
	}
	late := r.run(t, second, 7)
	wantOutcome(t, r.cb.loopCallbacks, outcome{late.TaskID, engine.EctLocal, engine.EctLocalLongLinkUnAvailable})
	if err := r.e.DestroyLongLink(second); !errors.Is(err, engine.ErrNoLongLink) {
		t.Fatalf("second destroy: %v", err)
	}
	if err := r.e.DestroyLongLink(engine.DefaultChannelName); !errors.Is(err, engine.ErrMainLongLink) {
		t.Fatalf("destroying the main link: %v", err)
	}
}

// A link without KeepAlive connects only when a task needs it and is not
// reconnected after its server drops it, while a kept link beside it is.
func TestLongLinksWithoutKeepAliveConnectOnlyForTasks(t *testing.T) {
	r := startTwoLinks(t, engine.Config{ReconnectDelay: 10 * time.Millisecond,
		AutoConnectInterval: 10 * time.Millisecond}, engine.LongLinkConfig{})
	r.e.OnForeground(true) // keep the KeepAlive links: the default one alone
	r.roundTrip(t, "", 7)  // the host goroutine is FIFO: a connect of second would be reported by now
	if got := r.cb.statuses(second); len(got) != 0 {
		t.Fatalf("second link without keep-alive moved before any task: %v", got)
	}
	r.roundTrip(t, second, 7)
	seen := len(r.cb.statuses(second))
	mainSeen := len(r.cb.statuses(engine.DefaultChannelName))
	if n := r.srv.CloseConns(); n != 2 {
		t.Fatalf("closed %d connections, want both links'", n)
	}
	r.cb.waitStatus(t, engine.DefaultChannelName, mainSeen, 2) // the kept link came back
	seen = r.cb.waitStatus(t, second, seen, 3)                 // the other one only dropped
	r.roundTrip(t, "", 7)
	if got := r.cb.statuses(second)[seen:]; len(got) != 0 {
		t.Fatalf("second link without keep-alive reconnected by itself: %v", got)
	}
	if r.e.NamedLongLinkIsConnected(second) {
		t.Fatal("second link connected without a task")
	}
	r.roundTrip(t, second, 8) // a task brings it back
}

// The link-specific heartbeat interval runs on its own link alone.
func TestLongLinksHeartbeatsAreIndependent(t *testing.T) {
	r := startTwoLinks(t, engine.Config{HeartbeatInterval: time.Hour},
		engine.LongLinkConfig{KeepAlive: true, HeartbeatInterval: 50 * time.Millisecond})
	r.roundTrip(t, "", 7)
	r.roundTrip(t, second, 7)
	noops := func(listener string) int {
		n := 0
		for _, c := range r.log.cmds(r.srv, listener) {
			if c == wire.NoopCmdID {
				n++
			}
		}
		return n
	}
	r.log.waitFor(t, "four heartbeats of the second link", func() bool { return noops("b") >= 4 })
	if n := noops(marsd.MainListener); n > 1 {
		t.Fatalf("the default link (hourly heartbeat) sent %d noops", n)
	}
	if got := r.e.HeartbeatInterval(); got != time.Hour {
		t.Fatalf("HeartbeatInterval (the main link's) = %v", got)
	}
}

// MarkMainLongLink moves the tasks without a channel name and the
// main-link callbacks to the new main link.
func TestLongLinksMarkMainSwitchesTheDefault(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{KeepAlive: true})
	r.roundTrip(t, second, 7)
	mainSeen := len(r.cb.mainStatuses())
	if err := r.e.MarkMainLongLink(second); err != nil {
		t.Fatal(err)
	}
	if got := r.e.MainLongLink(); got != second {
		t.Fatalf("MainLongLink %q", got)
	}
	r.roundTrip(t, "", 42)
	r.log.waitFor(t, "cmdid 42", func() bool {
		return slices.Contains(r.log.cmds(r.srv, "b"), 42) || slices.Contains(r.log.cmds(r.srv, marsd.MainListener), 42)
	})
	if !slices.Contains(r.log.cmds(r.srv, "b"), 42) || slices.Contains(r.log.cmds(r.srv, marsd.MainListener), 42) {
		t.Fatal("a task without a channel name did not go to the new main link")
	}
	if got := r.cb.mainStatuses()[mainSeen:]; len(got) == 0 || got[0] != 2 {
		t.Fatalf("OnLongLinkStatusChange after the switch: %v, want the new main link's connected (2)", got)
	}
	if err := r.e.DestroyLongLink(second); !errors.Is(err, engine.ErrMainLongLink) {
		t.Fatalf("destroying the new main link: %v", err)
	}
	if err := r.e.DestroyLongLink(engine.DefaultChannelName); err != nil {
		t.Fatalf("destroying the former main link: %v", err)
	}
	if err := r.e.MarkMainLongLink("nope"); !errors.Is(err, engine.ErrNoLongLink) {
		t.Fatalf("marking an unknown link main: %v", err)
	}
}

func TestCreateLongLinkRejectsBadConfigs(t *testing.T) {
	e, err := engine.New(engine.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lc   engine.LongLinkConfig
		want error
	}{
		{engine.LongLinkConfig{}, engine.ErrLongLinkNameless},
		{engine.LongLinkConfig{Name: engine.DefaultChannelName}, engine.ErrLongLinkExists},
	} {
		if err := e.CreateLongLink(c.lc); !errors.Is(err, c.want) {
			t.Errorf("%+v: %v, want %v", c.lc, err, c.want)
		}
	}
	if err := e.CreateLongLink(engine.LongLinkConfig{Name: "x", HeartbeatMode: 9}); err == nil {
		t.Error("an unknown heartbeat mode was accepted")
	}
	e.Close()
	if err := e.CreateLongLink(engine.LongLinkConfig{Name: "y"}); !errors.Is(err, engine.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if err := e.DestroyLongLink("y"); !errors.Is(err, engine.ErrClosed) {
		t.Errorf("destroy after Close: %v", err)
	}
}

// The identify check is asked with the link's name, and only on links that
// want it.
func TestLongLinksIdentifyCheckNamesTheLink(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{IdentifyCheck: true})
	lc := engine.LongLinkConfig{Name: "third", DebugIP: "127.0.0.1"}
	r.addLink(t, lc)
	for _, link := range []string{"", second, "third"} {
		r.roundTrip(t, link, 7) // the host goroutine is FIFO: each connect's question came before this answer
	}
	got := r.cb.identifyAsked()
	if !slices.Contains(got, engine.DefaultChannelName) || !slices.Contains(got, second) || slices.Contains(got, "third") {
		t.Fatalf("identify asked for %v, want the default and second links and not third", got)
	}
}

// A link's hosts are resolved by OnLongLinkNewDns with the link's name, and
// its network events reach OnLongLinkNetworkErrorOf with it.
func TestLongLinksDNSAndNetworkEventsNameTheLink(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{})
	lc := engine.LongLinkConfig{Name: "resolved"} // no debug IP: OnLongLinkNewDns answers
	r.addLink(t, lc)
	r.roundTrip(t, "resolved", 7)
	r.roundTrip(t, second, 7)
	if got := r.cb.recorded(&r.cb.dns); !slices.Contains(got, "resolved second.test") {
		t.Fatalf("OnLongLinkNewDns calls %v", got)
	}
	evs := r.cb.recorded(&r.cb.netEvs)
	for _, want := range []string{"resolved 0 0", second + " 0 0"} {
		if !slices.Contains(evs, want) {
			t.Fatalf("OnLongLinkNetworkErrorOf %v, want %q", evs, want)
		}
	}
}

// Each link frames its packets with its own client version: a link whose
// version the server does not speak fails, the others carry on.
func TestLongLinksHaveTheirOwnCodec(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{})
	lc := engine.LongLinkConfig{Name: "other-version", DebugIP: "127.0.0.1",
		ClientVersion: marsd.DefaultClientVersion + 1}
	r.addLink(t, lc)
	tk := r.run(t, "other-version", 7)
	tk2 := r.run(t, second, 7)
	got := map[uint32]outcome{}
	for range 2 {
		select {
		case o := <-r.cb.ends:
			got[o.id] = o
		case <-time.After(loopTimeout):
			t.Fatalf("outcomes so far %v", got)
		}
	}
	if got[tk.TaskID].typ == engine.EctOK || got[tk2.TaskID].typ != engine.EctOK {
		t.Fatalf("outcomes %v: want the other version's task failed and the second link's done", got)
	}
}

// A link's own proxy carries that link's connects alone: a dead proxy fails
// its tasks with the proxy code while the engine's other links connect
// directly.
func TestLongLinksHaveTheirOwnProxy(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{})
	dead, err := faultnet.RefusedAddr()
	if err != nil {
		t.Fatal(err)
	}
	lc := engine.LongLinkConfig{Name: "proxied", DebugIP: "127.0.0.1",
		Proxy: &engine.ProxyConfig{Kind: engine.ProxyHTTP, Addr: dead}}
	r.addLink(t, lc)
	tk := r.run(t, "proxied", 7)
	wantOutcome(t, r.cb.loopCallbacks, outcome{tk.TaskID, engine.EctSocket, engine.EctSocketProxyRefused})
	r.roundTrip(t, second, 7)
	r.roundTrip(t, "", 7)
}

// A link's own TLS runs on that link alone: against a plaintext server its
// tasks end with the handshake code while the plaintext links carry on.
func TestLongLinksHaveTheirOwnTLS(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{})
	lc := engine.LongLinkConfig{Name: "tls", DebugIP: "127.0.0.1",
		TLS: &engine.TLSConfig{ServerName: "second.test"}}
	r.addLink(t, lc)
	tk := r.run(t, "tls", 7)
	select {
	case o := <-r.cb.ends:
		if o.id != tk.TaskID || o.typ != engine.EctSocket || o.code != engine.EctHandshakeMisunderstand {
			t.Fatalf("TLS link's task ended %+v, want (EctSocket, EctHandshakeMisunderstand)", o)
		}
	case <-time.After(loopTimeout):
		t.Fatal("the TLS link's task did not end")
	}
	r.roundTrip(t, second, 7)
}

// A link that leaves its server unset takes the engine's: no host and no
// ports is the default link's server, ports alone go to the engine's host.
func TestLongLinksInheritTheEngineServer(t *testing.T) {
	r := startTwoLinks(t, engine.Config{}, engine.LongLinkConfig{})
	if err := r.e.CreateLongLink(engine.LongLinkConfig{Name: "third"}); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(r.addrB)
	p, _ := strconv.Atoi(port)
	if err := r.e.CreateLongLink(engine.LongLinkConfig{Name: "fourth", Ports: []int{p}}); err != nil {
		t.Fatal(err)
	}
	r.roundTrip(t, "third", 11)
	r.roundTrip(t, "fourth", 12)
	r.log.waitFor(t, "cmdids 11 and 12", func() bool {
		return slices.Contains(r.log.cmds(r.srv, marsd.MainListener), 11) && slices.Contains(r.log.cmds(r.srv, "b"), 12)
	})
}
