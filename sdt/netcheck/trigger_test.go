package netcheck

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// feed reports pattern ('S' success, 'F' failure; other runes ignored) on
// link at now and returns the 0-based positions that triggered a check.
func feed(tr *Trigger, link Link, pattern string, now time.Time) []int {
	var fired []int
	i := 0
	for _, c := range pattern {
		if c != 'S' && c != 'F' {
			continue
		}
		if tr.Report(link, c == 'S', now) {
			fired = append(fired, i)
		}
		i++
	}
	return fired
}

func TestTriggerHistory(t *testing.T) {
	tests := []struct {
		name    string
		link    Link
		pattern string
		want    []int
	}{
		{"good then broken: fires when recent successes drop below 3", LongLink, "SSSSSSSS FFFFFF FF", []int{13}},
		{"same on the short link", ShortLink, "SSSSSSSS FFFFFF", []int{13}},
		{"two failures are not enough", LongLink, "SSSSSSSS FFFFF SSS", nil},
		{"always failing: never good before", LongLink, strings.Repeat("F", 32), nil},
		{"alternating", LongLink, strings.Repeat("SF", 16), nil},
		{"only 5 successes before", LongLink, "FFFSSSSS FFFFFFFF", nil},
		{"6 of previous 8 succeeded", LongLink, "SSFSSSSS FFFFFFF", []int{14}},
		{"fewer than 16 results: the missing ones count as failures", LongLink, "SSSSSS FFFFFFFF", []int{13}},
	}
	for _, tc := range tests {
		tr := New(Config{})
		if got := feed(tr, tc.link, tc.pattern, t0); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q fired at %v, want %v", tc.name, tc.pattern, got, tc.want)
		}
	}
}

func TestTriggerSpacingAndLimit(t *testing.T) {
	type step struct {
		at      time.Duration
		pattern string
		fires   bool
	}
	const breakdown = "SSSSSSSS FFFFFF"
	tests := []struct {
		name  string
		steps []step
	}{
		{"spacing grows by 10 min per check while the network stays bad", []step{
			{0, breakdown, true},
			{4 * time.Minute, breakdown, false},  // < 5 min
			{14 * time.Minute, breakdown, false}, // 2nd check needs 5+10 min
			{15 * time.Minute, breakdown, true},
			{59 * time.Minute, breakdown, false}, // spaced (5+20 min) but 2 checks within the hour
			{60 * time.Minute, breakdown, true},  // the first check left the window
		}},
		{"a good network resets the spacing", []step{
			{0, breakdown, true},
			{time.Minute, "SSSSSSSS", false}, // both kinds good again
			{5 * time.Minute, breakdown, true},
		}},
	}
	for _, tc := range tests {
		tr := New(Config{})
		// In the first case the short link keeps failing, so the network is
		// never good; every report re-evaluates both links, so a short-link
		// failure may be the one that fires.
		for _, s := range tc.steps {
			now := t0.Add(s.at)
			var fired []int
			if tc.name != "a good network resets the spacing" {
				fired = feed(tr, ShortLink, "F", now)
			}
			fired = append(fired, feed(tr, LongLink, s.pattern, now)...)
			if (len(fired) > 0) != s.fires {
				t.Errorf("%s: at %v fired %v, want fires=%v", tc.name, s.at, fired, s.fires)
			}
		}
	}
}

func TestTriggerResetForgetsHistoryKeepsLimit(t *testing.T) {
	tr := New(Config{MaxChecks: 1})
	if fired := feed(tr, LongLink, "SSSSSSSS FFFFFF", t0); len(fired) != 1 {
		t.Fatalf("fired %v", fired)
	}
	tr.Reset()
	if fired := feed(tr, LongLink, "FFFFFF", t0.Add(time.Hour)); fired != nil {
		t.Errorf("history survived Reset: fired %v", fired)
	}
	tr.Reset()
	if fired := feed(tr, LongLink, "SSSSSSSS FFFFFF", t0.Add(30*time.Minute)); fired != nil {
		t.Errorf("limit did not survive Reset: fired %v", fired)
	}
}

func TestTriggerIgnoresUnknownLink(t *testing.T) {
	tr := New(Config{})
	for range 32 {
		if tr.Report(Link(7), false, t0) {
			t.Fatal("unknown link kind fired")
		}
	}
}

func TestConfigDefaultsAndClamp(t *testing.T) {
	c := Config{Window: 40}.withDefaults()
	want := Config{Window: 16, BadBelow: DefaultBadBelow, GoodAbove: DefaultGoodAbove, MinSpacing: DefaultMinSpacing,
		SpacingStep: DefaultSpacingStep, MaxChecks: DefaultMaxChecks, LimitWindow: DefaultLimitWindow}
	if c != want {
		t.Errorf("got %+v, want %+v", c, want)
	}
}
