package engine

import "time"

// Callbacks is the host side of the engine, mirroring Mars's stn Callback.
// Embed NopCallbacks to get Mars's defaults
// and override what you need.
//
// Unless a method says otherwise it runs on the engine's host goroutine,
// one per engine, serialised with every other callback in the order the
// engine asked for them. The engine's own goroutine never waits for it: a
// callback that blocks delays the callbacks behind it (and the tasks whose
// Req2Buf or Buf2Resp wait behind it), never heartbeats, timeouts or
// reconnects. Any engine method may be called from inside any callback.
// While OnPush is slow, received packets queue up to Config.ReceiveBacklog,
// then the long link stops reading its socket until the host catches up.
//
// Byte slices and profiles handed to a callback are valid only during the
// call.
type Callbacks interface {
	// MakesureAuthed reports whether userID is logged in at host. It is
	// polled before every attempt of a NeedAuthed task, about once per
	// AuthPollInterval while it says false; call TouchTasks after logging in.
	MakesureAuthed(host, userID string) bool

	// OnNewDns resolves host for a connect attempt (longlink tells which
	// link). It runs on its own goroutine; an answer later than
	// NewDnsTimeout (2 s) is dropped. Empty means "use the system resolver".
	// Answers that are not IP literals, and 0.0.0.0, are ignored.
	OnNewDns(host string, longlink bool) []string

	// OnPush delivers a server push (seq 0) from the long link named
	// channelID.
	OnPush(channelID string, cmdID, taskID uint32, body []byte)

	// Req2Buf builds the body of one attempt. channel is ChannelLong or
	// ChannelShort; host is the first host of the task's list for that link
	// kind. dst is an empty scratch buffer of the engine's that the body may
	// be appended to (it is reused for the next call: do not keep it); the
	// engine copies the returned body before building the next. ok false
	// ends the task (EctEnDecode, errCode) with no retry. Not asked for a
	// task that carries its Body.
	Req2Buf(task TaskRef, channel ChannelSelect, host string, dst []byte) (body []byte, errCode int, ok bool)

	// Buf2Resp decodes a response body and returns a RespHandle* value;
	// errCode is reported through OnTaskEnd.
	Buf2Resp(task TaskRef, channel ChannelSelect, body []byte) (handle int, errCode int)

	// OnTaskEnd reports a task's outcome: exactly once per task, except tasks
	// removed by StopTask or ClearTasks, or dropped by RespSilentTaskEnd on
	// the long link. On success the returned value becomes the profile's
	// error code.
	OnTaskEnd(task TaskRef, errType ErrType, errCode int, profile *TaskProfile) int

	// ReportConnectStatus reports (all, longlink) NetStatus numbers on every
	// main-link status change except to disconnected (LongLinkReporter
	// hears every link).
	ReportConnectStatus(status, longlinkStatus int)

	// OnLongLinkStatusChange reports the main link's status: 0 idle,
	// 1 connecting, 2 connected, 3 disconnected, 4 connect failed. Each
	// connection has an id (Engine.LongLinkConnectionID, for
	// Task.ChannelID).
	OnLongLinkStatusChange(status int)

	// OnLongLinkNetworkError reports network events of the main link:
	// connect success (EctOK, 0), each failed connect, link errors, task
	// timeouts (EctNetMsgXP, -500/-501/-502), identify success.
	OnLongLinkNetworkError(errType ErrType, errCode int, ip string, port int)

	// GetLonglinkIdentifyCheckBuffer is asked at each heartbeat slot (the
	// first right after connect) until a check succeeds or it answers
	// IdentifyCheckNever; channelID names the link.
	GetLonglinkIdentifyCheckBuffer(channelID string) (mode IdentifyMode, buf, hash []byte, cmdID uint32)

	// OnLonglinkIdentifyResponse receives the identify answer; true stops
	// further checks on this connection.
	OnLonglinkIdentifyResponse(channelID string, resp, hash []byte) bool

	// TrafficData reports the bytes of one socket write or read. It runs on
	// the link's I/O goroutine, concurrently with other callbacks; it must
	// not block and must not call HasTask.
	TrafficData(send, recv int64)

	// ReportTaskProfile reports every ended task's statistics, after
	// OnTaskEnd.
	ReportTaskProfile(profile *TaskProfile)

	// ReportTaskLimited reports an anti-avalanche rejection: checkType 1
	// frequency (param = ms since the previous identical request), 2 flow
	// (param = request length), just before the task ends (EctLocal,
	// EctLocalAntiAvalanche).
	ReportTaskLimited(checkType int, task TaskRef, param int)

	// RequestSync asks the host to pull (timing sync while the long link is
	// down), when Config.TimingSync is on. The period depends on
	// AccountReporter, an optional extension of Callbacks.
	RequestSync()
}

// NopCallbacks implements Callbacks with Mars's defaults: authed, no DNS
// answer, empty request bodies, every response accepted, identify never.
// Embed it and override what you need.
type NopCallbacks struct{}

var _ Callbacks = NopCallbacks{}

// MakesureAuthed returns true.
func (NopCallbacks) MakesureAuthed(string, string) bool { return true }

// OnNewDns returns nil (use the system resolver).
func (NopCallbacks) OnNewDns(string, bool) []string { return nil }

// OnPush does nothing.
func (NopCallbacks) OnPush(string, uint32, uint32, []byte) {}

// Req2Buf returns an empty body.
func (NopCallbacks) Req2Buf(_ TaskRef, _ ChannelSelect, _ string, dst []byte) ([]byte, int, bool) {
	return dst[:0], 0, true
}

// Buf2Resp accepts every response.
func (NopCallbacks) Buf2Resp(TaskRef, ChannelSelect, []byte) (int, int) { return RespHandleNormal, 0 }

// OnTaskEnd returns 0.
func (NopCallbacks) OnTaskEnd(TaskRef, ErrType, int, *TaskProfile) int { return 0 }

// ReportConnectStatus does nothing.
func (NopCallbacks) ReportConnectStatus(int, int) {}

// OnLongLinkStatusChange does nothing.
func (NopCallbacks) OnLongLinkStatusChange(int) {}

// ShortLinkNetworkErrorer is an optional extension of Callbacks, Mars's
// OnShortLinkNetworkError: a Callbacks that also implements it is told of
// each short-link address the built-in transport failed to connect to,
// with errType EctSocket and the errno, a TLS code (EctHandshakePinMismatch,
// EctHandshakeCertificate, else EctHandshakeMisunderstand) or an EctSocketProxy… code (then ip and port are
// the proxy's). It runs on the host goroutine, like every callback.
type ShortLinkNetworkErrorer interface {
	OnShortLinkNetworkError(errType ErrType, errCode int, ip string, port int)
}

// TaskEndResponder is an optional extension of Callbacks for hosts that
// leave decoding to the end of the task: a Callbacks that also implements
// it gets OnTaskEndResp in place of OnTaskEnd, the same report plus resp,
// the response to the task's latest attempt that Buf2Resp decoded (nil if
// that attempt got none, as after a timeout or a local error). The engine
// never reuses resp: the callee may keep it, but must not modify it.
type TaskEndResponder interface {
	OnTaskEndResp(task TaskRef, errType ErrType, errCode int, profile *TaskProfile, resp []byte) int
}

// onTaskEnd reports a task's end through OnTaskEndResp when cb has it.
func onTaskEnd(cb Callbacks, ref TaskRef, typ ErrType, code int, p *TaskProfile, resp []byte) int {
	if r, ok := cb.(TaskEndResponder); ok {
		return r.OnTaskEndResp(ref, typ, code, p, resp)
	}
	return cb.OnTaskEnd(ref, typ, code, p)
}

// LongLinkReporter is an optional extension of Callbacks for engines with
// several long links (CreateLongLink): a Callbacks that also implements it
// is told of the status changes and network events of every long link,
// the main one included, with the link's name. The methods without a name
// (OnLongLinkStatusChange, ReportConnectStatus, OnLongLinkNetworkError)
// keep reporting the main link alone.
type LongLinkReporter interface {
	// OnLongLinkStatusChangeOf is OnLongLinkStatusChange for link name.
	OnLongLinkStatusChangeOf(name string, status int)
	// OnLongLinkNetworkErrorOf is OnLongLinkNetworkError for link name.
	OnLongLinkNetworkErrorOf(name string, errType ErrType, errCode int, ip string, port int)
}

// LongLinkResolver is an optional extension of Callbacks: a Callbacks that
// implements it resolves the hosts of long-link connects with
// OnLongLinkNewDns, told which link connects, instead of OnNewDns(host,
// true) (Mars's per-link dns_func). It runs as OnNewDns does.
type LongLinkResolver interface {
	OnLongLinkNewDns(name, host string) []string
}

// OnLongLinkNetworkError does nothing.
func (NopCallbacks) OnLongLinkNetworkError(ErrType, int, string, int) {}

// GetLonglinkIdentifyCheckBuffer returns IdentifyCheckNever.
func (NopCallbacks) GetLonglinkIdentifyCheckBuffer(string) (IdentifyMode, []byte, []byte, uint32) {
	return IdentifyCheckNever, nil, nil, 0
}

// OnLonglinkIdentifyResponse returns true.
func (NopCallbacks) OnLonglinkIdentifyResponse(string, []byte, []byte) bool { return true }

// TrafficData does nothing.
func (NopCallbacks) TrafficData(int64, int64) {}

// ReportTaskProfile does nothing.
func (NopCallbacks) ReportTaskProfile(*TaskProfile) {}

// ReportTaskLimited does nothing.
func (NopCallbacks) ReportTaskLimited(int, TaskRef, int) {}

// RequestSync does nothing.
func (NopCallbacks) RequestSync() {}

// TaskProfile is a task's statistics, handed to OnTaskEnd and
// ReportTaskProfile (Mars's CgiProfile/TaskProfile). Zero times mean "did
// not happen". Unlike Mars the profile is per task, also on failures.
type TaskProfile struct {
	TaskID  uint32
	CmdID   uint32
	Cgi     string
	UserID  string
	Channel ChannelSelect // the link kind the last attempt used; 0 if none
	// ReportArg is Task.ReportArg.
	ReportArg string

	StartTime       time.Time // StartTask processed
	StartSendTime   time.Time // first byte of the last attempt written
	ReadFinishTime  time.Time // last attempt's response complete
	EndTime         time.Time // outcome decided
	Attempts        int       // attempts sent
	SendBytes       int       // body bytes of the last attempt
	RecvBytes       int       // body bytes of the response
	ErrType         ErrType
	ErrCode         int
	ConnectIP       string    // the long link's address, if the task used it
	ConnectPort     int       //
	ConnectStart    time.Time // that connection's connect attempt started
	ConnectDone     time.Time // and succeeded
	FirstPkgTimeout time.Duration
	TaskTimeout     time.Duration
	// WeakNetwork: a weak-network mark was active when the task
	// ended (Mars's TaskProfile.is_weak_network).
	WeakNetwork bool
	// RespFlags and ServerSequenceID are what Buf2RespExt answered for
	// the last response decoded (Mars's Buf2Resp flags and
	// server_sequence_id); 0 without Buf2RespExter.
	RespFlags        int
	ServerSequenceID uint32
}
