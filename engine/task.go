package engine

import "time"

// ChannelSelect is the Task.ChannelSelect bitmask (stn.h:63-68).
type ChannelSelect int

// Channel bits and combinations.
const (
	ChannelShort     ChannelSelect = 1
	ChannelLong      ChannelSelect = 2
	ChannelBoth      ChannelSelect = 3
	ChannelMinorLong ChannelSelect = 4 // minor long links: not implemented, never selected
	ChannelNormal    ChannelSelect = 5
	ChannelAll       ChannelSelect = 7
)

// ChannelStrategy is Task.ChannelStrategy.
type ChannelStrategy int

// Channel strategies (stn.h).
const (
	// ChannelNormalStrategy: Both/All use the long link whenever it is connected.
	ChannelNormalStrategy ChannelStrategy = 0
	// ChannelFastStrategy: Both/All use the long link only if it is connected
	// and has no task pending; otherwise the short link.
	ChannelFastStrategy ChannelStrategy = 1
	// ChannelDisasterRecoveryStategy is unused by Mars (spelling is Mars's).
	ChannelDisasterRecoveryStategy ChannelStrategy = 2
)

// Task priorities: 0 is sent first, 5 last; FIFO within a priority.
const (
	TaskPriorityHighest = 0
	TaskPriority0       = 0
	TaskPriority1       = 1
	TaskPriority2       = 2
	TaskPriority3       = 3
	TaskPriorityNormal  = 3
	TaskPriority4       = 4
	TaskPriority5       = 5
	TaskPriorityLowest  = 5
)

// Reserved task ids (stn.h:89-93): never returned by GenTaskID and rejected
// by StartTask, because a task id is also its long-link seq.
const (
	NoopTaskID          uint32 = 0xFFFFFFFF
	IdentifyTaskID      uint32 = 0xFFFFFFFE
	SignallingTaskID    uint32 = 0xFFFFFFFD
	ReservedTaskIDStart uint32 = 0xFFFFFFF0
)

// DefaultChannelName is the name of the long link every engine starts with,
// built from Config's long-link settings; it is the main link until
// MarkMainLongLink picks another.
const DefaultChannelName = "default-longlink"

// Task is one request the host asks the engine to deliver. StartTask copies
// it; later changes by the caller have no effect.
//
// The Go zero value is not Mars's default task: use NewTask, which sets
// Mars's defaults (priority 3, one retry, limits on), then change fields.
type Task struct {
	// TaskID identifies the task and is its long-link seq. Must be non-zero
	// and below ReservedTaskIDStart; Engine.GenTaskID hands out fresh ones.
	TaskID uint32
	// CmdID goes in the long-link header. Zero drops the Long bit.
	CmdID uint32
	// ChannelSelect picks the link kinds the task may use, once, when the
	// task starts: Both and All go over the long link when it is
	// connected, else over the short link; Normal goes short; Long waits for
	// the long link; MinorLong alone cannot start (EctLocal,
	// EctLocalStartTaskFail).
	ChannelSelect ChannelSelect
	// ChannelStrategy refines the choice for Both/All: with
	// ChannelFastStrategy they use the long link only while no other task is
	// pending on it.
	ChannelStrategy ChannelStrategy
	// ChannelName picks the long link by name (CreateLongLink); "" means
	// the main link. A task that may use the long link and names no
	// existing link ends (EctLocal, EctLocalLongLinkUnAvailable).
	ChannelName string
	// ChannelID, when non-zero, binds the task to one long-link connection:
	// the id Engine.LongLinkConnectionID gave for the link the task uses.
	// Each attempt that would go over the long link while that link is down
	// or has another connection ends the task (EctLocal,
	// EctLocalChannelID) instead; a task needing auth is asked
	// MakesureAuthed first. The short link ignores it.
	ChannelID uint64
	// Cgi is the short-link URL path. Empty drops the Short bit.
	Cgi string

	// SendOnly: long link only; the task ends (EctOK, 0) as soon as its packet
	// is queued on a connected link. A short-only send-only task ends
	// (EctLocal, EctLocalStartTaskFail).
	SendOnly bool
	// NeedAuthed gates every attempt on Callbacks.MakesureAuthed.
	NeedAuthed bool
	// LimitFlow and LimitFrequency subject the task to the anti-avalanche
	// limits: the 106th byte-identical request within the hour, or
	// mobile traffic beyond the 80 MiB bucket, ends the task (EctLocal,
	// EctLocalAntiAvalanche).
	LimitFlow      bool
	LimitFrequency bool
	// NetworkStatusSensitive fails the task fast with (EctLocal,
	// EctLocalNoNet) when the network is down and the long link is not
	// connected.
	NetworkStatusSensitive bool

	// Priority: 0 (first) to 5 (last); out-of-range values are clamped.
	Priority int
	// RetryCount is the number of re-tries (attempts = RetryCount+1).
	// Negative means DefaultRetryCount; above MaxRetryCount is rejected.
	RetryCount int
	// ServerProcessCost is the server's expected processing time; it widens
	// the first-packet and task timeouts. Negative means unknown; above
	// MaxServerProcessCost is rejected. Millisecond resolution.
	ServerProcessCost time.Duration
	// TotalTimeout caps the task timeout. Zero or negative means no cap;
	// above MaxTotalTimeout is rejected. Millisecond resolution.
	TotalTimeout time.Duration

	// LongPolling marks a short-link long-polling task: the server may hold
	// the request up to LongPollingTimeout; no response byte by then ends
	// the attempt (EctHttp, EctHttpLongPollingTimeout) and the task timeout
	// becomes LongPollingTimeout + 5 s. LongPollingTimeout must be
	// positive and at most MaxTotalTimeout when LongPolling is set.
	LongPolling        bool
	LongPollingTimeout time.Duration

	// UserContext is opaque to the engine and echoed to callbacks.
	UserContext any
	// UserID is passed to callbacks; a Buf2Resp answer of
	// RespHandleRetryAllTasks or RespHandleSessionTimeout resets the long
	// links holding tasks with the same UserID.
	UserID string
	// Headers are extra short-link HTTP headers.
	Headers map[string]string
	// ShortLinkHostList: hostnames for the short link; required when the task
	// may go short (an empty list is rejected, where Mars accepts it).
	ShortLinkHostList []string
	// LongLinkHostList: only its first entry is used, as the host argument of
	// MakesureAuthed and Req2Buf for long-link attempts.
	LongLinkHostList []string
	// ReportArg is carried into the TaskProfile for the host's statistics.
	ReportArg string

	// Body, when non-nil, is the request body of every attempt, and
	// Req2Buf is not asked for one (a host that only sends bytes it already
	// has pays no callback). An empty non-nil slice sends an empty body.
	// StartTask copies it.
	Body []byte
}

// NewTask returns a task with Mars's defaults (stn.cc:36-68) and the given
// id and cmdid: channel Both, priority 3, one retry, server cost and total
// timeout unset, flow and frequency limits on.
func NewTask(taskID, cmdID uint32) Task {
	return Task{
		TaskID:            taskID,
		CmdID:             cmdID,
		ChannelSelect:     ChannelBoth,
		Priority:          TaskPriorityNormal,
		RetryCount:        -1,
		ServerProcessCost: -1,
		TotalTimeout:      -1,
		LimitFlow:         true,
		LimitFrequency:    true,
	}
}

// TaskRef is what a callback learns about the task it concerns.
type TaskRef struct {
	TaskID      uint32
	CmdID       uint32
	UserContext any
	UserID      string
	// ClientSequenceID is a random 16-bit value drawn once per task (as Mars
	// does on the long link) and passed to Req2Buf.
	ClientSequenceID uint32
}
