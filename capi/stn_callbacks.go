//go:build !mars_xlog_only

package main

/*
#include "trampolines.h"
*/
import "C"

import (
	"bytes"
	"runtime"
	"time"
	"unsafe"

	"github.com/mars-go/mars/engine"
)

// hostCallbacks implements engine.Callbacks over a copy of the host's
// mars_stn_callbacks table. A NULL entry gets engine.NopCallbacks'
// behaviour, which is Mars's default. The table lives in Go memory and
// holds only C pointers, so it may be passed to C.
//
// With q set (mars_stn_config.poll_events) the notification callbacks —
// those whose answer the engine does not need — are queued with copies of
// their arguments and run by mars_stn_poll on the host's thread.
type hostCallbacks struct {
	engine.NopCallbacks
	tab C.mars_stn_callbacks
	q   *pollQueue
}

// notify runs f now, or queues it in poll mode.
func (h *hostCallbacks) notify(f func()) {
	if h.q != nil {
		h.q.push(f)
		return
	}
	f()
}

var _ engine.Callbacks = (*hostCallbacks)(nil)

// refArgs are the parts of a TaskRef the trampolines rebuild on the C stack.
func refArgs(t engine.TaskRef) (C.uint32_t, C.uint32_t, C.uintptr_t, *C.char, C.uint32_t) {
	return C.uint32_t(t.TaskID), C.uint32_t(t.CmdID), C.uintptr_t(userContext(t)), cstr(t.UserID),
		C.uint32_t(t.ClientSequenceID)
}

// userContext is the mars_task.user_context t was started with: an
// integer the host gave, never dereferenced (0 if unset).
func userContext(t engine.TaskRef) uintptr {
	ctx, _ := t.UserContext.(uintptr)
	return ctx
}

func (h *hostCallbacks) Req2Buf(t engine.TaskRef, ch engine.ChannelSelect, host string, dst []byte) ([]byte, int, bool) {
	if h.tab.req2buf == nil {
		return h.NopCallbacks.Req2Buf(t, ch, host, dst)
	}
	id, cmd, ctx, uid, seq := refArgs(t)
	var out C.mars_buf
	var errCode C.int
	ok := C.tramp_req2buf(&h.tab, id, cmd, ctx, uid, seq, C.int(ch), cstr(host), &out, &errCode)
	body := appendBuf(dst[:0], &out)
	return body, int(errCode), ok != 0
}

func (h *hostCallbacks) Buf2Resp(t engine.TaskRef, ch engine.ChannelSelect, body []byte) (int, int) {
	if h.tab.buf2resp == nil {
		return h.NopCallbacks.Buf2Resp(t, ch, body)
	}
	id, cmd, ctx, uid, seq := refArgs(t)
	var errCode C.int
	rc := C.tramp_buf2resp(&h.tab, id, cmd, ctx, uid, seq, C.int(ch), cbytes(body), C.size_t(len(body)), &errCode)
	return int(rc), int(errCode)
}

var (
	_ engine.Req2BufExter  = (*hostCallbacks)(nil)
	_ engine.Buf2RespExter = (*hostCallbacks)(nil)
)

// Req2BufExt asks req2buf_ext when set, else req2buf (no extension).
func (h *hostCallbacks) Req2BufExt(t engine.TaskRef, ch engine.ChannelSelect, host string, dst []byte) ([]byte, []byte, int, bool) {
	if h.tab.req2buf_ext == nil {
		body, code, ok := h.Req2Buf(t, ch, host, dst)
		return body, nil, code, ok
	}
	id, cmd, ctx, uid, seq := refArgs(t)
	var out, ext C.mars_buf
	var errCode C.int
	ok := C.tramp_req2buf_ext(&h.tab, id, cmd, ctx, uid, seq, C.int(ch), cstr(host), &out, &ext, &errCode)
	body := appendBuf(dst[:0], &out)
	return body, takeBuf(&ext), int(errCode), ok != 0
}

// Buf2RespExt asks buf2resp_ext when set, else buf2resp.
func (h *hostCallbacks) Buf2RespExt(t engine.TaskRef, ch engine.ChannelSelect, body, ext []byte) engine.Buf2RespResult {
	if h.tab.buf2resp_ext == nil {
		handle, code := h.Buf2Resp(t, ch, body)
		return engine.Buf2RespResult{Handle: handle, ErrCode: code}
	}
	id, cmd, ctx, uid, seq := refArgs(t)
	var errCode, flags C.int
	var sseq C.uint32_t
	rc := C.tramp_buf2resp_ext(&h.tab, id, cmd, ctx, uid, seq, C.int(ch), cbytes(body), C.size_t(len(body)),
		cbytes(ext), C.size_t(len(ext)), &errCode, &flags, &sseq)
	return engine.Buf2RespResult{Handle: int(rc), ErrCode: int(errCode), Flags: int(flags), ServerSequenceID: uint32(sseq)}
}

// OnTaskEnd is OnTaskEndResp without a response; the engine calls the
// latter.
func (h *hostCallbacks) OnTaskEnd(t engine.TaskRef, et engine.ErrType, code int, p *engine.TaskProfile) int {
	return h.OnTaskEndResp(t, et, code, p, nil)
}

var _ engine.TaskEndResponder = (*hostCallbacks)(nil)

// OnTaskEndResp reports a task's end to on_task_end_resp with the response,
// else to on_task_end. In poll mode the end is queued as data, whether or
// not those are set: mars_stn_poll_task_ends returns it, mars_stn_poll
// hands it to them. The return value is then ignored (the engine cannot
// wait for the poller), as mars.h says; the queued end keeps resp, which
// the engine never reuses.
func (h *hostCallbacks) OnTaskEndResp(t engine.TaskRef, et engine.ErrType, code int, p *engine.TaskProfile, resp []byte) int {
	if h.q != nil {
		e := &taskEnd{ref: t, errType: et, code: code, resp: resp}
		if p != nil {
			e.profile = *p
		}
		h.q.pushEnd(e)
		return 0
	}
	if h.tab.on_task_end == nil && h.tab.on_task_end_resp == nil {
		return 0
	}
	return h.taskEnd(t, et, code, p, resp)
}

// taskEnd is a task's end queued in poll mode: OnTaskEndResp's arguments,
// with the profile copied in (the engine may reuse its own; one allocation
// per end).
type taskEnd struct {
	ref     engine.TaskRef
	errType engine.ErrType
	code    int
	profile engine.TaskProfile // zero, which C sees as an empty profile, if none was given
	resp    []byte
}

// deliverEnd hands a queued end to on_task_end_resp or on_task_end, if set.
func (h *hostCallbacks) deliverEnd(e *taskEnd) {
	if h.tab.on_task_end != nil || h.tab.on_task_end_resp != nil {
		h.taskEnd(e.ref, e.errType, e.code, &e.profile, e.resp)
	}
}

func (h *hostCallbacks) taskEnd(t engine.TaskRef, et engine.ErrType, code int, p *engine.TaskProfile, resp []byte) int {
	var pin runtime.Pinner
	defer pin.Unpin()
	cp := cProfile(&pin, p)
	id, cmd, ctx, uid, seq := refArgs(t)
	if h.tab.on_task_end_resp == nil {
		return int(C.tramp_on_task_end(&h.tab, id, cmd, ctx, uid, seq, C.int(et), C.int(code), cp))
	}
	return int(C.tramp_on_task_end_resp(&h.tab, id, cmd, ctx, uid, seq, C.int(et), C.int(code), cp,
		respBytes(resp), C.size_t(len(resp))))
}

// emptyResp gives an empty response a non-NULL pointer: NULL means none.
var emptyResp [1]byte

// respBytes is resp's data for a direct C argument: NULL for no response,
// non-NULL for an empty one.
func respBytes(resp []byte) *C.uint8_t {
	if resp != nil && len(resp) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&emptyResp[0]))
	}
	return cbytes(resp)
}

// copyProfile copies p for a queued callback (the engine may reuse it).
func copyProfile(p *engine.TaskProfile) *engine.TaskProfile {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func (h *hostCallbacks) ReportTaskProfile(p *engine.TaskProfile) {
	if h.tab.report_task_profile == nil {
		return
	}
	pc := copyProfile(p)
	h.notify(func() {
		var pin runtime.Pinner
		defer pin.Unpin()
		C.tramp_report_task_profile(&h.tab, cProfile(&pin, pc))
	})
}

func (h *hostCallbacks) ReportTaskLimited(checkType int, t engine.TaskRef, param int) {
	if h.tab.report_task_limited == nil {
		return
	}
	h.notify(func() {
		id, cmd, ctx, uid, seq := refArgs(t)
		C.tramp_report_task_limited(&h.tab, C.int(checkType), id, cmd, ctx, uid, seq, C.int(param))
	})
}

func (h *hostCallbacks) OnPush(channel string, cmdID, taskID uint32, body []byte) {
	h.OnPushExt(channel, cmdID, taskID, body, nil)
}

var _ engine.PushExter = (*hostCallbacks)(nil)

// OnPushExt delivers a push to on_push_ext when set, else to on_push.
func (h *hostCallbacks) OnPushExt(channel string, cmdID, taskID uint32, body, ext []byte) {
	if h.tab.on_push == nil && h.tab.on_push_ext == nil {
		return
	}
	if h.q == nil { // the common case: no closure, no copy
		h.onPush(channel, cmdID, taskID, body, ext)
		return
	}
	body, ext = bytes.Clone(body), bytes.Clone(ext)
	h.q.pushEvent(func() { h.onPush(channel, cmdID, taskID, body, ext) }, engine.ReceiveCost(len(body)+len(ext)))
}

func (h *hostCallbacks) onPush(channel string, cmdID, taskID uint32, body, ext []byte) {
	if h.tab.on_push_ext != nil {
		C.tramp_on_push_ext(&h.tab, cstr(channel), C.uint32_t(cmdID), C.uint32_t(taskID), cbytes(body), C.size_t(len(body)),
			cbytes(ext), C.size_t(len(ext)))
		return
	}
	C.tramp_on_push(&h.tab, cstr(channel), C.uint32_t(cmdID), C.uint32_t(taskID), cbytes(body), C.size_t(len(body)))
}

func (h *hostCallbacks) OnNewDns(host string, longlink bool) []string {
	if h.tab.on_new_dns == nil {
		return nil
	}
	var out C.mars_str_list
	C.tramp_on_new_dns(&h.tab, cstr(host), cInt(longlink), &out)
	return takeStrList(&out)
}

// hostCallbacks always implements the long-link extensions; their NULL
// entries keep the unnamed callbacks' behaviour.
var (
	_ engine.LongLinkReporter = (*hostCallbacks)(nil)
	_ engine.LongLinkResolver = (*hostCallbacks)(nil)
)

// OnLongLinkNewDns asks on_longlink_new_dns with the link's name, else
// on_new_dns as for a single link.
func (h *hostCallbacks) OnLongLinkNewDns(name, host string) []string {
	if h.tab.on_longlink_new_dns == nil {
		return h.OnNewDns(host, true)
	}
	var out C.mars_str_list
	C.tramp_on_longlink_new_dns(&h.tab, cstr(name), cstr(host), &out)
	return takeStrList(&out)
}

// OnLongLinkStatusChangeOf is a notification: queued in poll mode.
func (h *hostCallbacks) OnLongLinkStatusChangeOf(name string, status int) {
	if h.tab.on_longlink_status_change_of != nil {
		h.notify(func() { C.tramp_on_longlink_status_change_of(&h.tab, cstr(name), C.int(status)) })
	}
}

// OnLongLinkNetworkErrorOf is a notification: queued in poll mode.
func (h *hostCallbacks) OnLongLinkNetworkErrorOf(name string, et engine.ErrType, code int, ip string, port int) {
	if h.tab.on_longlink_network_error_of != nil {
		h.notify(func() {
			C.tramp_on_longlink_network_error_of(&h.tab, cstr(name), C.int(et), C.int(code), cstr(ip), C.int(port))
		})
	}
}

func (h *hostCallbacks) MakesureAuthed(host, userID string) bool {
	if h.tab.makesure_authed == nil {
		return true
	}
	return C.tramp_makesure_authed(&h.tab, cstr(host), cstr(userID)) != 0
}

func (h *hostCallbacks) ReportConnectStatus(status, longlinkStatus int) {
	if h.tab.report_connect_status != nil {
		h.notify(func() { C.tramp_report_connect_status(&h.tab, C.int(status), C.int(longlinkStatus)) })
	}
}

func (h *hostCallbacks) OnLongLinkStatusChange(status int) {
	if h.tab.on_longlink_status_change != nil {
		h.notify(func() { C.tramp_on_longlink_status_change(&h.tab, C.int(status)) })
	}
}

func (h *hostCallbacks) OnLongLinkNetworkError(et engine.ErrType, code int, ip string, port int) {
	if h.tab.on_longlink_network_error != nil {
		h.notify(func() { C.tramp_on_longlink_network_error(&h.tab, C.int(et), C.int(code), cstr(ip), C.int(port)) })
	}
}

// OnShortLinkNetworkError implements engine.ShortLinkNetworkErrorer.
func (h *hostCallbacks) OnShortLinkNetworkError(et engine.ErrType, code int, ip string, port int) {
	if h.tab.on_shortlink_network_error != nil {
		h.notify(func() { C.tramp_on_shortlink_network_error(&h.tab, C.int(et), C.int(code), cstr(ip), C.int(port)) })
	}
}

func (h *hostCallbacks) GetLonglinkIdentifyCheckBuffer(channel string) (engine.IdentifyMode, []byte, []byte, uint32) {
	if h.tab.get_identify_check_buffer == nil {
		return h.NopCallbacks.GetLonglinkIdentifyCheckBuffer(channel)
	}
	var buf, hash C.mars_buf
	var cmd C.uint32_t
	mode := C.tramp_get_identify_check_buffer(&h.tab, cstr(channel), &buf, &hash, &cmd)
	b, hs := takeBuf(&buf), takeBuf(&hash)
	switch engine.IdentifyMode(mode) {
	case engine.IdentifyCheckNow, engine.IdentifyCheckNext:
		return engine.IdentifyMode(mode), b, hs, uint32(cmd)
	}
	return engine.IdentifyCheckNever, nil, nil, 0
}

func (h *hostCallbacks) OnLonglinkIdentifyResponse(channel string, resp, hash []byte) bool {
	if h.tab.on_identify_response == nil {
		return true
	}
	return C.tramp_on_identify_response(&h.tab, cstr(channel), cbytes(resp), C.size_t(len(resp)),
		cbytes(hash), C.size_t(len(hash))) != 0
}

// TrafficData runs after every socket read and write, so the direct path
// allocates nothing.
func (h *hostCallbacks) TrafficData(send, recv int64) {
	if h.tab.traffic_data == nil {
		return
	}
	if h.q == nil {
		C.tramp_traffic_data(&h.tab, C.int64_t(send), C.int64_t(recv))
		return
	}
	h.q.push(func() { C.tramp_traffic_data(&h.tab, C.int64_t(send), C.int64_t(recv)) })
}

func (h *hostCallbacks) RequestSync() {
	if h.tab.request_sync != nil {
		h.notify(func() { C.tramp_request_sync(&h.tab) })
	}
}

// hostCallbacks always implements the engine's optional extensions; a NULL
// entry gives the engine's default answer.
var (
	_ engine.NetworkQualityObserver = (*hostCallbacks)(nil)
	_ engine.AccountReporter        = (*hostCallbacks)(nil)
)

// OnNetworkQualityChange is a notification: queued in poll mode.
func (h *hostCallbacks) OnNetworkQualityChange(q engine.NetworkQuality) {
	if h.tab.on_network_quality_change == nil {
		return
	}
	h.notify(func() {
		C.tramp_on_network_quality_change(&h.tab, C.int32_t(q.Level), C.int32_t(q.DynamicTimeout),
			C.int64_t(q.RTT.Milliseconds()), C.int64_t(q.Throughput), C.int32_t(cInt(q.WeakMarked)))
	})
}

// IsLogoned answers the timing sync; without the callback nobody is logged
// in, as engine.AccountReporter says.
func (h *hostCallbacks) IsLogoned() bool {
	if h.tab.is_logoned == nil {
		return false
	}
	return C.tramp_is_logoned(&h.tab) != 0
}

// cProfile converts p for C; its strings are pinned in pin.
func cProfile(pin *runtime.Pinner, p *engine.TaskProfile) *C.mars_task_profile {
	c := new(C.mars_task_profile)
	fillProfile(c, p, func(s string) *C.char { return pinnedStr(pin, s) })
	pin.Pin(c)
	return c
}

// fillProfile converts p (nil: an empty profile) into c, every field of
// it: c may be uninitialised C memory (writeTaskEnds). str places each
// string where C may read it.
func fillProfile(c *C.mars_task_profile, p *engine.TaskProfile, str func(string) *C.char) {
	*c = C.mars_task_profile{}
	c.struct_size = C.size_t(C.sizeof_mars_task_profile)
	if p == nil {
		c.cgi, c.user_id, c.report_arg, c.connect_ip = str(""), str(""), str(""), str("")
		return
	}
	c.taskid, c.cmdid = C.uint32_t(p.TaskID), C.uint32_t(p.CmdID)
	c.cgi, c.user_id = str(p.Cgi), str(p.UserID)
	c.report_arg, c.connect_ip = str(p.ReportArg), str(p.ConnectIP)
	c.channel, c.attempts = C.int32_t(p.Channel), C.int32_t(p.Attempts)
	c.err_type, c.err_code = C.int32_t(p.ErrType), C.int32_t(p.ErrCode)
	c.start_time_ms, c.start_send_time_ms = unixMs(p.StartTime), unixMs(p.StartSendTime)
	c.read_finish_time_ms, c.end_time_ms = unixMs(p.ReadFinishTime), unixMs(p.EndTime)
	c.send_bytes, c.recv_bytes = C.int64_t(p.SendBytes), C.int64_t(p.RecvBytes)
	c.connect_port = C.int32_t(p.ConnectPort)
	c.connect_start_ms, c.connect_done_ms = unixMs(p.ConnectStart), unixMs(p.ConnectDone)
	c.first_pkg_timeout_ms = C.int64_t(p.FirstPkgTimeout.Milliseconds())
	c.task_timeout_ms = C.int64_t(p.TaskTimeout.Milliseconds())
	c.weak_network = C.int32_t(cInt(p.WeakNetwork))
	c.resp_flags, c.server_sequence_id = C.int32_t(p.RespFlags), C.uint32_t(p.ServerSequenceID)
}

// unixMs is t in Unix milliseconds, 0 for the zero time.
func unixMs(t time.Time) C.int64_t {
	if t.IsZero() {
		return 0
	}
	return C.int64_t(t.UnixMilli())
}
