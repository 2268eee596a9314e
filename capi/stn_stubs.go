//go:build mars_xlog_only

package main

// The xlog-only build (build/linux.sh --xlog-only) leaves the engine out but
// keeps the STN part of the ABI: shim.c forwards every STN call here as in
// the full build, and each answers MARS_EUNSUPPORTED; only errmsg, which
// runs code, needs the panic fence. -DMARS_XLOG_ONLY drops the STN feature
// names from mars_has_feature. stn_stubs_test.go checks that this list
// matches the full build's exports.

/*
#cgo CFLAGS: -DMARS_XLOG_ONLY
#include "mars.h"
*/
import "C"

import "unsafe"

//export marsgo_stn_create_longlink
func marsgo_stn_create_longlink(C.uintptr_t, *C.mars_longlink_config, *C.mars_longlink_codec) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_destroy_longlink
func marsgo_stn_destroy_longlink(C.uintptr_t, *C.char) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_mark_main_longlink
func marsgo_stn_mark_main_longlink(C.uintptr_t, *C.char) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_makesure_named_longlink_connected
func marsgo_stn_makesure_named_longlink_connected(C.uintptr_t, *C.char) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_named_longlink_is_connected
func marsgo_stn_named_longlink_is_connected(C.uintptr_t, *C.char, *C.int) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_longlinks
func marsgo_stn_longlinks(C.uintptr_t, **C.char, *C.size_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_main_longlink
func marsgo_stn_main_longlink(C.uintptr_t, *C.char, C.size_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_proxy_is_available
func marsgo_proxy_is_available(*C.mars_proxy_info, *C.char, C.int, C.int, *C.int, *C.int) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_sdt_check
func marsgo_sdt_check(*C.char, C.uint32_t, **C.char, *C.size_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_config_init
func marsgo_stn_config_init(*C.mars_stn_config) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_create
func marsgo_stn_create(*C.mars_stn_config, *C.mars_stn_callbacks, *C.mars_longlink_codec, *C.uintptr_t) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_destroy
func marsgo_stn_destroy(h C.uintptr_t) C.int {
	if h == 0 {
		return C.MARS_OK // as mars_stn_destroy(NULL) in the full build
	}
	return C.MARS_EBADHANDLE // no engine handle was ever handed out
}

//export marsgo_stn_poll
func marsgo_stn_poll(C.uintptr_t, C.int64_t, *C.int) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_poll_task_ends
func marsgo_stn_poll_task_ends(C.uintptr_t, C.int64_t, *C.mars_task_end, C.size_t, C.size_t, *C.size_t, *unsafe.Pointer) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_errmsg
func marsgo_stn_errmsg(h C.uintptr_t, buf *C.char, n C.size_t) (rc C.int) {
	defer fence("mars_stn_errmsg", &rc)
	if h != 0 {
		return C.MARS_EBADHANDLE
	}
	return copyErrmsg(processDetail(), buf, n) // the process detail, as in the full build
}

//export marsgo_stn_start_task
func marsgo_stn_start_task(C.uintptr_t, *C.mars_task, *C.uint32_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_stop_task
func marsgo_stn_stop_task(C.uintptr_t, C.uint32_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_has_task
func marsgo_stn_has_task(C.uintptr_t, C.uint32_t, *C.int) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_redo_tasks
func marsgo_stn_redo_tasks(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_touch_tasks
func marsgo_stn_touch_tasks(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_clear_tasks
func marsgo_stn_clear_tasks(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_reset
func marsgo_stn_reset(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_set_client_version
func marsgo_stn_set_client_version(C.uintptr_t, C.uint32_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_reset_and_init_encoder_version
func marsgo_stn_reset_and_init_encoder_version(C.uintptr_t, C.uint32_t) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_gen_sequence_id
func marsgo_stn_gen_sequence_id(*C.uint32_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_makesure_longlink_connected
func marsgo_stn_makesure_longlink_connected(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_disable_longlink
func marsgo_stn_disable_longlink(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_keep_signalling
func marsgo_stn_keep_signalling(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_stop_signalling
func marsgo_stn_stop_signalling(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_set_signalling_strategy
func marsgo_stn_set_signalling_strategy(C.uintptr_t, C.int64_t, C.int64_t) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_set_heartbeat_mode
func marsgo_stn_set_heartbeat_mode(C.uintptr_t, C.int) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_trig_noop
func marsgo_stn_trig_noop(C.uintptr_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_heartbeat_interval
func marsgo_stn_heartbeat_interval(C.uintptr_t, *C.int64_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_network_quality
func marsgo_stn_network_quality(C.uintptr_t, *C.mars_network_quality) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_longlink_is_connected
func marsgo_stn_longlink_is_connected(C.uintptr_t, *C.int) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_set_longlink_svr_addr
func marsgo_stn_set_longlink_svr_addr(C.uintptr_t, *C.char, *C.uint16_t, C.size_t, *C.char) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_set_shortlink_svr_addr
func marsgo_stn_set_shortlink_svr_addr(C.uintptr_t, C.uint16_t, *C.char) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_set_debug_ip
func marsgo_stn_set_debug_ip(C.uintptr_t, *C.char, *C.char) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_set_backup_ips
func marsgo_stn_set_backup_ips(C.uintptr_t, *C.char, **C.char, C.size_t) C.int {
	return C.MARS_EUNSUPPORTED
}

//export marsgo_stn_gen_task_id
func marsgo_stn_gen_task_id(C.uintptr_t, *C.uint32_t) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_on_foreground
func marsgo_stn_on_foreground(C.uintptr_t, C.int) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_set_account
func marsgo_stn_set_account(C.uintptr_t, *C.char) C.int { return C.MARS_EUNSUPPORTED }

//export marsgo_stn_on_network_change
func marsgo_stn_on_network_change(C.uintptr_t, C.int, *C.char) C.int { return C.MARS_EUNSUPPORTED }

// isEngineClosed is the full build's test for an engine's ErrClosed; with
// no engine nothing is closed.
func isEngineClosed(error) bool { return false }

//export marsgo_stn_longlink_connection_id
func marsgo_stn_longlink_connection_id(C.uintptr_t, *C.char, *C.uint64_t) C.int {
	return C.MARS_EUNSUPPORTED
}
