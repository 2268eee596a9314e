// Package reconnect is Mars's long-link reconnect schedule
// (LongLinkConnectMonitor) as pure functions:
// it returns durations and never owns a timer.
//
// The app state comes from foreground, active (false 10 min after going to
// the background) and the time since the last foreground change:
//
//	Fg < 1 min   ForegroundOneMinute
//	Fg 1–10 min  ForegroundTenMinute
//	Fg ≥ 10 min  ForegroundActive
//	background   BackgroundActive
//	not active   Inactive
//
// Least time between connect starts, in seconds, by trigger and state:
//
//	trigger \ state   Fg<1m  Fg1-10m  Fg≥10m  Bg  Inactive
//	task                 5      10       20    30    300
//	auto                15      30      120   300    600
//	network change       0       0        0     0      0
//
// The auto interval in ForegroundActive is adjusted: no network → 3·I + 600 s,
// else nobody signed in (an empty account user name) → 2·I + 300 s,
// otherwise I + a random 0–19 s. In Inactive with nobody signed in, the auto
// interval is 7 days. Otherwise in Inactive the auto trigger follows a
// back-off over {0, 60, 120, 240, 360, 480, 600} s whose index moves up when
// the previous attempt started less than 10 min ago and down otherwise. Mars
// moves it on every task-loop pass, saturating it within
// seconds; here it moves once per evaluation, i.e. once per attempt.
package reconnect

import "time"

// State is the app state the intervals depend on.
type State int

// States, in the table's column order.
const (
	ForegroundOneMinute State = iota
	ForegroundTenMinute
	ForegroundActive
	BackgroundActive
	Inactive
)

var stateNames = [...]string{"foreground<1min", "foreground<10min", "foreground", "background", "inactive"}

func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "unknown"
	}
	return stateNames[s]
}

// Trigger is why a connect is considered.
type Trigger int

// Triggers (Mars's kTaskConnect, kLongLinkConnect, kNetworkChangeConnect).
const (
	TaskTrigger Trigger = iota
	AutoTrigger
	NetworkChangeTrigger
)

// Mars's numbers (longlink_connect_monitor.cc).
const (
	OneMinute           = time.Minute      // end of ForegroundOneMinute
	TenMinutes          = 10 * time.Minute // end of ForegroundTenMinute; background → inactive
	NoNetworkExtra      = 600 * time.Second
	NoUserExtra         = 300 * time.Second // 2·I + 300 s with nobody signed in
	NoUserInactive      = 7 * 24 * time.Hour
	MaxJitter           = 20 * time.Second // I + rand()%20 s
	InactiveBuffer      = 30 * time.Second // posttime slack when inactive
	InactiveBackoffStep = 10 * time.Minute // posttime below this moves the index up
)

// Table holds the intervals [trigger][state] for task and auto triggers.
type Table [2][5]time.Duration

// MarsTable is Mars's reconnect table by app state.
var MarsTable = Table{
	{5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second, 300 * time.Second},
	{15 * time.Second, 30 * time.Second, 120 * time.Second, 300 * time.Second, 600 * time.Second},
}

// InactiveBackoff is the back-off table of the inactive auto trigger.
var InactiveBackoff = [...]time.Duration{0, 60 * time.Second, 120 * time.Second, 240 * time.Second,
	360 * time.Second, 480 * time.Second, 600 * time.Second}

// StateOf maps the app's facts onto a State.
func StateOf(active, foreground bool, sinceForegroundChange time.Duration) State {
	switch {
	case !active:
		return Inactive
	case !foreground:
		return BackgroundActive
	case sinceForegroundChange < OneMinute:
		return ForegroundOneMinute
	case sinceForegroundChange < TenMinutes:
		return ForegroundTenMinute
	}
	return ForegroundActive
}

// Conditions are the facts besides the app state that adjust the auto
// interval (Mars's getNetInfo and GetAccountInfo).
type Conditions struct {
	NoNetwork bool
	NoUser    bool // the account's user name is empty: nobody is signed in
}

// Interval is the least time between connect starts for trigger in state.
// jitter is drawn in [0, MaxJitter) by the caller (tests fix it).
func (t Table) Interval(trig Trigger, s State, c Conditions, jitter time.Duration) time.Duration {
	if trig == NetworkChangeTrigger {
		return 0
	}
	i := t[trig][s]
	if trig != AutoTrigger || (s != ForegroundActive && s != Inactive) {
		return i
	}
	switch {
	case s == Inactive && c.NoUser:
		return NoUserInactive
	case c.NoNetwork:
		return 3*i + NoNetworkExtra
	case c.NoUser:
		return 2*i + NoUserExtra
	}
	return i + jitter
}

// Wait says how long to wait before connecting; 0 means now. sincePrev is
// the time since the previous connect attempt started (negative: never).
// backoff is the inactive back-off index, updated for an inactive auto
// trigger while someone is signed in (with nobody, the 7-day interval
// applies instead).
func (t Table) Wait(trig Trigger, s State, sincePrev time.Duration, c Conditions, jitter time.Duration, backoff *int) time.Duration {
	if sincePrev < 0 || trig == NetworkChangeTrigger {
		return 0
	}
	if s == Inactive && trig == AutoTrigger && !c.NoUser {
		if sincePrev < InactiveBackoffStep {
			*backoff = min(*backoff+1, len(InactiveBackoff)-1)
		} else {
			*backoff = max(*backoff-1, 0)
		}
		return min(max(InactiveBackoff[*backoff]-sincePrev, 0), InactiveBackoff[len(InactiveBackoff)-1])
	}
	var buffer time.Duration
	if s == Inactive {
		buffer = InactiveBuffer
	}
	interval := t.Interval(trig, s, c, jitter)
	if sincePrev+buffer >= interval {
		return 0
	}
	return interval - sincePrev
}
