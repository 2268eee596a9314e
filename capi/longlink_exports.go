//go:build !mars_xlog_only

package main

/*
#include "mars.h"
*/
import "C"

import (
	"errors"
	"fmt"

	"github.com/mars-go/mars/engine"
)

// The exports of several long links (mars.h, "Several long links"): each
// converts, calls the engine's long-link API and maps its errors.

//export marsgo_stn_create_longlink
func marsgo_stn_create_longlink(h C.uintptr_t, c *C.mars_longlink_config, codec *C.mars_longlink_codec) C.int {
	const name = "mars_stn_create_longlink"
	return withSTN(name, h, func(s *stnHandle) C.int {
		if c == nil {
			return fail(&s.err, C.MARS_EINVAL, name+": c is NULL or its struct_size too small to hold name")
		}
		lc, err := longLinkConfig(c)
		if err == nil && codec != nil {
			if lc.ClientVersion != 0 {
				err = fmt.Errorf("%w: codec and client_version are both set", errArg)
			} else {
				lc.Codec, err = newHostCodec(codec)
			}
		}
		if err != nil {
			return fail(&s.err, C.MARS_EINVAL, name+": "+err.Error())
		}
		if err := s.eng.CreateLongLink(lc); err != nil {
			return fail(&s.err, longLinkCode(err), name+": "+err.Error())
		}
		return C.MARS_OK
	})
}

//export marsgo_stn_destroy_longlink
func marsgo_stn_destroy_longlink(h C.uintptr_t, n *C.char) C.int {
	return namedLinkCall("mars_stn_destroy_longlink", h, n, (*engine.Engine).DestroyLongLink)
}

//export marsgo_stn_mark_main_longlink
func marsgo_stn_mark_main_longlink(h C.uintptr_t, n *C.char) C.int {
	return namedLinkCall("mars_stn_mark_main_longlink", h, n, (*engine.Engine).MarkMainLongLink)
}

//export marsgo_stn_makesure_named_longlink_connected
func marsgo_stn_makesure_named_longlink_connected(h C.uintptr_t, n *C.char) C.int {
	return namedLinkCall("mars_stn_makesure_named_longlink_connected", h, n,
		(*engine.Engine).MakesureNamedLongLinkConnected)
}

// namedLinkCall is the body of the exports that take a link's name and
// return the engine's error.
func namedLinkCall(fn string, h C.uintptr_t, n *C.char, f func(*engine.Engine, string) error) C.int {
	return withSTN(fn, h, func(s *stnHandle) C.int {
		if n == nil {
			return fail(&s.err, C.MARS_EINVAL, fn+": name is NULL")
		}
		if err := f(s.eng, C.GoString(n)); err != nil {
			return fail(&s.err, longLinkCode(err), fn+": "+err.Error())
		}
		return C.MARS_OK
	})
}

//export marsgo_stn_named_longlink_is_connected
func marsgo_stn_named_longlink_is_connected(h C.uintptr_t, n *C.char, out *C.int) C.int {
	const fn = "mars_stn_named_longlink_is_connected"
	return withSTN(fn, h, func(s *stnHandle) C.int {
		if n == nil || out == nil {
			return fail(&s.err, C.MARS_EINVAL, fn+": name and out are required")
		}
		*out = cInt(s.eng.NamedLongLinkIsConnected(C.GoString(n)))
		return C.MARS_OK
	})
}

//export marsgo_stn_longlink_connection_id
func marsgo_stn_longlink_connection_id(h C.uintptr_t, n *C.char, out *C.uint64_t) C.int {
	const fn = "mars_stn_longlink_connection_id"
	return withSTN(fn, h, func(s *stnHandle) C.int {
		if out == nil {
			return fail(&s.err, C.MARS_EINVAL, fn+": out is NULL")
		}
		*out = C.uint64_t(s.eng.LongLinkConnectionID(goString(n)))
		return C.MARS_OK
	})
}

//export marsgo_stn_longlinks
func marsgo_stn_longlinks(h C.uintptr_t, out **C.char, outLen *C.size_t) C.int {
	const fn = "mars_stn_longlinks"
	return withSTN(fn, h, func(s *stnHandle) C.int {
		if out == nil || outLen == nil {
			return fail(&s.err, C.MARS_EINVAL, fn+": out_names and out_len are required")
		}
		var b []byte
		for _, n := range s.eng.LongLinks() {
			b = append(append(b, n...), 0)
		}
		p := cText(b)
		if p == nil {
			return fail(&s.err, C.MARS_ENOMEM, fn+": out of memory")
		}
		*out, *outLen = p, C.size_t(len(b))
		return C.MARS_OK
	})
}

//export marsgo_stn_main_longlink
func marsgo_stn_main_longlink(h C.uintptr_t, buf *C.char, n C.size_t) C.int {
	return withSTN("mars_stn_main_longlink", h, func(s *stnHandle) C.int {
		return copyErrmsg(s.eng.MainLongLink(), buf, n)
	})
}

// longLinkCode maps the engine's long-link errors to result codes.
func longLinkCode(err error) C.int {
	switch {
	case errors.Is(err, engine.ErrLongLinkExists), errors.Is(err, engine.ErrMainLongLink):
		return C.MARS_ESTATE
	case isEngineClosed(err):
		return C.MARS_ECLOSED
	}
	return C.MARS_EINVAL // ErrNoLongLink, ErrLongLinkNameless, a validation error
}

// longLinkConfig converts a C link config (already copied to full size by
// the shim). Zero fields stay zero, which the engine reads as the engine's
// values.
func longLinkConfig(c *C.mars_longlink_config) (engine.LongLinkConfig, error) {
	lc := engine.LongLinkConfig{
		Name: goString(c.name), Host: goString(c.host), DebugIP: goString(c.debug_ip),
		ClientVersion: uint32(c.client_version),
		HeartbeatMode: engine.HeartbeatMode(c.heartbeat_mode),
		IdentifyCheck: cBool(c.identify_check), KeepAlive: cBool(c.keep_alive), Main: cBool(c.main),
	}
	if lc.Name == "" {
		return lc, fmt.Errorf("%w: name is NULL or empty", errArg)
	}
	var err error
	if lc.Ports, err = ports(c.ports, c.ports_len); err != nil {
		return lc, err
	}
	if lc.BackupIPs, err = stringList("backup_ips", c.backup_ips, c.backup_ips_len); err != nil {
		return lc, err
	}
	switch lc.HeartbeatMode {
	case engine.HeartbeatFixed, engine.HeartbeatSmart, engine.HeartbeatPassive:
	default:
		return lc, fmt.Errorf("%w: heartbeat_mode %d", errArg, int(c.heartbeat_mode))
	}
	if err := stnDurations([]msField{{"heartbeat_interval_ms", c.heartbeat_interval_ms, &lc.HeartbeatInterval}}); err != nil {
		return lc, err
	}
	if lc.TLS, err = tlsConfig(tlsFields{"tls", c.tls, c.tls_server_name, c.tls_root_ca_pem,
		c.tls_pinned_spki_sha256, c.tls_pinned_spki_len}); err != nil {
		return lc, err
	}
	lc.Proxy, err = proxyConfig(proxyFields{c.proxy_kind, c.proxy_addr, c.proxy_user, c.proxy_password})
	return lc, err
}
