//go:build !mars_xlog_only

package main

/*
#include "mars.h"
*/
import "C"

import (
	"cmp"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/mars-go/mars/engine"
)

// stnHandle is what a mars_stn id names.
type stnHandle struct {
	eng *engine.Engine
	q   *pollQueue // nil unless created with poll_events
	err errDetail
}

var stns = newHandleTable[*stnHandle](kindSTN)

func isEngineClosed(err error) bool { return errors.Is(err, engine.ErrClosed) }

// withSTN is the body of every export on an engine (withHandle).
func withSTN(name string, h C.uintptr_t, f func(*stnHandle) C.int) C.int {
	return withHandle(name, stns, h, f)
}

//export marsgo_stn_config_init
func marsgo_stn_config_init(cfg *C.mars_stn_config) (rc C.int) {
	defer fence("mars_stn_config_init", &rc)
	enter("mars_stn_config_init")
	if cfg == nil {
		return C.MARS_EINVAL
	}
	configDefaults(cfg)
	return C.MARS_OK
}

//export marsgo_stn_create
func marsgo_stn_create(cfg *C.mars_stn_config, cb *C.mars_stn_callbacks, codec *C.mars_longlink_codec, out *C.uintptr_t) (rc C.int) {
	defer fence("mars_stn_create", &rc)
	enter("mars_stn_create")
	if cfg == nil || cb == nil || out == nil {
		return fail(nil, C.MARS_EINVAL, "mars_stn_create: cfg, cb and out are required")
	}
	*out = 0
	ecfg, err := engineConfig(cfg)
	if err != nil {
		return fail(nil, C.MARS_EINVAL, "mars_stn_create: "+err.Error())
	}
	if codec != nil {
		hc, err := newHostCodec(codec)
		if err != nil {
			return fail(nil, C.MARS_EINVAL, "mars_stn_create: "+err.Error())
		}
		ecfg.Codec = hc
	}
	if cfg.log != nil {
		x, ok := xlogs.get(uintptr(unsafe.Pointer(cfg.log)))
		if !ok {
			return fail(nil, C.MARS_EBADHANDLE, "mars_stn_create: log is not an open appender")
		}
		ecfg.Logger = xlogEngineLogger{x.l}
	}
	lports, err := ports(cfg.longlink_ports, cfg.longlink_ports_len)
	if err != nil {
		return fail(nil, C.MARS_EINVAL, "mars_stn_create: longlink_ports: "+err.Error())
	}
	hc := &hostCallbacks{tab: *cb}
	if cfg.poll_events != 0 {
		hc.q = newPollQueue(cmp.Or(ecfg.ReceiveBacklog, engine.DefaultReceiveBacklog), hc.deliverEnd)
	}
	eng, err := engine.New(ecfg, engineCallbacks(hc))
	if err != nil {
		return fail(nil, C.MARS_EINVAL, "mars_stn_create: "+err.Error())
	}
	if host, dbg := goString(cfg.longlink_host), goString(cfg.longlink_debug_ip); host != "" || dbg != "" || len(lports) > 0 {
		eng.SetLonglinkSvrAddr(host, lports, dbg)
	}
	if port, dbg := int(cfg.shortlink_port), goString(cfg.shortlink_debug_ip); port != 0 || dbg != "" {
		eng.SetShortlinkSvrAddr(port, dbg)
	}
	id, ok := stns.add(&stnHandle{eng: eng, q: hc.q})
	if !ok {
		_ = eng.Close() // nothing was started on it; Close cannot fail
		return fail(nil, C.MARS_ELIMIT, "mars_stn_create: "+stns.limit("engines"))
	}
	*out = C.uintptr_t(id)
	return C.MARS_OK
}

//export marsgo_stn_destroy
func marsgo_stn_destroy(h C.uintptr_t) (rc C.int) {
	defer fence("mars_stn_destroy", &rc)
	enter("mars_stn_destroy")
	if h == 0 {
		return C.MARS_OK
	}
	s, ok := stns.remove(uintptr(h))
	if !ok {
		return C.MARS_EBADHANDLE
	}
	if s.q != nil {
		s.q.dropPushes() // a push waiting for the poller would hold Close
	}
	err := s.eng.Close()
	if s.q != nil {
		s.q.shutdown() // delivers what is still queued, e.g. the RESET task ends
	}
	if err != nil {
		return fail(nil, C.MARS_EINTERNAL, "mars_stn_destroy: "+err.Error())
	}
	return C.MARS_OK
}

//export marsgo_stn_poll
func marsgo_stn_poll(h C.uintptr_t, timeoutMs C.int64_t, out *C.int) C.int {
	return withSTN("mars_stn_poll", h, func(s *stnHandle) C.int {
		if out != nil {
			*out = 0
		}
		if s.q == nil {
			return fail(&s.err, C.MARS_ESTATE, "mars_stn_poll: the engine was not created with poll_events")
		}
		n := s.q.poll(pollTimeout(timeoutMs))
		if out != nil {
			*out = C.int(n)
		}
		return C.MARS_OK
	})
}

//export marsgo_stn_errmsg
func marsgo_stn_errmsg(h C.uintptr_t, buf *C.char, n C.size_t) (rc C.int) {
	defer fence("mars_stn_errmsg", &rc)
	enter("mars_stn_errmsg")
	if h == 0 {
		return copyErrmsg(processDetail(), buf, n)
	}
	s, ok := stns.get(uintptr(h))
	if !ok {
		return C.MARS_EBADHANDLE
	}
	return copyErrmsg(s.err.get(), buf, n)
}

//export marsgo_stn_start_task
func marsgo_stn_start_task(h C.uintptr_t, t *C.mars_task, out *C.uint32_t) C.int {
	return withSTN("mars_stn_start_task", h, func(s *stnHandle) C.int {
		if t == nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_start_task: task is NULL")
		}
		task, err := engineTask(t)
		if err != nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_start_task: "+err.Error())
		}
		if task.TaskID == 0 {
			task.TaskID = s.eng.GenTaskID()
		}
		if err := s.eng.StartTask(task); err != nil {
			return fail(&s.err, closedCode(err, C.MARS_EINTERNAL), "mars_stn_start_task: "+err.Error())
		}
		if out != nil {
			*out = C.uint32_t(task.TaskID)
		}
		return C.MARS_OK
	})
}

//export marsgo_stn_stop_task
func marsgo_stn_stop_task(h C.uintptr_t, id C.uint32_t) C.int {
	return withSTN("mars_stn_stop_task", h, func(s *stnHandle) C.int {
		s.eng.StopTask(uint32(id))
		return C.MARS_OK
	})
}

//export marsgo_stn_has_task
func marsgo_stn_has_task(h C.uintptr_t, id C.uint32_t, out *C.int) C.int {
	return withSTN("mars_stn_has_task", h, func(s *stnHandle) C.int {
		if out == nil {
			return C.MARS_EINVAL
		}
		*out = cInt(s.eng.HasTask(uint32(id)))
		return C.MARS_OK
	})
}

// post runs one of the engine's asynchronous calls.
func post(name string, h C.uintptr_t, f func(*engine.Engine)) C.int {
	return withSTN(name, h, func(s *stnHandle) C.int {
		f(s.eng)
		return C.MARS_OK
	})
}

//export marsgo_stn_redo_tasks
func marsgo_stn_redo_tasks(h C.uintptr_t) C.int {
	return post("mars_stn_redo_tasks", h, (*engine.Engine).RedoTasks)
}

//export marsgo_stn_touch_tasks
func marsgo_stn_touch_tasks(h C.uintptr_t) C.int {
	return post("mars_stn_touch_tasks", h, (*engine.Engine).TouchTasks)
}

//export marsgo_stn_clear_tasks
func marsgo_stn_clear_tasks(h C.uintptr_t) C.int {
	return post("mars_stn_clear_tasks", h, (*engine.Engine).ClearTasks)
}

//export marsgo_stn_reset
func marsgo_stn_reset(h C.uintptr_t) C.int {
	return post("mars_stn_reset", h, (*engine.Engine).Reset)
}

//export marsgo_stn_set_client_version
func marsgo_stn_set_client_version(h C.uintptr_t, v C.uint32_t) C.int {
	return post("mars_stn_set_client_version", h, func(e *engine.Engine) { e.SetClientVersion(uint32(v)) })
}

//export marsgo_stn_reset_and_init_encoder_version
func marsgo_stn_reset_and_init_encoder_version(h C.uintptr_t, v C.uint32_t) C.int {
	return post("mars_stn_reset_and_init_encoder_version", h, func(e *engine.Engine) { e.ResetAndInitEncoderVersion(uint32(v)) })
}

//export marsgo_stn_gen_sequence_id
func marsgo_stn_gen_sequence_id(out *C.uint32_t) (rc C.int) {
	defer fence("mars_stn_gen_sequence_id", &rc)
	enter("mars_stn_gen_sequence_id")
	if out == nil {
		return C.MARS_EINVAL
	}
	*out = C.uint32_t(engine.GenSequenceID())
	return C.MARS_OK
}

//export marsgo_stn_makesure_longlink_connected
func marsgo_stn_makesure_longlink_connected(h C.uintptr_t) C.int {
	return post("mars_stn_makesure_longlink_connected", h, (*engine.Engine).MakesureLonglinkConnected)
}

//export marsgo_stn_disable_longlink
func marsgo_stn_disable_longlink(h C.uintptr_t) C.int {
	return post("mars_stn_disable_longlink", h, (*engine.Engine).DisableLongLink)
}

//export marsgo_stn_keep_signalling
func marsgo_stn_keep_signalling(h C.uintptr_t) C.int {
	return post("mars_stn_keep_signalling", h, (*engine.Engine).KeepSignalling)
}

//export marsgo_stn_stop_signalling
func marsgo_stn_stop_signalling(h C.uintptr_t) C.int {
	return post("mars_stn_stop_signalling", h, (*engine.Engine).StopSignalling)
}

//export marsgo_stn_set_signalling_strategy
func marsgo_stn_set_signalling_strategy(h C.uintptr_t, period, keep C.int64_t) C.int {
	return withSTN("mars_stn_set_signalling_strategy", h, func(s *stnHandle) C.int {
		if period <= 0 || keep <= 0 || period > maxDurationMs || keep > maxDurationMs {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_set_signalling_strategy: period and keep time must be positive")
		}
		s.eng.SetSignallingStrategy(time.Duration(period)*time.Millisecond, time.Duration(keep)*time.Millisecond)
		return C.MARS_OK
	})
}

//export marsgo_stn_set_heartbeat_mode
func marsgo_stn_set_heartbeat_mode(h C.uintptr_t, mode C.int) C.int {
	return withSTN("mars_stn_set_heartbeat_mode", h, func(s *stnHandle) C.int {
		switch m := engine.HeartbeatMode(mode); m {
		case engine.HeartbeatFixed, engine.HeartbeatSmart, engine.HeartbeatPassive:
			s.eng.SetHeartbeatMode(m)
			return C.MARS_OK
		}
		return fail(&s.err, C.MARS_EINVAL, fmt.Sprintf("mars_stn_set_heartbeat_mode: mode %d", int(mode)))
	})
}

//export marsgo_stn_trig_noop
func marsgo_stn_trig_noop(h C.uintptr_t) C.int {
	return post("mars_stn_trig_noop", h, (*engine.Engine).TrigNoop)
}

//export marsgo_stn_heartbeat_interval
func marsgo_stn_heartbeat_interval(h C.uintptr_t, out *C.int64_t) C.int {
	return withSTN("mars_stn_heartbeat_interval", h, func(s *stnHandle) C.int {
		if out == nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_heartbeat_interval: out_ms is NULL")
		}
		*out = C.int64_t(s.eng.HeartbeatInterval().Milliseconds())
		return C.MARS_OK
	})
}

// marsgo_stn_network_quality fills the library-sized *out; the shim copies
// as much of it as the caller's struct holds.
//
//export marsgo_stn_network_quality
func marsgo_stn_network_quality(h C.uintptr_t, out *C.mars_network_quality) C.int {
	return withSTN("mars_stn_network_quality", h, func(s *stnHandle) C.int {
		if out == nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_network_quality: out is NULL or its struct_size too small")
		}
		q := s.eng.NetworkQuality()
		out.struct_size = C.sizeof_mars_network_quality
		out.level, out.dynamic_timeout = C.int32_t(q.Level), C.int32_t(q.DynamicTimeout)
		out.rtt_ms, out.throughput = C.int64_t(q.RTT.Milliseconds()), C.int64_t(q.Throughput)
		out.weak_marked = C.int32_t(cInt(q.WeakMarked))
		return C.MARS_OK
	})
}

//export marsgo_stn_longlink_is_connected
func marsgo_stn_longlink_is_connected(h C.uintptr_t, out *C.int) C.int {
	return withSTN("mars_stn_longlink_is_connected", h, func(s *stnHandle) C.int {
		if out == nil {
			return C.MARS_EINVAL
		}
		*out = cInt(s.eng.LongLinkIsConnected())
		return C.MARS_OK
	})
}

//export marsgo_stn_set_longlink_svr_addr
func marsgo_stn_set_longlink_svr_addr(h C.uintptr_t, host *C.char, p *C.uint16_t, n C.size_t, debugIP *C.char) C.int {
	return withSTN("mars_stn_set_longlink_svr_addr", h, func(s *stnHandle) C.int {
		if host == nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_set_longlink_svr_addr: host is NULL")
		}
		ps, err := ports(p, n)
		if err != nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_set_longlink_svr_addr: "+err.Error())
		}
		s.eng.SetLonglinkSvrAddr(C.GoString(host), ps, goString(debugIP))
		return C.MARS_OK
	})
}

//export marsgo_stn_set_shortlink_svr_addr
func marsgo_stn_set_shortlink_svr_addr(h C.uintptr_t, port C.uint16_t, debugIP *C.char) C.int {
	return withSTN("mars_stn_set_shortlink_svr_addr", h, func(s *stnHandle) C.int {
		s.eng.SetShortlinkSvrAddr(int(port), goString(debugIP))
		return C.MARS_OK
	})
}

//export marsgo_stn_set_debug_ip
func marsgo_stn_set_debug_ip(h C.uintptr_t, host, ip *C.char) C.int {
	return withSTN("mars_stn_set_debug_ip", h, func(s *stnHandle) C.int {
		if host == nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_set_debug_ip: host is NULL")
		}
		s.eng.SetDebugIP(C.GoString(host), goString(ip))
		return C.MARS_OK
	})
}

//export marsgo_stn_set_backup_ips
func marsgo_stn_set_backup_ips(h C.uintptr_t, host *C.char, ips **C.char, n C.size_t) C.int {
	return withSTN("mars_stn_set_backup_ips", h, func(s *stnHandle) C.int {
		if host == nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_set_backup_ips: host is NULL")
		}
		list, err := stringList("ips", ips, n)
		if err != nil {
			return fail(&s.err, C.MARS_EINVAL, "mars_stn_set_backup_ips: "+err.Error())
		}
		s.eng.SetBackupIPs(C.GoString(host), list)
		return C.MARS_OK
	})
}

//export marsgo_stn_gen_task_id
func marsgo_stn_gen_task_id(h C.uintptr_t, out *C.uint32_t) C.int {
	return withSTN("mars_stn_gen_task_id", h, func(s *stnHandle) C.int {
		if out == nil {
			return C.MARS_EINVAL
		}
		*out = C.uint32_t(s.eng.GenTaskID())
		return C.MARS_OK
	})
}

//export marsgo_stn_on_foreground
func marsgo_stn_on_foreground(h C.uintptr_t, fg C.int) C.int {
	return withSTN("mars_stn_on_foreground", h, func(s *stnHandle) C.int {
		s.eng.OnForeground(fg != 0)
		return C.MARS_OK
	})
}

//export marsgo_stn_set_account
func marsgo_stn_set_account(h C.uintptr_t, userName *C.char) C.int {
	return withSTN("mars_stn_set_account", h, func(s *stnHandle) C.int {
		s.eng.SetAccount(goString(userName))
		return C.MARS_OK
	})
}

//export marsgo_stn_on_network_change
func marsgo_stn_on_network_change(h C.uintptr_t, nt C.int, label *C.char) C.int {
	return withSTN("mars_stn_on_network_change", h, func(s *stnHandle) C.int {
		switch n := engine.NetworkType(nt); n {
		case engine.NetworkWiFi, engine.NetworkMobile, engine.NetworkNone:
			s.eng.OnNetworkChangeWithLabel(n, goString(label))
			return C.MARS_OK
		}
		return fail(&s.err, C.MARS_EINVAL, fmt.Sprintf("mars_stn_on_network_change: network type %d", int(nt)))
	})
}
