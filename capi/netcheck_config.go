//go:build !mars_xlog_only

package main

/*
#include "mars.h"
*/
import "C"

import (
	"fmt"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/sdt/netcheck"
)

// maxNetCheckWindow is the largest netcheck_window; the trigger clamps
// larger ones, and a wild value is still rejected as a likely mistake.
const maxNetCheckWindow = 1 << 10

// netCheckConfig converts the automatic network check's fields; zero
// numbers stay zero, the trigger's Mars defaults.
func netCheckConfig(c *C.mars_stn_config, cfg *engine.Config) error {
	cfg.NoNetCheck, cfg.NetCheckCGI = cBool(c.netcheck_off), goString(c.netcheck_cgi)
	fields := []struct {
		name string
		v    C.int32_t
		dst  *int
	}{
		{"netcheck_window", c.netcheck_window, &cfg.NetCheckTrigger.Window},
		{"netcheck_bad_below", c.netcheck_bad_below, &cfg.NetCheckTrigger.BadBelow},
		{"netcheck_good_above", c.netcheck_good_above, &cfg.NetCheckTrigger.GoodAbove},
	}
	for _, f := range fields {
		if f.v < 0 || f.v > maxNetCheckWindow {
			return fmt.Errorf("%w: %s = %d", errArg, f.name, int32(f.v))
		}
		*f.dst = int(f.v)
	}
	return nil
}

// netCheckDefaults writes the trigger's defaults into a C config.
func netCheckDefaults(c *C.mars_stn_config) {
	c.netcheck_window = netcheck.DefaultWindow
	c.netcheck_bad_below = netcheck.DefaultBadBelow
	c.netcheck_good_above = netcheck.DefaultGoodAbove
}
