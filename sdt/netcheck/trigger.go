// Package netcheck decides when the engine should run a network diagnosis
// on its own: Mars's net-check heuristic. It
// is a pure type — the caller passes the time and acts on the answer — so
// the engine's owner goroutine can call it and tests need no clock.
package netcheck

import (
	"math/bits"
	"time"
)

// Link is the kind of link a task result came from.
type Link int

// The two link kinds Mars keeps a history for.
const (
	LongLink Link = iota
	ShortLink
)

// Defaults from Mars's net_check_logic.cc.
const (
	// DefaultWindow is the number of results in the "recent" and in the
	// "previous" window.
	DefaultWindow = 8
	// DefaultBadBelow: a window with fewer successes is bad.
	DefaultBadBelow = 3
	// DefaultGoodAbove: a window with more successes is good.
	DefaultGoodAbove = 5
	// DefaultMinSpacing is the least time between two checks, grown by
	// DefaultSpacingStep for every check since the network was last good.
	DefaultMinSpacing  = 5 * time.Minute
	DefaultSpacingStep = 10 * time.Minute
	// DefaultMaxChecks checks at most per DefaultLimitWindow. Mars
	// configures 1 per hour, but its limiter admits one more than it is
	// told; 2 keeps Mars's observed rate exactly.
	DefaultMaxChecks   = 2
	DefaultLimitWindow = time.Hour
)

// Config tunes a Trigger; zero fields take the Default… of the same name.
type Config struct {
	Window      int // results per window, 1..16
	BadBelow    int
	GoodAbove   int
	MinSpacing  time.Duration
	SpacingStep time.Duration
	MaxChecks   int
	LimitWindow time.Duration
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Window, DefaultWindow)
	c.Window = min(c.Window, 16) // two windows must fit in the 32-bit history
	def(&c.BadBelow, DefaultBadBelow)
	def(&c.GoodAbove, DefaultGoodAbove)
	def(&c.MaxChecks, DefaultMaxChecks)
	if c.MinSpacing <= 0 {
		c.MinSpacing = DefaultMinSpacing
	}
	if c.SpacingStep <= 0 {
		c.SpacingStep = DefaultSpacingStep
	}
	if c.LimitWindow <= 0 {
		c.LimitWindow = DefaultLimitWindow
	}
	return c
}

// Trigger keeps the success/failure history of the last 32 task results per
// link kind and says when they look like a network that just broke: the
// recent window is bad while the one before it was good.
//
// Where Mars is broken we do what it meant: the recent window is
// the newest results (Mars skips the newest one), the spacing between checks
// is measured from the last check (Mars never records it, so its spacing
// never applies), and the limiter admits exactly MaxChecks per window.
//
// A Trigger is not safe for concurrent use; the engine's owner goroutine
// owns it.
type Trigger struct {
	cfg     Config
	history [2]uint32 // bit 0 is the newest result, 1 = success
	seen    [2]bool   // the link kind has reported a result
	last    time.Time // when the last check was triggered
	steps   int       // checks triggered since the network was last good
	checks  []time.Time
}

// New returns a Trigger with an empty history.
func New(cfg Config) *Trigger { return &Trigger{cfg: cfg.withDefaults()} }

// Report records one task result on link and reports whether the engine
// should start a network check now.
func (t *Trigger) Report(link Link, ok bool, now time.Time) bool {
	if link != LongLink && link != ShortLink {
		return false
	}
	t.history[link] <<= 1
	if ok {
		t.history[link] |= 1
	}
	t.seen[link] = true

	should := t.broke(LongLink) || t.broke(ShortLink)
	if t.good(LongLink) && t.good(ShortLink) {
		t.steps = 0
	}
	if !should || !t.spaced(now) || !t.admit(now) {
		return false
	}
	t.last = now
	t.steps++
	t.checks = append(t.checks, now)
	return true
}

// Reset forgets the history, as after a network change; the rate limit
// and spacing stay, so a flapping network cannot trigger a storm of checks.
func (t *Trigger) Reset() {
	t.history, t.seen = [2]uint32{}, [2]bool{}
}

// successes counts the successes in window w (0 = newest results).
func (t *Trigger) successes(link Link, w int) int {
	mask := uint32(1)<<t.cfg.Window - 1
	return bits.OnesCount32(t.history[link] >> (w * t.cfg.Window) & mask)
}

// broke: the recent window is bad and the previous one was good.
func (t *Trigger) broke(link Link) bool {
	return t.successes(link, 0) < t.cfg.BadBelow && t.successes(link, 1) > t.cfg.GoodAbove
}

// good: the recent window is good, or the link has no results at all (a
// host without short links must not keep the spacing from resetting).
func (t *Trigger) good(link Link) bool {
	return !t.seen[link] || t.successes(link, 0) > t.cfg.GoodAbove
}

// spaced: enough time has passed since the last check.
func (t *Trigger) spaced(now time.Time) bool {
	if t.last.IsZero() {
		return true
	}
	return now.Sub(t.last) >= t.cfg.MinSpacing+time.Duration(t.steps)*t.cfg.SpacingStep
}

// admit applies the MaxChecks-per-LimitWindow limit.
func (t *Trigger) admit(now time.Time) bool {
	kept := t.checks[:0]
	for _, c := range t.checks {
		if now.Sub(c) < t.cfg.LimitWindow {
			kept = append(kept, c)
		}
	}
	t.checks = kept
	return len(t.checks) < t.cfg.MaxChecks
}
