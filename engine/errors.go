package engine

import "fmt"

// ErrType is Mars's ErrCmdType: the class of a task outcome reported by
// OnTaskEnd. The numbers are Mars's.
type ErrType int

// Error types (stn.h:245-257). Names keep Mars's spelling so Mars users find
// them (EctCanceld included).
const (
	EctOK       ErrType = 0
	EctFalse    ErrType = 1
	EctDial     ErrType = 2
	EctDns      ErrType = 3
	EctSocket   ErrType = 4
	EctHttp     ErrType = 5
	EctNetMsgXP ErrType = 6
	EctEnDecode ErrType = 7
	EctServer   ErrType = 8
	EctLocal    ErrType = 9
	EctCanceld  ErrType = 10
)

// Local error codes, with EctLocal (stn.h:260-275).
const (
	EctLocalTaskTimeout         = -1
	EctLocalTaskRetry           = -2
	EctLocalStartTaskFail       = -3
	EctLocalAntiAvalanche       = -4
	EctLocalChannelSelect       = -5
	EctLocalNoNet               = -6
	EctLocalCancel              = -7
	EctLocalClear               = -8 // unused by Mars; kept for the numbering
	EctLocalReset               = -9
	EctLocalTaskParam           = -12
	EctLocalCgiFrequcencyLimit  = -13 // unused by Mars; kept for the numbering
	EctLocalChannelID           = -14
	EctLocalLongLinkReleased    = -15
	EctLocalLongLinkUnAvailable = -16
	// EctLocalPacketTooLarge: the task's request packet exceeds
	// Config.MaxPacket; it ended without being sent (not in Mars, which
	// sends any size).
	EctLocalPacketTooLarge = -17
)

// Long-link timeout codes, with EctNetMsgXP (stn.h:278-283). The task
// timeout reaches the host as (EctLocal, EctLocalTaskTimeout).
const (
	EctLongFirstPkgTimeout  = -500
	EctLongPkgPkgTimeout    = -501
	EctLongReadWriteTimeout = -502
	EctLongTaskTimeout      = -503
)

// Short-link timeout codes, with EctHttp (stn.h:286-292).
const (
	EctHttpFirstPkgTimeout    = -500
	EctHttpPkgPkgTimeout      = -501
	EctHttpReadWriteTimeout   = -502
	EctHttpLongPollingTimeout = -503
)

// Socket-family codes (stn.h:295-314). Raw errno values also appear as
// codes with EctSocket.
const (
	EctSocketNetworkChange      = -10086
	EctSocketMakeSocketPrepared = -10087
	EctSocketWritenWithNonBlock = -10088
	EctSocketReadOnce           = -10089
	EctSocketShutdown           = -10090
	EctSocketRecvErr            = -10091
	EctSocketSendErr            = -10092
	EctSocketNoopTimeout        = -10093
	EctSocketNoopAlarmTooLate   = -10094
	EctSocketUserBreak          = -10095
	EctHandshakeMisunderstand   = -10096
	// The proxy, not the target, failed (beyond Mars): reported with the
	// proxy's address and never counted in the target's IP history.
	EctSocketProxyRefused  = -10097 // unreachable, or it refused the tunnel (HTTP status, SOCKS reply)
	EctSocketProxyAuth     = -10098 // it wants other credentials (HTTP 407, SOCKS authentication)
	EctSocketProxyProtocol = -10099 // its answer was not the protocol, or it closed mid-handshake
	// Finer TLS failures (beyond Mars); EctHandshakeMisunderstand stays
	// for the rest (not TLS, a protocol alert, closed mid-handshake).
	EctHandshakePinMismatch     = -10100 // the chain verified but holds none of the pinned keys
	EctHandshakeCertificate     = -10101 // the chain did not verify: unknown authority, expired, another name
	EctHttpSplitHttpHeadAndBody = -10194
	EctHttpParseStatusLine      = -10195
	EctNetMsgXPHandleBufferErr  = -10504
	EctDnsMakeSocketPrepared    = -10606
)

// TaskError is a task outcome other than success: Mars's (error_type,
// error_code) pair. It is a comparable value, so errors.Is(err,
// TaskError{EctLocal, EctLocalReset}) and errors.As both work.
type TaskError struct {
	Type ErrType
	Code int
}

func (e TaskError) Error() string {
	return fmt.Sprintf("mars task error (type %d, code %d)", int(e.Type), e.Code)
}

// OK reports whether the pair means success (type EctOK, any code).
func (e TaskError) OK() bool { return e.Type == EctOK }

// Buf2Resp results: Mars's TaskFailHandleType (stn.h:231-242). Buf2Resp
// returns one of these; the engine's reaction is on each constant.
const (
	// RespHandleNormal: the response was decoded; the task succeeds.
	RespHandleNormal = 0
	// RespHandleDefault: decode error; on the long link every running task is
	// retried or failed and the link is reset.
	RespHandleDefault = -1
	// RespHandleRetryAllTasks (Mars's RetryTasks), from either link: every
	// running short-link task is retried (the answering one, if short, once
	// for free and at once; the others spend a retry), and every long link
	// holding a task with the answering task's UserID retries or ends its
	// running tasks (EctEnDecode; the answering task gets the code, the
	// others 0) and reconnects with no retry pause.
	RespHandleRetryAllTasks = -12
	// RespHandleSessionTimeout (session expired): like RetryAllTasks, but
	// on the short link only the running tasks with NeedAuthed.
	RespHandleSessionTimeout = -13
	// RespHandleTaskEnd: end this task with (EctEnDecode, code), no retry.
	RespHandleTaskEnd = -14
	// RespHandleTaskTimeout is internal to Mars (a task timeout); hosts do
	// not return it.
	RespHandleTaskTimeout = -15
	// RespSilentTaskEnd: on the long link drop the task with no OnTaskEnd.
	RespSilentTaskEnd = -16
)

// IdentifyMode is what GetLonglinkIdentifyCheckBuffer answers (stn.h:326;
// the comment in stn_logic.h:238 has Next and Never swapped).
type IdentifyMode int

// Identify modes.
const (
	IdentifyCheckNow   IdentifyMode = 0 // send the returned buffer now
	IdentifyCheckNext  IdentifyMode = 1 // send a noop; ask again next slot
	IdentifyCheckNever IdentifyMode = 2 // never ask again on this connection
)
