package sdt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// requestJSON is the JSON form of a Request, the shape the C ABI and the
// bindings pass in: durations in milliseconds, checks as the bit set.
type requestJSON struct {
	Servers   []string `json:"servers"`
	HTTP      []string `json:"http"`
	Ping      []string `json:"ping"`
	Checks    Checks   `json:"checks"`
	TimeoutMS int64    `json:"timeout_ms"`
}

// maxRequestTargets bounds each list of a JSON request, so that a bad caller
// cannot make one active check open unbounded connections.
const maxRequestTargets = 256

// ParseRequest reads a Request from JSON such as
//
//	{"servers":["host:443"],"http":["http://host/check"],"ping":["host"],
//	 "checks":0,"timeout_ms":10000}
//
// Every field is optional; unknown fields, unknown check bits, lists longer
// than 256 entries and trailing data are errors.
func ParseRequest(b []byte) (Request, error) {
	var rj requestJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rj); err != nil {
		return Request{}, fmt.Errorf("sdt: bad request: %w", err)
	}
	if dec.More() {
		return Request{}, fmt.Errorf("sdt: bad request: data after the JSON object")
	}
	if rj.Checks&^AllChecks != 0 {
		return Request{}, fmt.Errorf("sdt: bad request: unknown check bits %#x", uint32(rj.Checks&^AllChecks))
	}
	if len(rj.Servers) > maxRequestTargets || len(rj.HTTP) > maxRequestTargets || len(rj.Ping) > maxRequestTargets {
		return Request{}, fmt.Errorf("sdt: bad request: more than %d targets in a list", maxRequestTargets)
	}
	if rj.TimeoutMS > int64(time.Duration(1<<63-1)/time.Millisecond) {
		return Request{}, fmt.Errorf("sdt: bad request: timeout_ms %d too large", rj.TimeoutMS)
	}
	timeout := time.Duration(rj.TimeoutMS) * time.Millisecond
	if rj.TimeoutMS < 0 {
		timeout = -1
	}
	return Request{Servers: rj.Servers, HTTP: rj.HTTP, Ping: rj.Ping, Checks: rj.Checks, Timeout: timeout}, nil
}
