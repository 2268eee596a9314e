package soak

import (
	"flag"
	"os"
	"strconv"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The replay flags. Each falls back to its environment variable (SOAK_SEED,
// SOAK_DURATION, SOAK_STRICT=1), so `make soak SEED=… DURATION=…` and a
// bare `go test` both work.
var (
	seedFlag     = flag.Uint64("seed", 0, "schedule seed (default $SOAK_SEED, else a fresh one, printed)")
	durationFlag = flag.Duration("duration", 0, "run fault rounds until this much time is spent (default $SOAK_DURATION, else one round)")
	strictFlag   = flag.Bool("strict", false, "fail on known-broken invariants too (default $SOAK_STRICT=1)")
	faultsFlag   = flag.String("faults", "", "comma-separated fault kinds a round is made of (default all; narrows a replay)")
	logFlag      = flag.Bool("log", false, "log the engine's own lines (debug level) with the test's")
)

// params are the run's seed, duration and strictness: the flags, else the
// environment; a malformed variable fails the test rather than being
// ignored.
type params struct {
	seed     uint64
	duration time.Duration
	strict   bool
}

func runParams(t *testing.T) params {
	p := params{seed: *seedFlag, duration: *durationFlag, strict: *strictFlag}
	var err error
	if v := os.Getenv("SOAK_SEED"); p.seed == 0 && v != "" {
		if p.seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("SOAK_SEED=%q: %v", v, err)
		}
	}
	if v := os.Getenv("SOAK_DURATION"); p.duration == 0 && v != "" {
		if p.duration, err = time.ParseDuration(v); err != nil {
			t.Fatalf("SOAK_DURATION=%q: %v", v, err)
		}
	}
	p.strict = p.strict || os.Getenv("SOAK_STRICT") == "1"
	for p.seed == 0 {
		p.seed = uint64(time.Now().UnixNano()) // fresh: the log line below makes it replayable
	}
	return p
}
