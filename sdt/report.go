package sdt

import (
	"encoding/json"
	"time"
)

// Kind names one sort of check. The strings are part of the JSON report.
type Kind string

// The kinds of check a Checker runs.
const (
	KindDNS      Kind = "dns"      // a name lookup through one resolver
	KindTCP      Kind = "tcp"      // a TCP connect to one address
	KindLongLink Kind = "longlink" // a noop on a fresh long-link connection
	KindHTTP     Kind = "http"     // one HTTP GET
	KindPing     Kind = "ping"     // ICMP echo to one address
	KindNetState Kind = "netstate" // the local interfaces and routes
)

// Reason classifies a result so that a program can act on it without parsing
// the error text. The strings are part of the JSON report.
type Reason string

// The reasons a check reports.
const (
	ReasonOK           Reason = "ok"
	ReasonTimeout      Reason = "timeout"       // the check's own or the overall deadline passed
	ReasonCanceled     Reason = "canceled"      // the caller cancelled the active check
	ReasonRefused      Reason = "refused"       // ECONNREFUSED: nothing listens there
	ReasonReset        Reason = "reset"         // the peer reset or closed the connection
	ReasonUnreachable  Reason = "unreachable"   // no route to the network or host
	ReasonNotFound     Reason = "not_found"     // the name does not resolve
	ReasonNotPermitted Reason = "not_permitted" // the system refused us (e.g. ICMP sockets)
	ReasonHTTPStatus   Reason = "http_status"   // an HTTP answer with a status other than 2xx
	ReasonProtocol     Reason = "protocol"      // the peer answered with bytes we did not expect
	ReasonNoAddress    Reason = "no_address"    // no usable address or interface
	ReasonError        Reason = "error"         // anything else; see Result.Error
)

// Result is the outcome of one check. Fields after Duration are filled only
// by the kinds named in their comments.
type Result struct {
	Kind   Kind   `json:"kind"`
	Target string `json:"target"` // host, "ip:port", URL or "local"
	OK     bool   `json:"ok"`
	Reason Reason `json:"reason"`
	Error  string `json:"error,omitempty"`
	// Errno is the system error number behind Error, when there is one
	// (e.g. 111 for ECONNREFUSED on Linux), and ErrnoName its symbolic name.
	Errno     int    `json:"errno,omitempty"`
	ErrnoName string `json:"errno_name,omitempty"`
	// Duration is the time the check took, from start to outcome.
	Duration time.Duration `json:"-"`

	// Source is the resolver a DNS result came from: "system" or "host".
	Source string `json:"source,omitempty"`
	// Addrs are the answers of a DNS check.
	Addrs []string `json:"addrs,omitempty"`
	// Connect is the TCP connect time of a longlink or tcp check.
	Connect time.Duration `json:"-"`
	// FirstByte is the time to the first answer byte of an http or longlink check.
	FirstByte time.Duration `json:"-"`
	// Status is the HTTP status code of an http check.
	Status int `json:"status,omitempty"`
	// Body holds the first bytes of an HTTP body (at most
	// Config.HTTPFirstBytes), with invalid UTF-8 replaced.
	Body string `json:"body,omitempty"`
	// Sent and Received count ICMP echoes of a ping check; RTTs are the
	// round trips of the echoes that were answered, in order.
	Sent     int             `json:"sent,omitempty"`
	Received int             `json:"received,omitempty"`
	RTTs     []time.Duration `json:"-"`
	// Privileged tells whether a ping check needed a raw socket.
	Privileged bool `json:"privileged,omitempty"`
	// Net is the local network state of a netstate check.
	Net *NetState `json:"net,omitempty"`
}

// MarshalJSON writes durations as fractional milliseconds (duration_ms,
// connect_ms, first_byte_ms, rtts_ms), the unit the C ABI uses.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	out := struct {
		plain
		DurationMS  float64   `json:"duration_ms"`
		ConnectMS   float64   `json:"connect_ms,omitempty"`
		FirstByteMS float64   `json:"first_byte_ms,omitempty"`
		RTTsMS      []float64 `json:"rtts_ms,omitempty"`
	}{plain: plain(r), DurationMS: millis(r.Duration), ConnectMS: millis(r.Connect), FirstByteMS: millis(r.FirstByte)}
	for _, d := range r.RTTs {
		out.RTTsMS = append(out.RTTsMS, millis(d))
	}
	return json.Marshal(out)
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Report is the outcome of one active check.
type Report struct {
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"-"`
	// Reason is ReasonOK when every check ran to its end, ReasonTimeout when
	// the overall timeout cut the check short and ReasonCanceled when the
	// caller cancelled it. Results of checks that were cut short carry the
	// same reason.
	Reason  Reason   `json:"reason"`
	Results []Result `json:"results"`
}

// Skipped reports a check the system would not let us run: ICMP echo where
// neither datagram nor raw ICMP sockets are allowed, or the interface list
// where the platform hides it from apps (Android 11 and later). It tells
// nothing about the network, so it does not count as a failure.
func (r Result) Skipped() bool {
	return (r.Kind == KindPing || r.Kind == KindNetState) && r.Reason == ReasonNotPermitted
}

// OK reports whether the active check completed and every result is OK or
// skipped.
func (r *Report) OK() bool {
	return r.Reason == ReasonOK && len(r.Failed()) == 0
}

// Failed returns the results that are neither OK nor skipped, in report order.
func (r *Report) Failed() []Result {
	var out []Result
	for _, res := range r.Results {
		if !res.OK && !res.Skipped() {
			out = append(out, res)
		}
	}
	return out
}

// Find returns the results of one kind, in report order.
func (r *Report) Find(k Kind) []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Kind == k {
			out = append(out, res)
		}
	}
	return out
}

// MarshalJSON adds duration_ms and the overall ok flag.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	if r.Results == nil { // r is a copy: "results": [] rather than null
		r.Results = []Result{}
	}
	return json.Marshal(struct {
		plain
		OK         bool    `json:"ok"`
		DurationMS float64 `json:"duration_ms"`
	}{plain: plain(r), OK: r.OK(), DurationMS: millis(r.Duration)})
}
