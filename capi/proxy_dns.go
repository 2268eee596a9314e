//go:build !mars_xlog_only

package main

/*
#include <stdlib.h>
#include "trampolines.h"
*/
import "C"

import (
	"context"
	"errors"
	"time"
	"unsafe"

	"github.com/mars-go/mars/engine"
)

// proxyCallbacks is hostCallbacks with get_proxy_info: only a table that
// sets it makes the engine ask (and turns the signalling keeper off).
type proxyCallbacks struct{ *hostCallbacks }

var _ engine.ProxyProvider = proxyCallbacks{}

// engineCallbacks is what the engine gets for h.
func engineCallbacks(h *hostCallbacks) engine.Callbacks {
	if h.tab.get_proxy_info != nil {
		return proxyCallbacks{h}
	}
	return h
}

// ProxyFor asks get_proxy_info. It runs on the engine's ProxyFor goroutine,
// never queued: the connect waits for the answer.
func (p proxyCallbacks) ProxyFor(host string, longlink bool) (*engine.ProxyConfig, bool) {
	var out C.mars_proxy_info
	C.mars_proxy_info_init(&out)
	if C.tramp_get_proxy_info(&p.tab, cstr(host), cInt(longlink), &out) == 0 {
		return nil, false
	}
	if out.kind == C.MARS_PROXY_NONE {
		return nil, true
	}
	px := goProxy(&out)
	return &px, true
}

// goProxy reads p, whose strings may lack their NUL.
func goProxy(p *C.mars_proxy_info) engine.ProxyConfig {
	field := func(b []C.char) string {
		b[len(b)-1] = 0
		return C.GoString(&b[0])
	}
	return engine.ProxyConfig{Kind: engine.ProxyKind(p.kind), Addr: field(p.addr[:]), User: field(p.user[:]),
		Password: field(p.password[:])}
}

var _ engine.DnsProfiler = (*hostCallbacks)(nil)

// ReportDnsProfile is a notification: queued in poll mode.
func (h *hostCallbacks) ReportDnsProfile(p engine.DnsProfile) {
	if h.tab.report_dns_profile == nil {
		return
	}
	h.notify(func() { h.reportDnsProfile(p) })
}

func (h *hostCallbacks) reportDnsProfile(p engine.DnsProfile) {
	ips := C.malloc(C.size_t(max(len(p.IPs), 1)) * C.size_t(unsafe.Sizeof((*C.char)(nil))))
	defer C.free(ips)
	list := unsafe.Slice((**C.char)(ips), max(len(p.IPs), 1))
	for i, ip := range p.IPs {
		list[i] = C.CString(ip)
	}
	defer func() {
		for i := range p.IPs {
			C.free(unsafe.Pointer(list[i]))
		}
	}()
	host, errText := C.CString(p.Host), C.CString(errorText(p.Err))
	defer C.free(unsafe.Pointer(host))
	defer C.free(unsafe.Pointer(errText))
	c := C.mars_dns_profile{struct_size: C.sizeof_mars_dns_profile, host: host, longlink: C.int32_t(cInt(p.LongLink)),
		source: C.int32_t(p.Source), ips: (**C.char)(ips), ip_count: C.size_t(len(p.IPs)),
		start_ms: unixMs(p.Start), cost_ms: C.int64_t(p.Duration.Milliseconds()), error: errText}
	if p.Err != nil {
		c.err_type, c.err_code = C.int32_t(engine.EctLocal), -1 // Mars's dns_profile.h
	}
	C.tramp_report_dns_profile(&h.tab, &c)
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// DefaultProxyCheckTimeout bounds mars_proxy_is_available given 0.
const DefaultProxyCheckTimeout = 10 * time.Second

//export marsgo_proxy_is_available
func marsgo_proxy_is_available(proxy *C.mars_proxy_info, host *C.char, port, timeoutMs C.int, available, errCode *C.int) (rc C.int) {
	defer fence("mars_proxy_is_available", &rc)
	enter("mars_proxy_is_available")
	if proxy == nil || host == nil || available == nil {
		return fail(nil, C.MARS_EINVAL, "mars_proxy_is_available: proxy, test_host and available are required")
	}
	if port < 0 || port > 65535 || timeoutMs < 0 {
		return fail(nil, C.MARS_EINVAL, "mars_proxy_is_available: test_port outside 0..65535 or timeout_ms negative")
	}
	px := goProxy(proxy)
	if px.Kind == engine.ProxyKind(C.MARS_PROXY_NONE) {
		return fail(nil, C.MARS_EINVAL, "mars_proxy_is_available: kind is MARS_PROXY_NONE")
	}
	timeout := DefaultProxyCheckTimeout
	if timeoutMs > 0 {
		timeout = time.Duration(timeoutMs) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ok, err := engine.ProxyIsAvailable(ctx, px, C.GoString(host), int(port))
	var pe *engine.ProxyError
	var ae *engine.ProxyAnswerError
	code := -1
	switch {
	case ok:
		code = 0
	case errors.As(err, &pe):
		code = pe.Code
	case errors.As(err, &ae):
		code = ae.Status
	case errors.Is(err, engine.ErrProxyUnusable):
		return fail(nil, C.MARS_EINVAL, "mars_proxy_is_available: "+err.Error())
	}
	*available = cInt(ok)
	if errCode != nil {
		*errCode = C.int(code)
	}
	if err != nil {
		fail(nil, C.MARS_OK, "mars_proxy_is_available: "+err.Error())
	}
	return C.MARS_OK
}
