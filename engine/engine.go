package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mars-go/mars/engine/internal/doh"
	"github.com/mars-go/mars/internal/mailbox"
)

// Engine is one STN instance. Create it with New and end it with Close.
type Engine struct {
	// Immutable after New.
	cfg    Config // with defaults
	rawCfg Config // as given, to re-derive defaults when the network changes
	cb     Callbacks
	secure func(ctx context.Context, c net.Conn, a Address) (net.Conn, error) // TLS on the winner, or nil

	// Shared with every goroutine.
	inbox      *mailbox.Queue[ownerWork] // API calls, I/O and dial goroutines → owner
	host       *host                     // owner → host callbacks (host.go)
	done       chan struct{}             // closed when the owner goroutine has exited
	closeOnce  sync.Once
	wg         sync.WaitGroup     // I/O and connect goroutines
	bg         context.Context    // background work (recovery probes); ends at Close
	stopBg     context.CancelFunc // so Close does not wait out a probe's timeout
	ownerGID   atomic.Uint64      // goroutine id of the owner, for HasTask/Close
	connected  atomic.Bool        // mirror of the link status, for LongLinkIsConnected
	nextID     atomic.Uint32      // GenTaskID counter
	version    atomic.Uint32      // the client version in force (SetClientVersion)
	wakeups    atomic.Uint64      // owner loop iterations, for the idle-cost test
	mss        atomic.Int32       // TCP_MAXSEG for the engine's own dialer, 0: none
	doh        *doh.Resolver      // Config.DoHURL's resolver (its own lock), or nil
	proxies    proxyChooser       // each connect's Dialer (ProxyProvider)
	files      *stateFiles        // state files under AppFilePath, written off the owner
	checkOwner bool               // MARS_DEBUG_OWNER=1: assert owner-only code runs on the owner

	// Everything in o is owned by the owner goroutine.
	o owner
}

// New validates cfg, fills its defaults and starts the engine's owner
// goroutine. cb receives the callbacks; nil means NopCallbacks.
func New(cfg Config, cb Callbacks) (*Engine, error) {
	raw := cfg
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cb == nil {
		cb = NopCallbacks{}
	}
	e := &Engine{cfg: cfg, rawCfg: raw, cb: cb, inbox: mailbox.New[ownerWork](), host: newHost(), done: make(chan struct{}),
		checkOwner: os.Getenv("MARS_DEBUG_OWNER") == "1", secure: tlsHandshaker(cfg.TLS)}
	e.mss.Store(wifiMSS(cfg.Network))
	e.version.Store(cfg.ClientVersion)
	base, d := linkDialer(raw, cfg, &e.mss)
	e.cfg.Dialer = d
	pp, _ := cb.(ProxyProvider)
	e.proxies = proxyChooser{provider: pp, base: base, static: d, logf: e.logf}
	if cfg.DoHURL != "" {
		e.doh = &doh.Resolver{URL: cfg.DoHURL, Dial: d.DialContext, TLS: dohTLS(cfg)}
	}
	e.bg, e.stopBg = context.WithCancel(context.Background())
	e.files = newStateFiles(e.logf)
	e.o.init(e)
	ready := make(chan struct{})
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.files.run()
	}()
	go e.host.run()
	go e.o.run(ready)
	<-ready
	return e, nil
}

// Config returns the configuration in force, defaults filled in, except
// the network timeouts the host left zero: they stay zero ("by network"),
// as their value follows the network in use.
func (e *Engine) Config() Config {
	c := e.cfg.networkTimeoutsOf(e.rawCfg)
	c.ClientVersion = e.version.Load()
	return c
}

// logf logs from any goroutine (Config.Logger is safe for that).
func (e *Engine) logf(level LogLevel, format string, args ...any) {
	if l := e.cfg.Logger; l.Enabled(level) {
		l.Log(level, fmt.Sprintf(format, args...))
	}
}

// post hands ev to the owner; false once the engine is closed.
func (e *Engine) post(w ownerWork) bool { return e.inbox.Post(w) }

// GenTaskID returns a fresh task id for this engine. Ids increase and wrap
// to 1 before ReservedTaskIDStart, so 0 and the reserved seqs never appear.
func (e *Engine) GenTaskID() uint32 {
	for {
		old := e.nextID.Load()
		next := old + 1
		if next >= ReservedTaskIDStart || next == 0 {
			next = 1
		}
		if e.nextID.CompareAndSwap(old, next) {
			return next
		}
	}
}

// ErrClosed is returned by StartTask after Close.
var ErrClosed = errors.New("engine: closed")

// StartTask queues t (copied). It is asynchronous: every outcome, including
// a validation failure, arrives through OnTaskEnd on the host goroutine.
// It returns ErrClosed, and no callback follows, after Close. A TaskID
// already in use ends the new task (EctLocal, EctLocalTaskParam).
func (e *Engine) StartTask(t Task) error {
	t.Headers = maps.Clone(t.Headers)
	t.Body = bytes.Clone(t.Body) // nil stays nil: "ask Req2Buf"
	t.ShortLinkHostList = slices.Clone(t.ShortLinkHostList)
	t.LongLinkHostList = slices.Clone(t.LongLinkHostList)
	if !e.post(startWork{&task{t: t}}) {
		return ErrClosed
	}
	return nil
}

// StopTask removes a task without OnTaskEnd. It is asynchronous (Mars's
// header says synchronous, it is not): the task is gone once
// the owner processes the stop, so HasTask called afterwards from any
// goroutine is false. A queued packet is withdrawn if not a byte of it was
// written; a later response is ignored. Called from the task's own Req2Buf
// or Buf2Resp it wins over that callback's answer: no OnTaskEnd follows.
func (e *Engine) StopTask(taskID uint32) {
	e.runOnOwner(func(o *owner) {
		if !o.stopShort(taskID) {
			o.stopTask(taskID)
		}
	})
}

// HasTask reports whether taskID is queued, running, waiting for a retry
// or parked as a zombie. It blocks until the owner answers (the
// owner never waits for callbacks, so this is safe inside one), counting
// tasks started or stopped earlier, also from the same callback. Do not
// call it from TrafficData.
func (e *Engine) HasTask(taskID uint32) bool {
	return askOwner(e, false, func(o *owner) bool { return o.hasTask(taskID) })
}

// ClearTasks drops every task without OnTaskEnd and closes the long link.
func (e *Engine) ClearTasks() {
	e.runOnOwner(func(o *owner) {
		o.clearTasks()
		o.clearShorts()
	})
}

// RedoTasks closes the long link, reconnects at once and re-sends every
// running task; each running task spends a retry or, with none left, ends
// (EctLocal, EctLocalCancel).
func (e *Engine) RedoTasks() {
	e.runOnOwner(func(o *owner) {
		o.redoTasks()
		o.redoShorts()
	})
}

// TouchTasks runs the task loop now (for example after logging in, so
// NeedAuthed tasks go out without waiting for the next auth poll).
func (e *Engine) TouchTasks() { e.runOnOwner(func(o *owner) { o.runNeeded = true }) }

// Reset ends every task with (EctLocal, EctLocalReset), closes the long link
// and starts afresh. Unlike Mars the address settings survive,
// and so does a kept link (foreground, MakesureLonglinkConnected): it
// reconnects after Reset as after any drop.
// Asynchronous: the OnTaskEnd calls run on the host goroutine.
func (e *Engine) Reset() {
	e.runOnOwner(func(o *owner) {
		o.reset(false)
		o.resetShorts()
	})
}

// MakesureLonglinkConnected connects the long link now unless it is
// connected or connecting, bypassing the reconnect intervals, and keeps it:
// after a drop it is reconnected automatically.
func (e *Engine) MakesureLonglinkConnected() { e.runOnOwner(func(o *owner) { o.main.makesure() }) }

// LongLinkIsConnected reports the main long link's status (a direct read of
// the owner's last published status).
func (e *Engine) LongLinkIsConnected() bool { return e.connected.Load() }

// SetAccount tells the engine the signed-in user's name (Mars's
// GetAccountInfo().username); "" means nobody is signed in. Only whether
// it is empty is used, and only by the reconnect intervals of a kept link,
// as in Mars: with nobody signed in, the automatic reconnect interval
// after 10 minutes in the foreground is 2·I + 300 s (540 s instead of
// 120–139 s), and an inactive app reconnects on its own only after 7
// days (tasks still connect). Until the first call the engine counts a
// user as signed in (with Config.ExactMarsTiming, as nobody, like Mars's
// default account). It applies from the next reconnect decision.
func (e *Engine) SetAccount(userName string) {
	signedIn := userName != ""
	e.runOnOwner(func(o *owner) { o.userKnown, o.userSignedIn = true, signedIn })
}

// OnForeground tells the engine whether the app is in the foreground.
// Coming to the foreground connects the long link (and keeps it), as Mars's
// connect monitor does; the full reconnect policy by app state comes with
// the connect strategy.
func (e *Engine) OnForeground(foreground bool) {
	e.runOnOwner(func(o *owner) { o.setForeground(foreground, time.Now()) })
}

// OnNetworkChange tells the engine the network changed to network. The long
// link is dropped with (EctSocket, EctSocketNetworkChange): running tasks
// spend a retry or end with that code, and the link reconnects at once if
// tasks wait or the link is kept. NetworkNone only drops the link. Tasks
// sent afterwards use the timeout column of the new network (mobile or
// WiFi) for every timeout field Config left zero.
func (e *Engine) OnNetworkChange(network NetworkType) {
	e.OnNetworkChangeWithLabel(network, "")
}

// OnNetworkChangeWithLabel is OnNetworkChange that also names the new
// network (e.g. a Wi-Fi SSID) for the IP history; an empty label
// means the network type's name. Scores are saved, then rebuilt from the new
// network's history, so nothing is banned right after a change.
func (e *Engine) OnNetworkChangeWithLabel(network NetworkType, label string) {
	e.runOnOwner(func(o *owner) {
		o.networkChange(network, label)
		o.redoShorts()
	})
}

// settings changes the address settings on the owner.
func (e *Engine) settings(change func(*AddressSettings)) {
	e.runOnOwner(func(o *owner) { change(&o.settings) })
}

// SetLonglinkSvrAddr sets the long link's host, ports (tried in order) and
// debug IP (used instead of the host when non-empty). An empty host keeps
// the previous host but replaces ports and debug IP, as Mars does.
func (e *Engine) SetLonglinkSvrAddr(host string, ports []int, debugIP string) {
	ports = slices.Clone(ports)
	e.settings(func(s *AddressSettings) {
		if host != "" {
			s.LongLinkHost = host
		}
		s.LongLinkPorts = ports
		s.LongLinkDebugIP = debugIP
	})
}

// SetShortlinkSvrAddr sets the port of every short-link host and the
// short-link debug IP.
func (e *Engine) SetShortlinkSvrAddr(port int, debugIP string) {
	e.settings(func(s *AddressSettings) {
		s.ShortLinkPort = port
		s.ShortLinkDebug = debugIP
	})
}

// SetDebugIP makes host resolve to ip for both link kinds, above every
// other source; an empty ip removes the entry.
func (e *Engine) SetDebugIP(host, ip string) {
	e.settings(func(s *AddressSettings) {
		if ip == "" {
			delete(s.DebugIPs, host)
			return
		}
		if s.DebugIPs == nil {
			s.DebugIPs = map[string]string{}
		}
		s.DebugIPs[host] = ip
	})
}

// SetBackupIPs sets fallback IPs for host.
func (e *Engine) SetBackupIPs(host string, ips []string) {
	ips = slices.Clone(ips)
	e.settings(func(s *AddressSettings) {
		if s.BackupIPs == nil {
			s.BackupIPs = map[string][]string{}
		}
		s.BackupIPs[host] = ips
	})
}

// Close ends every task with (EctLocal, EctLocalReset), closes the long link
// and waits until every engine goroutine has exited. Pushes not yet handed
// to OnPush are dropped (DroppedPushes counts them); every started task
// still gets its one OnTaskEnd before Close returns. It is idempotent.
// Called from a callback it starts the shutdown and returns without
// waiting; it must not be called from TrafficData.
func (e *Engine) Close() error {
	e.closeOnce.Do(func() {
		e.host.closing.Store(true)
		e.runOnOwner(func(o *owner) {
			o.reset(true)
			o.resetShorts()
			o.closed = true
		})
		e.stopBg()
	})
	if e.inCallback() {
		return nil
	}
	<-e.done
	<-e.host.done
	e.wg.Wait()
	if e.doh != nil {
		e.doh.CloseIdle()
	}
	if n := e.DroppedPushes(); n > 0 && e.cfg.Logger.Enabled(LogInfo) {
		e.cfg.Logger.Log(LogInfo, fmt.Sprintf("closed: %d pushes dropped undelivered", n))
	}
	return nil
}

// GenSequenceID draws a client sequence id as Mars's GenSequenceId does:
// uniform in 0..65535, independent of any engine. Every task's
// TaskRef.ClientSequenceID is drawn here; a host that frames its own
// messages can draw one for them the same way.
func GenSequenceID() uint32 { return uint32(rand.IntN(1 << 16)) }
