package engine

import (
	"errors"
	"fmt"
	"math"
	"net"
	"time"

	"github.com/mars-go/mars/engine/internal/doh"
	"github.com/mars-go/mars/engine/internal/timeout"
	"github.com/mars-go/mars/sdt/netcheck"
	"github.com/mars-go/mars/wire"
)

// NetworkType selects which column of Mars's constants applies.
type NetworkType int

// Network types (platform_comm.h getNetInfo).
const (
	NetworkWiFi   NetworkType = 1 // also the value for "other"; Linux Mars always reports it
	NetworkMobile NetworkType = 2
	NetworkNone   NetworkType = -1
)

// Config configures an Engine. The zero value of every field means the
// Default… constant named in its comment (defaults.go); DefaultConfig
// returns the filled-in struct, except for the network timeouts (see
// BaseFirstPacketTimeout), whose zero means "by network".
type Config struct {
	// ClientVersion goes in every long-link header and must match on
	// receive. Default 0, as Mars. Engine.SetClientVersion changes it on a
	// running engine.
	ClientVersion uint32
	// Codec frames long-link packets. Default (nil) the Mars header
	// (wire.LiveMars) with ClientVersion and MaxPacket, built by New from
	// the final values. A custom Codec follows Engine.SetClientVersion only
	// if it implements wire.ClientVersionSetter, and builds the identify
	// request if it implements wire.IdentifyBuilder (else wire.Identify).
	Codec wire.Codec
	// MaxPacket caps one long-link packet, header included, in both
	// directions. A received packet announcing more is a corrupt stream:
	// the link drops with (EctNetMsgXP, EctNetMsgXPHandleBufferErr) as soon
	// as its header arrives (with a custom Codec, once that many bytes of it
	// are buffered). A task whose request packet would be larger ends at
	// once with (EctLocal, EctLocalPacketTooLarge), never sent and never
	// retried. Default 1 MiB, Mars's receive limit (Mars sends any size).
	// Values below the 20-byte header are rejected.
	MaxPacket int
	// Dialer opens long-link connections. Default a net.Dialer with Go's TCP
	// keep-alive off (the heartbeat owns wake-ups) and,
	// on Wi-Fi, TCP_MAXSEG 1400 (see NoMSSClamp). A Proxy wraps it.
	Dialer Dialer
	// Addresses lists connect candidates. Default nil: the built-in source:
	// the debug IP alone, in port order; else OnNewDns (2 s), else
	// the system resolver (1 s), scored and with banned addresses dropped,
	// IPv6 and IPv4 interleaved, at most 5; then backup IPs (5 + 1);
	// the bare host name only when nothing else is known. A custom source's
	// list is raced as given, unscored.
	Addresses AddressSource
	// ShortLink sends short-link attempts (one HTTP POST each).
	// Default nil: the built-in transport, HTTP/1.1 over this Config's
	// Dialer (MSS clamp, Proxy) with the connect race and the short-link
	// address settings (SetShortlinkSvrAddr, SetDebugIP, SetBackupIPs,
	// OnNewDns(host, false)).
	ShortLink ShortLinkTransport
	// ShortLinkTLS, when set, makes the built-in short link HTTPS (TLS 1.3,
	// custom roots and SPKI pins as in TLSConfig; ServerName defaults to the
	// task's host). A handshake or pin failure ends the attempt (EctSocket,
	// EctHandshakePinMismatch, EctHandshakeCertificate or, for any other
	// handshake failure, EctHandshakeMisunderstand). Default nil: plain
	// HTTP, as Mars.
	ShortLinkTLS *TLSConfig
	// Logger receives the engine's log lines. Default: discard.
	Logger Logger

	// Network is the initial network type (OnNetworkChange updates it).
	// Default NetworkWiFi; NetworkMobile switches the network timeouts the
	// host left zero to the mobile column.
	Network NetworkType

	// HeartbeatInterval: a noop goes out after this much write idleness.
	// Default 210 s. Negative disables the periodic heartbeat (the identify
	// check right after connect still runs).
	HeartbeatInterval time.Duration
	// NoopTimeout closes the link when a noop is unanswered. Default 8 s.
	NoopTimeout time.Duration
	// NoopTimeoutLate replaces NoopTimeout when the heartbeat fired more than
	// NoopLateThreshold late (device sleep). Default 5 s and 15 min.
	NoopTimeoutLate   time.Duration
	NoopLateThreshold time.Duration
	// HeartbeatMode picks how the interval is chosen: HeartbeatFixed
	// (default, HeartbeatInterval), HeartbeatSmart (learned per network,
	// persisted in AppFilePath/Heartbeat.ini) or HeartbeatPassive (no
	// periodic heartbeat; TrigNoop sends one). Other values are rejected.
	HeartbeatMode HeartbeatMode
	// SignallingPeriod and SignallingKeepTime: while the host keeps
	// signalling, a UDP datagram goes to the long link's peer after each
	// SignallingPeriod of silence until SignallingKeepTime after the last
	// KeepSignalling. Default 5 s and 20 s. With a Proxy the keeper is off
	// (KeepSignalling logs a warning): the peer is then the proxy, and UDP
	// to the server would go around it.
	SignallingPeriod   time.Duration
	SignallingKeepTime time.Duration
	// SignallingDialer opens the keeper's UDP socket ("udp", "ip:port").
	// Default a net.Dialer.
	SignallingDialer Dialer
	// TimingSync turns on Mars's timing sync: RequestSync every
	// 90 s / 4 min / 10 min (×3 with no network) while the long link is
	// down. Default false, so an idle engine has no timer (an idle
	// process must stay asleep).
	TimingSync bool

	// ConnectTimeout bounds one candidate's connect. Default 10 s.
	ConnectTimeout time.Duration
	// TaskConnectInterval: least time between task-triggered connect starts.
	// Default 5 s.
	TaskConnectInterval time.Duration
	// AutoConnectInterval: least time between automatic reconnect starts of a
	// kept link. Default 15 s.
	AutoConnectInterval time.Duration
	// ReconnectDelay: wait after a drop before an automatic reconnect.
	// Default 500 ms.
	ReconnectDelay time.Duration
	// NewDnsTimeout bounds OnNewDns. Default 2 s.
	NewDnsTimeout time.Duration
	// ReceiveBacklog bounds the bytes of received packets (pushes above
	// all) that wait for the host's callbacks: past it the long link stops
	// reading its socket until the host catches up, so a server pushing
	// faster than OnPush returns meets TCP back-pressure instead of growing
	// the process's memory. A single packet larger than the bound still
	// passes. Default 4 MiB; negative means no bound.
	ReceiveBacklog int

	// Resolver is the system resolver, asked when OnNewDns has no answer
	// and for backup IPs when none are set. Default net.DefaultResolver.
	Resolver Resolver
	// ResolverTimeout bounds one system lookup. Default 1 s.
	ResolverTimeout time.Duration
	// DoHURL names a DNS-over-HTTPS server (RFC 8484, POST) that answers for
	// the long-link host whenever OnNewDns has none, within NewDnsTimeout;
	// answers are cached for their TTL (at most 1 h, at most 64 names). A
	// host can set it instead of writing an OnNewDns. It must be an https://
	// URL with a host: anything else is rejected by New. The server is
	// reached through this Config's Dialer and Proxy (never the
	// environment's HTTP(S)_PROXY), verified with DoHTLS, and redirects are
	// not followed. An answer is used only when its transaction id and
	// question match the query; records for other names (beyond a CNAME
	// chain from the one asked) are ignored. Default "": none (beyond Mars).
	DoHURL string
	// DoHTLS verifies the DoH server (ServerName, RootCAs, PinnedSPKI).
	// Default nil: TLS's RootCAs and PinnedSPKI when TLS is set (the server
	// name is the URL's host), else the system roots.
	DoHTLS *TLSConfig
	// DoHAllowHTTP accepts an http:// DoHURL. It is for tests only: an
	// answer over plain HTTP can be forged by anyone on the path, and the
	// engine would connect where it says. Default false.
	DoHAllowHTTP bool
	// MaxConnecting is how many connect attempts may run at once. Default 3.
	MaxConnecting int
	// ConnectInterval is Mars's fixed stagger between connect starts, and
	// the longest adaptive one. Default 2.5 s.
	ConnectInterval time.Duration
	// MinConnectInterval is the shortest adaptive stagger. Default 250 ms.
	// The stagger is derived from the connect times measured on the current
	// network (RFC 8305 §5); until one is measured it is 250 ms on Wi-Fi and
	// 500 ms on a mobile network (at least MinConnectInterval, at most
	// ConnectInterval). A failed attempt starts the next candidate at once.
	MinConnectInterval time.Duration
	// ExactMarsTiming turns the adaptive stagger off: every stagger is
	// ConnectInterval and a fast failure does not start the next candidate
	// earlier. It also keeps Mars's reconnect intervals right after a drop:
	// without it, while the app is active, the first 8 failed reconnects
	// after a link that was up dropped are retried 250 ms (±20 %) apart, so
	// a restarting server is found at once. Default false.
	ExactMarsTiming bool
	// VerifyConnect is Mars's optional connect verification
	// (longlink_complexconnect_need_verify): each raced candidate, once
	// connected, sends a noop and may win only when its answer comes within
	// max(3 s, min(6·RTT, 10 s − RTT)); a candidate that fails is reported
	// (EctSocket, ETIMEDOUT) and the race goes on. Bytes the server sent
	// after the answer are kept for the link. Default false, as Mars.
	VerifyConnect bool
	// AppFilePath is the app's file directory; the IP history is kept
	// in AppFilePath/host/ipportrecords.json. Default "": memory only.
	// The files are read in New and written off the owner goroutine on
	// network changes, RedoTasks and Close (which waits for them).
	AppFilePath string
	// NetworkLabel names the initial network for the IP history (Mars's
	// network label, e.g. a Wi-Fi SSID). Default the network type's name.
	NetworkLabel string
	// TLS, when set, runs TLS 1.3 on the long link. The handshake is part
	// of each raced candidate's connect, bounded with its TCP connect by
	// ConnectTimeout: a candidate failing TLS is reported (EctSocket,
	// EctHandshakePinMismatch, EctHandshakeCertificate or
	// EctHandshakeMisunderstand) and the race goes on to the next one in
	// the same attempt. When every candidate of an attempt failed TLS (or
	// the proxy), the tasks waiting for the link end at once with that
	// error instead of at their timeout. Default nil: plain TCP, as Mars.
	TLS *TLSConfig
	// Proxy, when set, routes every connect, long and short link and DoH,
	// through an HTTP CONNECT or SOCKS5 proxy. A failure of the proxy
	// itself is reported with the proxy's address and its own code
	// (EctSocketProxyRefused, EctSocketProxyAuth, EctSocketProxyProtocol),
	// never counted against the target's IP history. A Proxy the links
	// cannot use is refused by New: an unknown Kind, an Addr that is not
	// host:port, credentials the protocol cannot carry, or a custom
	// ShortLink (its connections would go around the proxy). Default nil:
	// direct.
	Proxy *ProxyConfig
	// NoMSSClamp keeps the system MSS on Wi-Fi; by default the engine's own
	// dialer sets TCP_MAXSEG 1400 on Wi-Fi as Mars does. It has no
	// effect on a Dialer given in this Config.
	NoMSSClamp bool
	// NoNetCheck turns the automatic network diagnosis off (Mars's net-check
	// heuristic, netcheck.go). Default false: on, as in Mars.
	NoNetCheck bool
	// NetCheckCGI is the path the automatic check GETs on every host
	// NetCheckHostProvider names, at the short-link port (Mars's
	// SetHttpNetcheckCGI). Default "": no HTTP check, and the host is not
	// asked for hosts.
	NetCheckCGI string
	// NetCheckTrigger tunes when the automatic check fires; zero fields take
	// netcheck's Mars defaults (windows of 8 results, fewer than 3
	// successes after more than 5, 5 min spacing + 10 min per check since
	// the network was last good, 2 checks per hour).
	NetCheckTrigger netcheck.Config
	// DisableLongLink starts the engine with the long link off for its
	// whole life, as if DisableLongLink were called before anything else:
	// no connect, heartbeat or signalling, and tasks go short (see
	// Engine.DisableLongLink).
	DisableLongLink bool

	// MaxInFlight caps the task requests on the long link awaiting their
	// response: a task is sent only while fewer are in flight, the others
	// wait their turn in priority order (their timeouts run meanwhile). Set
	// it to 1 for a server that cannot pipeline, such as one that parses one
	// packet per read. Default 0: no limit, as Mars. Negative is rejected.
	MaxInFlight int

	// RetryInterval: pause before retries after a link-wide error. Default 1 s.
	RetryInterval time.Duration
	// AuthPollInterval: MakesureAuthed polling period. Default 1 s.
	AuthPollInterval time.Duration

	// Network timeouts, the constants of Mars's timeout formulas. A zero field means
	// "by network": the Wi-Fi column (Default…: 12 s, 22 s, 12 288 B/s,
	// 8 s, 1.5 s) or the mobile one (Mobile…: 15 s, 30 s, 4 096 B/s, 12 s,
	// 3 s) of the network in use, switching on every OnNetworkChange.
	// DefaultConfig leaves them zero. A value the host sets applies on
	// every network.
	BaseFirstPacketTimeout time.Duration
	MaxFirstPacketTimeout  time.Duration
	MinRate                int // bytes/s
	PackageInterval        time.Duration
	TaskDelay              time.Duration

	// Mars's policy numbers (config_tuning.go). Every zero field takes the
	// Default… constant named in its comment; negative values, and
	// bounds in the wrong order, are rejected by New.
	FrequencyLimit FrequencyLimitConfig
	FlowLimit      FlowLimitConfig
	// ZombieIdleRestart: a parked task runs again by itself once parked
	// this long with no task started. Default 60 s (DefaultZombieIdleRestart).
	ZombieIdleRestart time.Duration
	SmartHeartbeat    SmartHeartbeatConfig
	TimingSyncPeriods TimingSyncConfig
	Recovery          RecoveryConfig
	DynamicTimeout    DynamicTimeoutConfig
	Quality           QualityConfig
}

// DefaultConfig returns the configuration every zero field stands for. Codec
// stays nil: its default depends on ClientVersion, which callers usually set
// after taking the defaults, so New builds it from the final ClientVersion.
// The network timeouts stay zero too: their default depends on the network
// in use, which callers set after taking the defaults and which changes.
func DefaultConfig() Config {
	c := Config{}.withDefaults().networkTimeoutsOf(Config{})
	c.Codec = nil
	return c
}

// networkTimeoutsOf returns c with raw's network timeouts: zero where raw
// leaves them to the network in use.
func (c Config) networkTimeoutsOf(raw Config) Config {
	c.BaseFirstPacketTimeout, c.MaxFirstPacketTimeout = raw.BaseFirstPacketTimeout, raw.MaxFirstPacketTimeout
	c.MinRate, c.PackageInterval, c.TaskDelay = raw.MinRate, raw.PackageInterval, raw.TaskDelay
	return c
}

// withDefaults fills every zero field; it is the only place defaults apply.
// The network timeouts take the column of c.Network, so the engine derives
// them again from the host's Config on each network change.
func (c Config) withDefaults() Config {
	if c.MaxPacket == 0 {
		c.MaxPacket = DefaultMaxPacket
	}
	if c.Codec == nil {
		c.Codec = wire.NewLiveMars(c.ClientVersion, uint32(min(max(int64(c.MaxPacket), 0), math.MaxUint32)))
	}
	if c.Dialer == nil {
		c.Dialer = &net.Dialer{KeepAlive: -1}
	}
	if c.Logger == nil {
		c.Logger = nopLogger{}
	}
	if c.Network == 0 {
		c.Network = NetworkWiFi
	}
	setDur(&c.HeartbeatInterval, DefaultHeartbeatInterval)
	setDur(&c.NoopTimeout, DefaultNoopTimeout)
	setDur(&c.NoopTimeoutLate, DefaultNoopTimeoutLate)
	setDur(&c.NoopLateThreshold, DefaultNoopLateThreshold)
	setDur(&c.SignallingPeriod, DefaultSignallingPeriod)
	setDur(&c.SignallingKeepTime, DefaultSignallingKeepTime)
	if c.SignallingDialer == nil {
		c.SignallingDialer = &net.Dialer{}
	}
	setDur(&c.ConnectTimeout, DefaultConnectTimeout)
	if c.ReceiveBacklog == 0 {
		c.ReceiveBacklog = DefaultReceiveBacklog
	}
	setDur(&c.TaskConnectInterval, DefaultTaskConnectInterval)
	setDur(&c.AutoConnectInterval, DefaultAutoConnectInterval)
	setDur(&c.ReconnectDelay, DefaultReconnectDelay)
	setDur(&c.NewDnsTimeout, DefaultNewDnsTimeout)
	if c.Resolver == nil {
		c.Resolver = net.DefaultResolver
	}
	setDur(&c.ResolverTimeout, DefaultResolverTimeout)
	if c.MaxConnecting == 0 {
		c.MaxConnecting = DefaultMaxConnecting
	}
	setDur(&c.ConnectInterval, DefaultConnectInterval)
	setDur(&c.MinConnectInterval, DefaultMinConnectInterval)
	setDur(&c.RetryInterval, DefaultRetryInterval)
	setDur(&c.AuthPollInterval, DefaultAuthPollInterval)
	if c.Network == NetworkMobile {
		setDur(&c.BaseFirstPacketTimeout, MobileBaseFirstPacketTimeout)
		setDur(&c.MaxFirstPacketTimeout, MobileMaxFirstPacketTimeout)
		setDur(&c.PackageInterval, MobilePackageInterval)
		setDur(&c.TaskDelay, MobileTaskDelay)
		if c.MinRate == 0 {
			c.MinRate = MobileMinRate
		}
	}
	setDur(&c.BaseFirstPacketTimeout, DefaultBaseFirstPacketTimeout)
	setDur(&c.MaxFirstPacketTimeout, DefaultMaxFirstPacketTimeout)
	setDur(&c.PackageInterval, DefaultPackageInterval)
	setDur(&c.TaskDelay, DefaultTaskDelay)
	if c.MinRate == 0 {
		c.MinRate = DefaultMinRate
	}
	c.FrequencyLimit = c.FrequencyLimit.withDefaults()
	c.FlowLimit = c.FlowLimit.withDefaults()
	setDur(&c.ZombieIdleRestart, DefaultZombieIdleRestart)
	c.SmartHeartbeat = c.SmartHeartbeat.withDefaults()
	c.TimingSyncPeriods = c.TimingSyncPeriods.withDefaults()
	c.Recovery = c.Recovery.withDefaults()
	c.DynamicTimeout = c.DynamicTimeout.withDefaults()
	c.Quality = c.Quality.withDefaults()
	return c
}

func setInt[T ~int | ~int64](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

func setDur(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

// validate rejects values no default can repair. It runs after withDefaults.
// Its errors come in a fixed order, so a host sees the same message for
// the same Config every time: the negative durations in the fields' order,
// the other checks, then the policy numbers (tuningProblems).
func (c Config) validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		d    time.Duration
	}{
		{"NoopTimeout", c.NoopTimeout}, {"NoopTimeoutLate", c.NoopTimeoutLate},
		{"NoopLateThreshold", c.NoopLateThreshold}, {"SignallingPeriod", c.SignallingPeriod},
		{"SignallingKeepTime", c.SignallingKeepTime}, {"ConnectTimeout", c.ConnectTimeout},
		{"TaskConnectInterval", c.TaskConnectInterval}, {"AutoConnectInterval", c.AutoConnectInterval},
		{"ReconnectDelay", c.ReconnectDelay}, {"NewDnsTimeout", c.NewDnsTimeout},
		{"ResolverTimeout", c.ResolverTimeout}, {"ConnectInterval", c.ConnectInterval},
		{"MinConnectInterval", c.MinConnectInterval}, {"RetryInterval", c.RetryInterval},
		{"AuthPollInterval", c.AuthPollInterval}, {"BaseFirstPacketTimeout", c.BaseFirstPacketTimeout},
		{"MaxFirstPacketTimeout", c.MaxFirstPacketTimeout}, {"PackageInterval", c.PackageInterval},
		{"TaskDelay", c.TaskDelay},
	} {
		if f.d < 0 {
			errs = append(errs, fmt.Errorf("engine: Config.%s is negative (%v)", f.name, f.d))
		}
	}
	if c.MaxConnecting < 0 {
		errs = append(errs, fmt.Errorf("engine: Config.MaxConnecting is negative (%d)", c.MaxConnecting))
	}
	if c.MaxPacket < wire.HeaderLen || int64(c.MaxPacket) > math.MaxUint32 {
		errs = append(errs, fmt.Errorf("engine: Config.MaxPacket %d is outside %d..%d", c.MaxPacket,
			wire.HeaderLen, uint32(math.MaxUint32)))
	}
	if c.MaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("engine: Config.MaxInFlight is negative (%d)", c.MaxInFlight))
	}
	if c.MinConnectInterval > c.ConnectInterval {
		errs = append(errs, fmt.Errorf("engine: Config.MinConnectInterval %v exceeds ConnectInterval %v",
			c.MinConnectInterval, c.ConnectInterval))
	}
	if c.Proxy != nil {
		errs = append(errs, c.checkProxy()...)
	}
	if c.DoHURL != "" {
		if err := doh.CheckURL(c.DoHURL, c.DoHAllowHTTP); err != nil {
			errs = append(errs, fmt.Errorf("engine: Config.DoHURL: %w", err))
		}
	}
	if c.HeartbeatMode < HeartbeatFixed || c.HeartbeatMode > HeartbeatPassive {
		errs = append(errs, fmt.Errorf("engine: Config.HeartbeatMode %d is unknown", c.HeartbeatMode))
	}
	if c.MinRate < 0 {
		errs = append(errs, fmt.Errorf("engine: Config.MinRate is negative (%d)", c.MinRate))
	}
	errs = append(errs, c.tuningProblems()...)
	return errors.Join(errs...)
}

// checkProxy rejects a Proxy the links cannot use as given, rather than
// letting a connect go around it or fail later for a reason the app set
// at create.
func (c Config) checkProxy() []error {
	var errs []error
	for _, msg := range c.Proxy.problems() {
		errs = append(errs, errors.New("engine: Config.Proxy: "+msg))
	}
	if c.ShortLink != nil {
		errs = append(errs, errors.New("engine: Config.Proxy: a custom ShortLink transport makes its own connections, "+
			"which the Proxy cannot carry; route them through the proxy in the transport and leave Proxy nil"))
	}
	return errs
}

// timeoutParams returns the timeout formula constants in force.
func (c Config) timeoutParams() timeout.Params {
	return timeout.Params{
		BaseFirstPacket: c.BaseFirstPacketTimeout,
		MaxFirstPacket:  c.MaxFirstPacketTimeout,
		MinRate:         c.MinRate,
		TaskDelay:       c.TaskDelay,
		MaxQueued:       DefaultMaxQueuedForTimeout,
		MaxRecvLen:      DefaultMaxRecvLen,
		ReadWriteBase:   DefaultReadWriteBase,
		TaskSlack:       DefaultTaskTimeoutSlack,
	}
}
