//go:build !mars_xlog_only

package main

/*
#include "mars.h"
*/
import "C"

import (
	"context"
	"encoding/json"

	"github.com/mars-go/mars/sdt"
)

//export marsgo_sdt_check
func marsgo_sdt_check(req *C.char, version C.uint32_t, out **C.char, n *C.size_t) (rc C.int) {
	defer fence("mars_sdt_check", &rc)
	enter("mars_sdt_check")
	if req == nil || out == nil || n == nil {
		return fail(nil, C.MARS_EINVAL, "mars_sdt_check: request_json, out_json and out_len are required")
	}
	r, err := sdt.ParseRequest([]byte(C.GoString(req)))
	if err != nil {
		return fail(nil, C.MARS_EINVAL, "mars_sdt_check: "+err.Error())
	}
	rep := sdt.New(sdt.Config{ClientVersion: uint32(version)}).Run(context.Background(), r)
	b, err := json.Marshal(rep)
	if err != nil {
		return fail(nil, C.MARS_EINTERNAL, "mars_sdt_check: "+err.Error())
	}
	text := cText(b)
	if text == nil {
		return fail(nil, C.MARS_ENOMEM, "mars_sdt_check: out of memory")
	}
	*out, *n = text, C.size_t(len(b))
	return C.MARS_OK
}
