package engine

import "time"

// Every Mars number the engine uses, with the reference section it comes
// from. Config zero values mean these.

// DefaultMaxPacket caps one long-link packet, header included, both ways:
// Mars's receive limit (longlink_packer.cc:86-88).
const DefaultMaxPacket = 1 << 20

// Task limits and retries (config.h:28-31).
const (
	DefaultRetryCount       = 1                       // DEF_TASK_RETRY_COUNT
	MaxRetryCount           = 30                      // retry_count > 30 rejected
	MaxServerProcessCost    = 120 * time.Second       // server_process_cost > 120 000 ms rejected
	MaxTotalTimeout         = 600 * time.Second       // total_timeout > 600 000 ms rejected
	DefaultRetryInterval    = 1000 * time.Millisecond // DEF_TASK_RETRY_INTERNAL: pause after a batch error
	DefaultAuthPollInterval = 1000 * time.Millisecond // DEF_TASK_RUN_LOOP_TIMING: MakesureAuthed polling
)

// Timeout formula constants, WiFi column (config.h:48-61).
const (
	DefaultBaseFirstPacketTimeout = 12000 * time.Millisecond
	DefaultMaxFirstPacketTimeout  = 22000 * time.Millisecond
	DefaultMinRate                = 12288 // bytes/s
	DefaultPackageInterval        = 8000 * time.Millisecond
	DefaultTaskDelay              = 1500 * time.Millisecond
	DefaultMaxQueuedForTimeout    = 5     // n = min(sent_count, 5)
	DefaultMaxRecvLen             = 65536 // kMaxRecvLen
	DefaultReadWriteBase          = 15000 * time.Millisecond
	DefaultTaskTimeoutSlack       = 5000 * time.Millisecond
)

// Timeout formula constants, mobile column.
const (
	MobileBaseFirstPacketTimeout = 15000 * time.Millisecond
	MobileMaxFirstPacketTimeout  = 30000 * time.Millisecond
	MobileMinRate                = 4096
	MobilePackageInterval        = 12000 * time.Millisecond
	MobileTaskDelay              = 3000 * time.Millisecond
)

// Heartbeat (config.h:34, longlink.cc:353-394).
const (
	DefaultHeartbeatInterval = 210000 * time.Millisecond // MinHeartInterval, after write idleness
	DefaultNoopTimeout       = 8000 * time.Millisecond
	DefaultNoopTimeoutLate   = 5000 * time.Millisecond // when the heartbeat fired that late
	DefaultNoopLateThreshold = 15 * time.Minute
)

// Connect.
const (
	DefaultConnectTimeout = 10000 * time.Millisecond // per candidate
	// DefaultTaskConnectInterval is the least time between the starts of two
	// task-triggered connect attempts (the foreground, under a minute, row of the reconnect table).
	DefaultTaskConnectInterval = 5 * time.Second
	// DefaultAutoConnectInterval is the same for automatic reconnects of a
	// link the host asked to keep (MakesureLonglinkConnected, foreground).
	DefaultAutoConnectInterval = 15 * time.Second
	// DefaultReconnectDelay is the wake-up after a drop or failed connect
	// before an automatic reconnect is considered.
	DefaultReconnectDelay = 500 * time.Millisecond
	// DefaultQuickReconnects failed reconnects after a link that was up
	// dropped are retried DefaultQuickReconnectInterval (±20 %) apart before
	// Mars's intervals apply (ours: a restarting server is found at once).
	DefaultQuickReconnects        = 8
	DefaultQuickReconnectInterval = 250 * time.Millisecond
	DefaultNewDnsTimeout          = 2000 * time.Millisecond // OnNewDns wait
)

// Connect strategy (with the connection-attempt delay of RFC 8305 §5).
const (
	DefaultResolverTimeout    = 1000 * time.Millisecond // system DNS inside the OnNewDns wait
	DefaultMaxConnecting      = 3                       // complex connect max_connect
	DefaultConnectInterval    = 2500 * time.Millisecond // Mars's stagger; the adaptive one's cap
	DefaultMinConnectInterval = 250 * time.Millisecond  // RFC 8305 Connection Attempt Delay
	// DefaultFirstConnectInterval is the stagger before any connect time was
	// measured on the network: RFC 8305's recommended 250 ms (Mars's 2.5 s is
	// its worst case). A mobile network's first SYN may wait for the radio to
	// wake, so it starts at twice that.
	DefaultFirstConnectInterval       = 250 * time.Millisecond
	DefaultMobileFirstConnectInterval = 500 * time.Millisecond
	DefaultMaxCandidates              = 5    // kNumMakeCount: 5 from DNS (+1 backup); inactive 4 (+1)
	DefaultWiFiMSS                    = 1400 // TCP_MAXSEG on Wi-Fi (tcpclient_fsm.cc:184)
)

// App state and reconnects.
const (
	// DefaultInactiveAfter is how long after going to the background the app
	// becomes inactive (ActiveLogic's 10-minute alarm).
	DefaultInactiveAfter = 10 * time.Minute
)

// Smart heartbeat (config.h:33-45).
const (
	DefaultSmartHeartbeatMin     = 210 * time.Second  // MinHeartInterval
	DefaultSmartHeartbeatMax     = 580 * time.Second  // MaxHeartInterval − SuccessStep
	DefaultSmartHeartbeatStep    = 60 * time.Second   // HeartStep
	DefaultSmartHeartbeatBackoff = 80 * time.Second   // fall-back after a failed probe
	DefaultSmartHeartbeatRefine  = 20 * time.Second   // SuccessStep: weekly re-probe
	DefaultSmartHeartbeatReprobe = 7 * 24 * time.Hour // a stable value this old re-probes
	DefaultSmartHeartbeatSuccess = 5                  // BaseSuccCount
	DefaultSmartHeartbeatFail    = 2                  // MaxHeartFailCount
	DefaultSmartHeartbeatWarmUp  = 3                  // NetStableTestCount
)

// Signalling keeper (signalling_keeper.cc:35-36).
const (
	DefaultSignallingPeriod   = 5000 * time.Millisecond  // a datagram per 5 s of silence
	DefaultSignallingKeepTime = 20000 * time.Millisecond // for 20 s after the last KeepSignalling
)

// Anti-avalanche (frequency_limit.cc:27-33, flow_limit.cc:29-32).
const (
	DefaultFrequencyRecords       = 30               // MAX_RECORD_COUNT
	DefaultFrequencyIntercept     = 105              // RECORD_INTERCEPT_COUNT: the 106th is rejected
	DefaultFrequencyClearInterval = 60 * time.Minute // purge period
	DefaultFrequencyKeepRecent    = 10 * time.Minute // a purge keeps records this recent…
	DefaultFrequencyKeepCount     = 75               // …with at least this count…
	DefaultFrequencyKeepCap       = 99               // …capped at this count
	DefaultFlowCapacity           = 80 << 20         // kMaxVol, bytes
	DefaultFlowActiveRate         = 80 << 20         // bytes drained per hour while active
	DefaultFlowInactiveRate       = 20 << 20         // bytes drained per hour while inactive
	DefaultFlowInactiveLevel      = 60 << 20         // level cap on going inactive
)

// Zombie tasks (zombie_task_manager.cc:32, 52-74).
const DefaultZombieIdleRestart = 60 * time.Second // parked and no task started for this long

// Timing sync (timing_sync.cc:37-60).
const (
	DefaultSyncActiveLoggedIn = 90 * time.Second
	DefaultSyncActive         = 4 * time.Minute
	DefaultSyncInactive       = 10 * time.Minute
	DefaultSyncNoNetFactor    = 3
)

// Dynamic timeout (config.h:66-96, dynamic_timeout.cc): how fast tasks
// complete classifies the network, and an excellent one shortens the
// first-packet timeout of tasks with a zero server process cost.
const (
	DefaultExcellentFirstPacketTimeout = 7000 * time.Millisecond  // WiFi
	MobileExcellentFirstPacketTimeout  = 10000 * time.Millisecond // mobile
	DefaultDynTimeoutSlots             = 10                       // ring of ok/failed bits
	DefaultDynTimeoutBadAtOK           = 6                        // this many ok bits or fewer is bad
	DefaultDynTimeoutConsecutive       = 10                       // fast tasks in a row for excellent
	DefaultDynTimeoutWindow            = 5 * time.Minute          // kDynTimeCountExpireTime
	// Size classes (request + response bytes) and the cost within which a
	// task of each is fast: below Small, up to Medium, up to Large, bigger.
	// A fast task of at least Small bytes is needed for excellent.
	DefaultDynTimeoutSmall      = 3 << 10
	DefaultDynTimeoutMedium     = 10 << 10
	DefaultDynTimeoutLarge      = 30 << 10
	DefaultDynTimeoutFastSmall  = 500 * time.Millisecond
	DefaultDynTimeoutFastMedium = 2000 * time.Millisecond
	DefaultDynTimeoutFastLarge  = 4000 * time.Millisecond
	DefaultDynTimeoutFastHuge   = 6000 * time.Millisecond
	MobileDynTimeoutFastSmall   = 1000 * time.Millisecond
	MobileDynTimeoutFastMedium  = 3000 * time.Millisecond
	MobileDynTimeoutFastLarge   = 5000 * time.Millisecond
	MobileDynTimeoutFastHuge    = 7000 * time.Millisecond
)

// Network quality (weak_network_logic.cc, and Cronet's estimator).
const (
	DefaultWeakRTT  = 2 * time.Second        // weak-network mark
	DefaultGoodRTT  = 300 * time.Millisecond // "good" at or below
	DefaultWeakHold = 60 * time.Second       // a weak mark lasts
	// DefaultQualityAlpha is the weight of a new sample in the averages.
	DefaultQualityAlpha = 0.25
	// DefaultWeakThroughput: a throughput estimate below it is weak
	// (Mars's mobile minimum rate).
	DefaultWeakThroughput = MobileMinRate
	// DefaultMinThroughputBytes: a response this big gives a throughput sample.
	DefaultMinThroughputBytes = 32 << 10
	// DefaultWeakClearAfter: at least this long after a weak mark, a failed
	// connect or a fast task clears it.
	DefaultWeakClearAfter = 8 * time.Second
	DefaultSlowTask       = 5 * time.Second        // a task this slow marks the network weak
	DefaultFastTask       = 600 * time.Millisecond // a task this fast may clear the mark
)

// Short links (StartTask step 5, net_core.cc:466-470).
const (
	// DefaultLongLinkWakeWindow: a task with the Long bit that goes short
	// while the long link is down still asks for a connect when the app came
	// to the foreground at most this long ago.
	DefaultLongLinkWakeWindow = 15 * time.Minute
)

// Disaster recovery (netsource_timercheck.cc).
const (
	DefaultRecoveryPeriod       = 150 * time.Second // kTimeCheckPeriod
	DefaultRecoveryProbeTimeout = 10 * time.Second  // noop answer wait
	DefaultRecoveryProbesPerHr  = 30                // CommFrequencyLimit(30, 3600000)
)

// DefaultReceiveBacklog bounds the received bytes waiting for the host
// (Config.ReceiveBacklog) before the long link stops reading (beyond Mars,
// whose queue is unbounded).
const DefaultReceiveBacklog = 4 << 20

// IdentifyAnswerWait is how long a heartbeat slot waits for the host's
// identify buffer (GetLonglinkIdentifyCheckBuffer) before its noop goes
// alone, so a host busy in another callback cannot hold the heartbeat
// (beyond Mars, which asks on the link's own thread and waits).
const IdentifyAnswerWait = time.Second
