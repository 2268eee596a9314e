//go:build !mars_xlog_only

package main

import (
	"errors"
	"testing"
)

func TestMaxInFlightReachesTheEngineAndNegativeIsRejected(t *testing.T) {
	for _, n := range []int32{0, 1, 64} {
		cfg, err := testLinkLimits(n)
		if err != nil || cfg.MaxInFlight != int(n) {
			t.Fatalf("max_in_flight %d: MaxInFlight %d, %v", n, cfg.MaxInFlight, err)
		}
	}
	if _, err := testLinkLimits(-1); !errors.Is(err, errArg) {
		t.Fatalf("max_in_flight -1: %v, want an invalid argument", err)
	}
}
