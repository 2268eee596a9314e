// Command capi is the C ABI of Mars in Go, built with -buildmode=c-shared into
// libmars.so (or c-archive into libmars.a). include/mars.h is the contract;
// this package only implements it.
//
// Shape:
//   - Go exports carry private names (marsgo_*); shim.c includes mars.h and
//     defines every public mars_* so the compiler checks the header against
//     the code and const survives.
//   - Every export starts with one deferred fence that turns a panic into
//     MARS_EINTERNAL, then validates handles, NULLs and lengths, then calls
//     engine or xlog. capi holds no logic of its own.
//   - Objects are named by ids from a handle table with generation counts
//     that never wrap (no id is handed out twice), never by Go pointers or
//     raw cgo.Handles, so stale or forged ids fail.
//   - Trampolines that call C function pointers live in trampolines.h, which
//     only files without //export include (a file with //export may only
//     declare in its preamble).
//   - Callbacks run on engine goroutines; with mars_stn_config.poll_events the
//     notifications are queued instead (poll.go) and run by mars_stn_poll on
//     the host's thread.
//
// Files: exports.go, stn_exports.go, longlink_exports.go, xlog_exports.go,
// sdt_exports.go (the exports); stn_config.go, stn_callbacks.go, codec.go, stn_log.go, poll.go,
// netcheck_config.go, netcheck_callbacks.go (conversions and adapters to
// engine); handles.go, fence.go, errmsg.go,
// cmem.go (the boundary machinery); version.go (the version numbers);
// shim.c (the public names, one list for every build); stn_stubs.go (the
// mars_xlog_only build's STN exports, which return MARS_EUNSUPPORTED);
// cgotest_helpers.go, netcheck_cgotest_helpers.go and
// stn_stubs_cgotest_helpers.go (C code for the Go tests, which cannot use
// cgo themselves).
//
// Test hook: when the environment variable MARS_CAPI_TEST_PANIC names an
// export (for example "mars_version_number"), that export panics on entry so
// that tests can prove the fence works. The variable is read once, when the
// library loads.
package main

// main is required by -buildmode=c-shared and never runs.
func main() {}
