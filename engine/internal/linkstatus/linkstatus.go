// Package linkstatus is the long link's status enum, its allowed
// transitions, and the mapping onto the numbers Mars hands the host through
// OnLongLinkStatusChange and ReportConnectStatus.
package linkstatus

import "fmt"

// Status is LongLink::TLongLinkStatus; the values are the numbers
// OnLongLinkStatusChange reports.
type Status int

// Long-link statuses (longlink.h:77-83).
const (
	Idle          Status = 0
	Connecting    Status = 1
	Connected     Status = 2
	Disconnected  Status = 3
	ConnectFailed Status = 4
)

func (s Status) String() string {
	switch s {
	case Idle:
		return "idle"
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	case Disconnected:
		return "disconnected"
	case ConnectFailed:
		return "connect-failed"
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// Allowed reports whether a link may move from one status to another.
// Idle is reachable from everywhere (reset); a connect attempt starts only
// from a settled state; an attempt ends connected, failed or, when it is
// cancelled, disconnected.
func Allowed(from, to Status) bool {
	switch to {
	case Idle:
		return true
	case Connecting:
		return from == Idle || from == Disconnected || from == ConnectFailed
	case Connected, ConnectFailed:
		return from == Connecting
	case Disconnected:
		return from == Connecting || from == Connected
	}
	return false
}

// NetStatus values of ReportConnectStatus (stn.h:316-324).
const (
	NetworkUnknown     = -1
	NetworkUnavailable = 0
	GatewayFailed      = 1
	ServerFailed       = 2
	NetConnecting      = 3
	NetConnected       = 4
	ServerDown         = 5
)

// ShortLinkStats is what the connect-status report needs to know about short links: whether any
// short-link result arrived since the long link last connected, and how many
// short-link failures came in a row.
type ShortLinkStats struct {
	Tried  bool
	Errors int
}

// shortServerFailedAt is the run of short failures that counts as "server
// failed" (net_core.cc:64).
const shortServerFailedAt = 3

// Report maps a main-link status onto ReportConnectStatus(all, longlink).
// ok is false where Mars makes no call: the disconnected state.
func Report(s Status, short ShortLinkStats) (all, longlink int, ok bool) {
	switch s {
	case Disconnected:
		return 0, 0, false
	case Connected:
		return NetConnected, NetConnected, true
	case ConnectFailed:
		return shortOr(short, NetworkUnknown), ServerFailed, true
	default: // Idle, Connecting
		return shortOr(short, NetConnecting), NetConnecting, true
	}
}

// shortOr is the all_status column: the short links' verdict when they have
// been tried, otherwise fallback.
func shortOr(short ShortLinkStats, fallback int) int {
	switch {
	case !short.Tried:
		return fallback
	case short.Errors == 0:
		return NetConnected
	case short.Errors >= shortServerFailedAt:
		return ServerFailed
	}
	return fallback
}
