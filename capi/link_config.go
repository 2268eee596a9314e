//go:build !mars_xlog_only

package main

/*
#include "mars.h"
*/
import "C"

import (
	"fmt"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/wire"
)

// linkLimitsConfig converts the long link's limits; zero stays zero, the
// engine's default.
func linkLimitsConfig(c *C.mars_stn_config, cfg *engine.Config) error {
	if c.max_in_flight < 0 {
		return fmt.Errorf("%w: max_in_flight = %d", errArg, int32(c.max_in_flight))
	}
	cfg.MaxInFlight = int(c.max_in_flight)
	if n := uint32(c.max_packet_size); n != 0 && n < wire.HeaderLen {
		return fmt.Errorf("%w: max_packet_size = %d is below the %d-byte header", errArg, n, wire.HeaderLen)
	}
	cfg.MaxPacket = int(c.max_packet_size)
	return nil
}

// linkLimitsDefaults writes the engine's long-link limits into a C config.
func linkLimitsDefaults(c *C.mars_stn_config, d engine.Config) {
	c.max_in_flight = C.int32_t(d.MaxInFlight)
	c.max_packet_size = C.uint32_t(d.MaxPacket)
}
