package engine

import (
	"context"
	"maps"
	"net"
	"time"

	"github.com/mars-go/mars/engine/internal/heartbeat"
	"github.com/mars-go/mars/engine/internal/ipsort"

	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/engine/internal/taskq"
)

// longLink is the state of one long link, owned by the owner goroutine
// like everything in owner: its connection and connect attempts, its
// reconnect policy, heartbeat and identify check, and the tasks queued for
// it.
type longLink struct {
	o         *owner
	name      string
	cfg       Config                                                             // the engine's, with this link's codec, dialer and heartbeat
	secure    func(ctx context.Context, c net.Conn, a Address) (net.Conn, error) // TLS on the winner, or nil
	proxies   proxyChooser                                                       // picks each connect's dialer (the link's proxy, or the host's per connect)
	addr      *LongLinkConfig                                                    // the link's own server; nil: the engine's settings
	keepAlive bool                                                               // Mars's is_keep_alive
	identify  bool                                                               // ask for the identify check
	scores    *ipsort.Table                                                      // this link's IP history
	destroyed bool

	// Tasks bound to this link.
	pending       taskq.Queue[*task] // not running, in send order
	running       int                // tasks with a packet on the link (setLongRunning)
	asking        int                // tasks whose attempt the host is building (host_tasks.go)
	lastBatchErr  time.Time
	retryInterval time.Duration
	filtering     bool // runTasks is walking pending

	// Connection.
	status       linkstatus.Status
	link         *longlink.Link
	connID       uint64 // the id of link (channel_id.go)
	linkAddr     Address
	connectStart time.Time // of the current or last attempt
	connectDone  time.Time
	dialGen      uint64
	dialCancel   func()
	keepLink     bool // the host asked for the link (MakesureLonglinkConnected, foreground)
	linkKind     AddressKind

	// Reconnect policy (appstate.go).
	backoff          int  // inactive back-off index
	failedSinceUp    int  // failed connects since the link was last up
	reconnectRebuild bool // the pending reconnect is a rebuild alarm
	rebuildFired     bool // set while the rebuild alarm is handled
	reconnectTimer   *ownerTimer

	// Disaster recovery (longlink_recovery.go).
	recovery recoveryState

	// Heartbeat and identify, per connection.
	lastWrite       time.Time
	awaitingAnswer  bool              // a noop or identify is unanswered
	identifyPending bool              // an identify request is unanswered
	identifyAsking  bool              // the host is asked for the identify buffer
	identifySlot    heartbeatSlotArgs // the slot waiting for that answer
	identifyDone    bool              // checked or never on this connection
	identifyHash    []byte
	noopPkt         []byte
	hbTimer         *ownerTimer
	noopTimer       *ownerTimer

	// Heartbeat interval (longlink_heartbeat_smart.go).
	hbMode    HeartbeatMode
	hbLearner *heartbeat.Learner // for the network label
	hbUsed    time.Duration      // interval of the outstanding heartbeat; 0 for connect/trigger noops
	hbSentAt  time.Time
	hbTrigged bool // the outstanding noop came from TrigNoop
}

// newLongLink builds a link from its setup; it starts idle. The default
// link shares the engine's IP history (which short links use too); every
// other link keeps its own, in memory.
func (o *owner) newLongLink(s linkSetup) *longLink {
	ll := &longLink{o: o, name: s.name, cfg: s.cfg, secure: s.secure, proxies: s.proxies, addr: s.addr, keepAlive: s.keepAlive,
		identify: s.identify, status: linkstatus.Idle, hbMode: s.cfg.HeartbeatMode, scores: o.scores}
	if s.addr != nil {
		ll.scores = ipsort.New(o.label, 0)
	}
	ll.encodeNoop()
	e := o.e
	ll.hbTimer = newOwnerTimer(e, func() { ll.onHeartbeatTimer(time.Now()) })
	ll.noopTimer = newOwnerTimer(e, ll.onNoopTimeout)
	ll.reconnectTimer = newOwnerTimer(e, ll.onReconnectTimer)
	ll.recovery.timer = newOwnerTimer(e, ll.onRecoveryTimer)
	return ll
}

// addressSettings are the settings a connect of this link uses: the
// engine's (debug IPs per host, backup IPs), with what the link sets of its
// own server. A link without a host keeps the engine's host and its debug
// IP; one without ports keeps the engine's ports.
func (ll *longLink) addressSettings() AddressSettings {
	s := ll.o.settings
	if a := ll.addr; a != nil {
		if a.Host != "" {
			s.LongLinkHost, s.LongLinkDebugIP = a.Host, ""
		}
		if a.DebugIP != "" {
			s.LongLinkDebugIP = a.DebugIP
		}
		if len(a.Ports) > 0 {
			s.LongLinkPorts = a.Ports
		}
		if len(a.BackupIPs) > 0 {
			s.BackupIPs = maps.Clone(s.BackupIPs)
			if s.BackupIPs == nil {
				s.BackupIPs = map[string][]string{}
			}
			s.BackupIPs[s.LongLinkHost] = a.BackupIPs
		}
	}
	return s
}

// isMain reports whether ll is the engine's main link.
func (ll *longLink) isMain() bool { return ll.o.main == ll }

// stopTimers ends the host's wish to keep the link and disarms every timer
// of the link, for good (Close, DestroyLongLink).
func (ll *longLink) stopTimers() {
	ll.keepLink = false
	ll.cancelReconnect()
	ll.stopHeartbeat()
	ll.cancelProbe()
	ll.recovery.timer.Stop()
}
