//go:build !mars_xlog_only

package main

// C side of link_config_test.go (a _test.go file cannot use cgo); the
// linker drops it from the library, since no export reaches it.

/*
#include "mars.h"
*/
import "C"

import "github.com/mars-go/mars/engine"

// testLinkLimits converts a C config carrying the long link's limits.
func testLinkLimits(maxInFlight int32, maxPacket uint32) (engine.Config, error) {
	var c C.mars_stn_config
	c.struct_size = C.sizeof_mars_stn_config
	marsgo_stn_config_init(&c)
	c.max_in_flight = C.int32_t(maxInFlight)
	c.max_packet_size = C.uint32_t(maxPacket)
	return engineConfig(&c)
}

// testLinkLimitDefaults is what mars_stn_config_init writes.
func testLinkLimitDefaults() (maxInFlight int32, maxPacket uint32) {
	var c C.mars_stn_config
	c.struct_size = C.sizeof_mars_stn_config
	marsgo_stn_config_init(&c)
	return int32(c.max_in_flight), uint32(c.max_packet_size)
}
