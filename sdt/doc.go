// Package sdt is Mars's third component, network diagnosis ("SDT"): when a
// user says "it doesn't work", the host asks the library why.
//
// A [Checker] runs the checks a [Request] names — DNS through the system
// resolver and the host's own resolver (Mars's OnNewDns), a TCP connect to
// every address found, a long-link probe (a noop packet on a fresh
// connection), HTTP GETs, ICMP echo and a look at the local network state —
// under one overall timeout and a cancellable context, and returns a
// structured [Report]. Unlike Mars, whose ReportNetCheckResult callback is
// empty (reference/mars-stn.md §8 item 20), the report is a first-class Go
// value with a stable JSON form for the C ABI and the bindings.
//
// The engine's own trigger for a check after repeated failures (Mars's
// net-check heuristic, §4.16) lives in package sdt/netcheck.
package sdt
