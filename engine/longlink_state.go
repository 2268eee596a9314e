package engine

import (
	"time"

	"github.com/mars-go/mars/engine/internal/heartbeat"

	"github.com/mars-go/mars/engine/internal/linkstatus"
	"github.com/mars-go/mars/engine/internal/longlink"
	"github.com/mars-go/mars/engine/internal/taskq"
)

// longLink is the state of one long link, owned by the owner goroutine
// like everything in owner: its connection and connect attempts, its
// reconnect policy, heartbeat and identify check, and the tasks queued for
// it.
type longLink struct {
	o *owner

	// Tasks bound to this link.
	pending       taskq.Queue[*task] // not running, in send order
	running       int                // tasks with a packet on the link
	asking        int                // tasks whose attempt the host is building (host_tasks.go)
	lastBatchErr  time.Time
	retryInterval time.Duration
	filtering     bool // runTasks is walking pending

	// Connection.
	status       linkstatus.Status
	link         *longlink.Link
	linkAddr     Address
	connectStart time.Time // of the current or last attempt
	connectDone  time.Time
	dialGen      uint64
	dialCancel   func()
	keepLink     bool // the host asked for the link (MakesureLonglinkConnected, foreground)
	linkKind     AddressKind

	// Reconnect policy (appstate.go).
	backoff          int // inactive back-off index
	reconnectAt      time.Time
	reconnectRebuild bool // the pending reconnect is a rebuild alarm
	rebuildFired     bool // set while the rebuild alarm is handled
	reconnectTimer   *time.Timer
	reconnectPending bool

	// Disaster recovery (recovery.go).
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
	hbTimer         *time.Timer
	noopTimer       *time.Timer

	// Heartbeat interval (heartbeat_smart.go).
	hbMode    HeartbeatMode
	hbLearner *heartbeat.Learner // for the network label
	hbUsed    time.Duration      // interval of the outstanding heartbeat; 0 for connect/trigger noops
	hbSentAt  time.Time
	hbTrigged bool // the outstanding noop came from TrigNoop
}
