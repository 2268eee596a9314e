// Package sdt is Mars's third component, network diagnosis ("SDT"): when a
// user says "it doesn't work", the host asks the library why.
//
// A [Checker] runs the checks a [Request] names — DNS through the system
// resolver and the host's own resolver (Mars's OnNewDns), a TCP connect to
// every address found, a long-link probe (a noop packet on a fresh
// connection), HTTP GETs, ICMP echo and a look at the local network state —
// under one overall timeout and a cancellable context, and returns a
// structured [Report]. Unlike Mars, whose ReportNetCheckResult callback is
// empty, the report is a first-class Go
// value with a stable JSON form for the C ABI and the bindings.
//
// Mars runs its checkers one after another and stops at the first failing
// one; we run every check asked for, concurrently (at most
// Config.MaxConcurrent probes at once), because the point of a diagnosis is
// to show which parts work and which do not. Per-check timeouts are Mars's.
// A request arrives as a Go value or, from the C ABI, as JSON
// ([ParseRequest]); the report leaves as a Go value, as JSON
// (json.Marshal) or as text ([Report.WriteText]).
//
// The engine's own trigger for a check after repeated failures (Mars's
// net-check heuristic) lives in package sdt/netcheck.
package sdt
