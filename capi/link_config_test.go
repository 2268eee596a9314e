//go:build !mars_xlog_only

package main

import (
	"errors"
	"testing"

	"github.com/mars-go/mars/engine"
)

func TestMaxInFlightReachesTheEngineAndNegativeIsRejected(t *testing.T) {
	for _, n := range []int32{0, 1, 64} {
		cfg, err := testLinkLimits(n, 0)
		if err != nil || cfg.MaxInFlight != int(n) {
			t.Fatalf("max_in_flight %d: MaxInFlight %d, %v", n, cfg.MaxInFlight, err)
		}
	}
	if _, err := testLinkLimits(-1, 0); !errors.Is(err, errArg) {
		t.Fatalf("max_in_flight -1: %v, want an invalid argument", err)
	}
}

func TestMaxPacketSizeReachesTheEngineAndBelowTheHeaderIsRejected(t *testing.T) {
	inFlight, size := testLinkLimitDefaults()
	if inFlight != 0 || size != engine.DefaultMaxPacket {
		t.Fatalf("mars_stn_config_init wrote max_in_flight %d, max_packet_size %d; want 0 and %d",
			inFlight, size, engine.DefaultMaxPacket)
	}
	for _, n := range []uint32{0, 20, 16 << 20, 1<<32 - 1} {
		cfg, err := testLinkLimits(0, n)
		if err != nil || cfg.MaxPacket != int(n) {
			t.Fatalf("max_packet_size %d: MaxPacket %d, %v", n, cfg.MaxPacket, err)
		}
	}
	if _, err := testLinkLimits(0, 19); !errors.Is(err, errArg) {
		t.Fatalf("max_packet_size 19: %v, want an invalid argument", err)
	}
}
