package reconnect

import (
	"testing"
	"time"
)

func TestStateOf(t *testing.T) {
	for _, tc := range []struct {
		active, fg bool
		since      time.Duration
		want       State
	}{
		{true, true, 0, ForegroundOneMinute},
		{true, true, 59 * time.Second, ForegroundOneMinute},
		{true, true, time.Minute, ForegroundTenMinute},
		{true, true, 10 * time.Minute, ForegroundActive},
		{true, false, 0, BackgroundActive},
		{false, false, time.Hour, Inactive},
		{false, true, 0, Inactive},
	} {
		if got := StateOf(tc.active, tc.fg, tc.since); got != tc.want {
			t.Errorf("StateOf(%v, %v, %v) = %v, want %v", tc.active, tc.fg, tc.since, got, tc.want)
		}
	}
	if Inactive.String() != "inactive" || State(9).String() != "unknown" {
		t.Fatal("names")
	}
}

func TestMarsIntervalTable(t *testing.T) {
	want := map[Trigger][5]int{TaskTrigger: {5, 10, 20, 30, 300}, AutoTrigger: {15, 30, 120, 300, 600}}
	for trig, row := range want {
		for s, sec := range row {
			if got := MarsTable.Interval(trig, State(s), Conditions{}, 0); got != time.Duration(sec)*time.Second {
				t.Errorf("trigger %d state %v: %v, want %ds", trig, State(s), got, sec)
			}
		}
	}
	for s := range 5 {
		if got := MarsTable.Interval(NetworkChangeTrigger, State(s), Conditions{}, 0); got != 0 {
			t.Errorf("network change in %v: %v", State(s), got)
		}
	}
}

func TestForegroundActiveAutoAdjustments(t *testing.T) {
	if got := MarsTable.Interval(AutoTrigger, ForegroundActive, Conditions{}, 7*time.Second); got != 127*time.Second {
		t.Fatalf("jitter: %v, want 127s", got)
	}
	if got := MarsTable.Interval(AutoTrigger, ForegroundActive, Conditions{NoNetwork: true}, 7*time.Second); got != 960*time.Second {
		t.Fatalf("no network: %v, want 960s", got)
	}
	if got := MarsTable.Interval(TaskTrigger, ForegroundActive, Conditions{NoNetwork: true}, 7*time.Second); got != 20*time.Second {
		t.Fatalf("task trigger is not adjusted: %v", got)
	}
}

// Mars's GetAccountInfo rule: an empty user name stretches the auto
// interval to 2·I + 300 s in the foreground (no network still wins) and to
// 7 days when inactive, where it replaces the back-off.
func TestNoUserAutoAdjustments(t *testing.T) {
	noUser := Conditions{NoUser: true}
	if got := MarsTable.Interval(AutoTrigger, ForegroundActive, noUser, 7*time.Second); got != 540*time.Second {
		t.Fatalf("no user: %v, want 540s", got)
	}
	both := Conditions{NoUser: true, NoNetwork: true}
	if got := MarsTable.Interval(AutoTrigger, ForegroundActive, both, 0); got != 960*time.Second {
		t.Fatalf("no user, no network: %v, want 960s", got)
	}
	if got := MarsTable.Interval(AutoTrigger, Inactive, both, 0); got != NoUserInactive {
		t.Fatalf("inactive, no user: %v, want %v", got, NoUserInactive)
	}
	for _, s := range []State{ForegroundOneMinute, ForegroundTenMinute, BackgroundActive} {
		if got, want := MarsTable.Interval(AutoTrigger, s, noUser, 7*time.Second), MarsTable[AutoTrigger][s]; got != want {
			t.Fatalf("%v, no user: %v, want the table's %v", s, got, want)
		}
	}
	if got := MarsTable.Interval(TaskTrigger, ForegroundActive, noUser, 0); got != 20*time.Second {
		t.Fatalf("task trigger is not adjusted: %v", got)
	}
	idx := 3
	if w := MarsTable.Wait(AutoTrigger, Inactive, time.Hour, noUser, 0, &idx); w != NoUserInactive-time.Hour || idx != 3 {
		t.Fatalf("inactive, no user, an hour on: wait %v (index %d), want %v and the back-off untouched",
			w, idx, NoUserInactive-time.Hour)
	}
}

func TestWaitCountsFromPreviousStart(t *testing.T) {
	var idx int
	if w := MarsTable.Wait(AutoTrigger, ForegroundOneMinute, -1, Conditions{}, 0, &idx); w != 0 {
		t.Fatalf("never connected: wait %v", w)
	}
	if w := MarsTable.Wait(AutoTrigger, ForegroundOneMinute, 5*time.Second, Conditions{}, 0, &idx); w != 10*time.Second {
		t.Fatalf("5s after the previous start: wait %v, want 10s", w)
	}
	if w := MarsTable.Wait(TaskTrigger, BackgroundActive, 31*time.Second, Conditions{}, 0, &idx); w != 0 {
		t.Fatalf("task trigger in background after 31s: wait %v", w)
	}
	if w := MarsTable.Wait(NetworkChangeTrigger, Inactive, time.Second, Conditions{}, 0, &idx); w != 0 {
		t.Fatalf("network change waits %v", w)
	}
	if w := MarsTable.Wait(TaskTrigger, Inactive, 271*time.Second, Conditions{}, 0, &idx); w != 0 {
		t.Fatalf("inactive task trigger within the 30s buffer: wait %v", w)
	}
	if idx != 0 {
		t.Fatal("only the inactive auto trigger moves the back-off")
	}
}

func TestInactiveBackoffClimbsAndFalls(t *testing.T) {
	idx := 0
	var waits []time.Duration
	for range 8 {
		waits = append(waits, MarsTable.Wait(AutoTrigger, Inactive, 0, Conditions{}, 0, &idx))
	}
	want := []int{60, 120, 240, 360, 480, 600, 600, 600}
	for i, w := range waits {
		if w != time.Duration(want[i])*time.Second {
			t.Fatalf("waits %v, want %v s", waits, want)
		}
	}
	if w := MarsTable.Wait(AutoTrigger, Inactive, 11*time.Minute, Conditions{}, 0, &idx); w != 0 || idx != 5 {
		t.Fatalf("after 11 min: wait %v index %d, want 0 and 5", w, idx)
	}
	if w := MarsTable.Wait(AutoTrigger, Inactive, 100*time.Second, Conditions{}, 0, &idx); w != 500*time.Second {
		t.Fatalf("100s after the last start at the top: wait %v, want 500s", w)
	}
}
