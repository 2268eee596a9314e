package timingsync

import (
	"testing"
	"time"
)

// marsParams are Mars's numbers, as the engine passes them.
var marsParams = Params{ActiveLoggedIn: 90 * time.Second, Active: 4 * time.Minute,
	Inactive: 10 * time.Minute, NoNetFactor: 3}

func TestInterval(t *testing.T) {
	for _, tc := range []struct {
		active, logged, net bool
		want                time.Duration
	}{
		{true, true, true, 90 * time.Second},
		{true, false, true, 4 * time.Minute},
		{false, true, true, 10 * time.Minute},
		{false, false, true, 10 * time.Minute},
		{true, true, false, 270 * time.Second},
		{false, false, false, 30 * time.Minute},
	} {
		if got := marsParams.Interval(tc.active, tc.logged, tc.net); got != tc.want {
			t.Errorf("Interval(%v, %v, %v) = %v, want %v", tc.active, tc.logged, tc.net, got, tc.want)
		}
	}
}
