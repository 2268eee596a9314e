// Package engine is STN, Mars's signalling network, in Go: tasks delivered
// over a persistent long link (pipelined requests, server pushes, heartbeat,
// identify check) with Mars's retries and multi-level timeouts
// (reference/mars-stn.md), and Mars's connect strategy: candidates from the
// debug IP, OnNewDns, the system resolver and backup IPs (§4.2), scored and
// banned per network (§4.3), raced with staggered connects (§4.1), kept up
// by the reconnect table by app state (§4.4.3) and moved back from backup
// IPs by probing (§4.4.4).
//
// # Use
//
//	e, err := engine.New(engine.Config{ClientVersion: 200}, myCallbacks)
//	e.SetLonglinkSvrAddr("chat.example.com", []int{8080}, "")
//	t := engine.NewTask(e.GenTaskID(), 7)
//	e.StartTask(t) // the outcome arrives once through OnTaskEnd
//	defer e.Close()
//
// # Threading
//
// Each Engine has one owner goroutine that holds all task and link state
// (DESIGN principle 1); the socket reader and writer, the connect attempt,
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
// engine diagnoses the network itself (Mars's net-check heuristic, §4.16;
// netcheck.go): NetCheckHostProvider names the HTTP hosts, NetCheckObserver
// receives the sdt report.
//
// # Where this differs from Mars at HEAD (reference §8)
//
//   - An unanswered heartbeat closes the link after 8 s (5 s when the slot
//     ran 15 min late) with (EctSocket, EctSocketRecvErr): the intended
//     behaviour, not HEAD's never-firing alarm (§8 item 1).
//   - The identify check (or a noop) goes out right after connect; a
//     negative HeartbeatInterval turns the periodic heartbeat off (item 2).
//     Tasks waiting as the link comes up are written first and that noop
//     is skipped, as Mars sends a noop only when it has no data to send.
//   - A task that may go short needs a short-link host: an empty list ends
//     it (EctLocal, EctLocalTaskParam) instead of hanging (item 3).
//   - Address settings survive Reset (item 5).
//   - Req2Buf runs once per attempt actually sent; the client sequence id is
//     drawn once per task, as Mars does on the long link (item 6).
//   - Timers are exact rather than polled once a second, so timeouts fire at
//     their computed instant.
//   - Host callbacks run on one goroutine of their own, never on the one
//     that runs the timers and sockets: a blocked callback delays other
//     callbacks, never a heartbeat, timeout or reconnect. Mars calls some of
//     them on the threads that run its timers. Received packets waiting for
//     the host are bounded (Config.ReceiveBacklog); past it the link stops
//     reading, where Mars's queue grows without bound. A slot whose identify
//     buffer the host has not given within IdentifyAnswerWait (1 s) sends
//     its noop alone; the identify request follows.
//   - A first-packet, pkg-pkg, read/write or total timeout still resets the
//     link and retries or fails every other running task (item 7, kept).
//   - OnNetworkChange drops the link with (EctSocket, EctSocketNetworkChange)
//     for the running tasks (Mars uses (EctLocal, EctLocalCancel) there).
//   - Short links (§4.9) run on net/http with Mars's request bytes; each
//     task's attempt runs at once on its own goroutine. Timeouts fire at
//     their computed instant instead of on a 1 s scan, a body delimited only
//     by the connection's close is (EctSocket, EctSocketShutdown) as in
//     Mars, and a response body is capped (16 MiB, EctHttp
//     EctHttpSplitHttpHeadAndBody). A short task's total timeout does not
//     touch the long link.
//   - The TaskProfile is per task, also on failures (item 9).
//   - The smart heartbeat (Config.HeartbeatMode) runs wherever the host
//     enables it, not only on Android (item 21); a failed probe falls back
//     to the longest interval already proven, never below it.
//   - The flow limit drains exactly instead of in whole seconds (item 19).
//   - The signalling keeper's UDP target follows the link's peer whenever
//     its address changes (item 15).
//   - Timing sync is off unless Config.TimingSync is set, so an idle engine
//     has no timer (DESIGN principle 8).
//   - Zombie parking applies to tasks (long and short link) the network
//     failed, not to host verdicts or local errors; a parked task stays on
//     its link. A network change or RedoTasks does not wake parked tasks
//     directly: they run again once the new link connects.
//   - A user-initiated disconnect (network change, RedoTasks) is not scored
//     as a failure of the address (item 8).
//   - The connect stagger adapts to the connect times measured on the
//     network (250 ms to 2.5 s, RFC 8305) and a failed candidate starts the
//     next at once; Config.ExactMarsTiming restores Mars's fixed 2.5 s.
//   - Without backup IPs the system lookup runs alongside OnNewDns rather
//     than after it (up to 1 s sooner, same candidates).
//   - IPv6 candidates interleave with IPv4 ones (IPv6 first); the IP history
//     is JSON under AppFilePath, not Mars's XML.
//   - The inactive back-off moves once per attempt, not once per task-loop
//     pass (item 17), and only a kept link (foreground, or
//     MakesureLonglinkConnected) reconnects on its own: becoming inactive
//     does not connect a link nobody asked for (§7 item 23).
//   - Reset keeps a kept link (foreground, MakesureLonglinkConnected): it
//     comes back as after any drop, where Mars rebuilds its NetCore and
//     waits for the next foreground signal or task.
//   - After a link that connected drops, a waiting task reconnects as soon
//     as it needs the link instead of 5 s after the previous connect start
//     (Mars's task floor throttles failing connects; ExactMarsTiming keeps
//     it for drops too).
//   - Until the host first calls OnForeground the app counts as in the
//     foreground since New (desktop and server hosts never call it).
//   - Leaving a backup IP after a successful recovery probe waits until no
//     task runs on the link, so no task spends a retry on it.
//   - ReportConnectStatus follows the long link alone and is not called
//     after short-link results: Mars's all_status column also counts short
//     successes and failures since the last connect (§4.18).
//   - Optional TLS 1.3 with SPKI pins, HTTP CONNECT and SOCKS5 proxies, and a
//     DoH resolver (Config.TLS, Proxy, DoHURL) go beyond Mars.
//   - Config.MaxInFlight caps the requests awaiting their response on the
//     long link (1 for a server that cannot pipeline); Mars has no cap.
//   - The long link's packet limit (Config.MaxPacket, Mars's 1 MiB by
//     default) holds for requests too: a task whose request is larger ends
//     at once with (EctLocal, EctLocalPacketTooLarge), where Mars sends it
//     for the peer to reject.
//   - The automatic network check's report reaches the host
//     (NetCheckObserver; Mars only logs it, item 20); its trigger counts the
//     newest result and keeps its spacing (item 14); it runs without ping,
//     within sdt's 30 s timeout, and Reset, Close or a network change
//     cancel it.
package engine
