//go:build !mars_xlog_only

package main

/*
#include "mars.h"
*/
import "C"

import (
	"fmt"

	"github.com/mars-go/mars/engine"
)

// linkLimitsConfig converts the long link's limits; zero stays zero, the
// engine's default.
func linkLimitsConfig(c *C.mars_stn_config, cfg *engine.Config) error {
	if c.max_in_flight < 0 {
		return fmt.Errorf("%w: max_in_flight = %d", errArg, int32(c.max_in_flight))
	}
	cfg.MaxInFlight = int(c.max_in_flight)
	return nil
}
