// Package engine is STN, Mars's signalling network, in Go: tasks delivered
// over a persistent long link (pipelined requests, server pushes, heartbeat,
// identify check) with Mars's retries and multi-level timeouts, and Mars's
// connect strategy: candidates from the debug IP, OnNewDns, the system
// resolver and backup IPs, scored and banned per network, raced with
// staggered connects, kept up by the reconnect table by app state and moved
// back from backup IPs by probing. docs/architecture.md in the repository
// shows where the engine sits between the C API and the network.
//
// # Use
//
//	e, err := engine.New(engine.Config{ClientVersion: 200}, myCallbacks)
//	e.SetLonglinkSvrAddr("chat.example.com", []int{8080}, "")
//	t := engine.NewTask(e.GenTaskID(), 7)
//	e.StartTask(t) // the outcome arrives once through OnTaskEnd
//	defer e.Close()
//
// # Several long links
//
// An engine starts with one long link, DefaultChannelName, set up by
// Config; CreateLongLink adds more, each with its own server, codec, TLS,
// proxy, heartbeat and reconnect policy (LongLinkConfig), and tasks pick
// one by Task.ChannelName. One link is the main link: tasks without a
// channel name and the main-link callbacks follow it (MarkMainLongLink).
// See longlink_api.go.
//
// # Threading
//
// Each Engine has one owner goroutine that holds all task and link state
// (one writer, no locks); the socket reader and writer, the connect attempt,
// each short-link attempt, the automatic network check and OnNewDns run on
// their own goroutines and only send it events. The owner never runs host
// code: callbacks run on the engine's host goroutine, in order, and those
// that answer (Req2Buf, Buf2Resp, MakesureAuthed, the identify pair) send
// their answer back as an event, so a blocked callback never stops the
// owner's clock. Every method posts an event and returns, except the
// queries HasTask, HeartbeatInterval and NetworkQuality, which wait for the
// owner's answer; LongLinkIsConnected reads an atomic; Close waits for
// every goroutine unless called from a callback. Any method may be called
// from inside any callback, except Close from TrafficData. Callbacks run on
// the host goroutine except OnNewDns (own goroutine, 2 s deadline) and
// TrafficData (I/O goroutine).
//
// # Policies
//
// Smart, fixed or passive heartbeat (SetHeartbeatMode, TrigNoop,
// HeartbeatInterval), the signalling keeper (KeepSignalling), the
// anti-avalanche limits, zombie tasks, the dynamic timeout, timing sync and
// a network-quality estimate (NetworkQuality, NetworkQualityObserver) each
// take their decisions from a pure type in engine/internal; the owner arms
// one timer per concern (policies.go). After repeated network failures the
// engine diagnoses the network itself (Mars's net-check heuristic,
// netcheck.go): NetCheckHostProvider names the HTTP hosts, NetCheckObserver
// receives the sdt report.
//
// # Where this differs from Mars
//
// Mars's numbers are the defaults (the Default… constants), and Mars's
// behaviour is the rule. The exceptions — callbacks on their own goroutine
// so they never stop the engine's clock, a bounded receive backlog, a
// heartbeat timeout that really fires, a reconnect after every drop, exact
// timers, a packet limit for requests too, and the rest — are listed in one
// place, docs/differences.md in the repository.
package engine
