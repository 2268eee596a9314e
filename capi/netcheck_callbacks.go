//go:build !mars_xlog_only

package main

/*
#include "trampolines.h"
*/
import "C"

import (
	"encoding/json"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/sdt"
)

// hostCallbacks always implements the automatic network check's
// extensions; a NULL entry gives the engine's default (no HTTP hosts, the
// report dropped).
var (
	_ engine.NetCheckHostProvider = (*hostCallbacks)(nil)
	_ engine.NetCheckObserver     = (*hostCallbacks)(nil)
)

// RequestNetCheckShortLinkHosts needs its answer, so it runs at once even in
// poll mode, like on_new_dns.
func (h *hostCallbacks) RequestNetCheckShortLinkHosts() []string {
	if h.tab.request_netcheck_hosts == nil {
		return nil
	}
	var out C.mars_str_list
	C.tramp_request_netcheck_hosts(&h.tab, &out)
	return takeStrList(&out)
}

// OnNetCheckResult hands the report over as mars_sdt_check's JSON; it is a
// notification, queued in poll mode.
func (h *hostCallbacks) OnNetCheckResult(r *sdt.Report) {
	if h.tab.on_netcheck_result == nil {
		return
	}
	b, err := json.Marshal(r)
	if err != nil {
		return // a Report always marshals; nothing sensible to hand over otherwise
	}
	text := string(b)
	h.notify(func() { C.tramp_on_netcheck_result(&h.tab, cstr(text), C.size_t(len(text))) })
}
