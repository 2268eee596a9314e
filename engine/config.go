package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/mars-go/mars/engine/internal/timeout"
	"github.com/mars-go/mars/engine/wire"
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
// returns the filled-in struct.
type Config struct {
	// ClientVersion goes in every long-link header and must match on
	// receive. Default 0, as Mars.
	ClientVersion uint32
	// Codec frames long-link packets. Default (nil) wire.NewMars(ClientVersion),
	// built by New from the final ClientVersion.
	Codec wire.Codec
	// Dialer opens long-link connections. Default a net.Dialer with Go's TCP
	// keep-alive off (the heartbeat owns wake-ups, DESIGN principle 8).
	Dialer Dialer
	// Addresses lists connect candidates. Default nil: the built-in source
	// (debug IP; else OnNewDns, else the host name for the Dialer to resolve;
	// then backup IPs; each with every port in order).
	Addresses AddressSource
	// ShortLink will send short-link attempts. Short links are not
	// implemented yet: the field is ignored, and a task that can only go
	// short ends (EctLocal, EctLocalStartTaskFail).
	ShortLink ShortLinkTransport
	// Logger receives the engine's log lines. Default: discard.
	Logger Logger

	// Network is the initial network type (OnNetworkChange updates it).
	// Default NetworkWiFi; NetworkMobile switches to the mobile timeouts.
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

	// RetryInterval: pause before retries after a link-wide error. Default 1 s.
	RetryInterval time.Duration
	// AuthPollInterval: MakesureAuthed polling period. Default 1 s.
	AuthPollInterval time.Duration

	// Timeout constants of §4.10. Zero fields take the WiFi or mobile
	// default according to Network.
	BaseFirstPacketTimeout time.Duration
	MaxFirstPacketTimeout  time.Duration
	MinRate                int // bytes/s
	PackageInterval        time.Duration
	TaskDelay              time.Duration
}

// Dialer opens a connection; *net.Dialer satisfies it. It must honour ctx
// cancellation.
type Dialer interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// Address is one connect candidate.
type Address struct {
	Host string // the name it stands for (for logs); may equal IP
	IP   string // IP literal, or a hostname the Dialer resolves
	Port int
}

// String is "ip:port".
func (a Address) String() string { return net.JoinHostPort(a.IP, fmt.Sprint(a.Port)) }

// AddressSettings are the host's address calls (SetLonglinkSvrAddr and
// friends). They survive Reset.
type AddressSettings struct {
	LongLinkHost    string
	LongLinkPorts   []int
	LongLinkDebugIP string
	ShortLinkPort   int
	ShortLinkDebug  string
	DebugIPs        map[string]string   // host → IP (SetDebugIP)
	BackupIPs       map[string][]string // host → IPs (SetBackupIPs)
}

// AddressSource turns the address settings into the long link's connect
// candidates, in the order to try them. It runs on the connect goroutine,
// never on the owner, so it may block (DNS) until ctx ends. The connect
// strategy (DNS, backups, scoring) plugs in here.
type AddressSource interface {
	LongLinkCandidates(ctx context.Context, s AddressSettings) ([]Address, error)
}

// ShortLinkRequest is one short-link attempt.
type ShortLinkRequest struct {
	TaskID  uint32
	Host    string
	Cgi     string
	Headers map[string]string
	Body    []byte
}

// ShortLinkTransport sends one short-link attempt and returns the response
// body, or a TaskError. The short-link work plugs in here.
type ShortLinkTransport interface {
	RoundTrip(ctx context.Context, req *ShortLinkRequest) ([]byte, error)
}

// LogLevel orders log lines.
type LogLevel int

// Log levels.
const (
	LogDebug LogLevel = iota
	LogInfo
	LogWarn
	LogError
)

// Logger receives engine log lines. Enabled is asked first so disabled
// lines cost nothing. It is called from the owner and I/O goroutines.
type Logger interface {
	Enabled(level LogLevel) bool
	Log(level LogLevel, msg string)
}

// DefaultConfig returns the configuration every zero field stands for. Codec
// stays nil: its default depends on ClientVersion, which callers usually set
// after taking the defaults, so New builds it from the final ClientVersion.
func DefaultConfig() Config {
	c := Config{}.withDefaults()
	c.Codec = nil
	return c
}

// withDefaults fills every zero field; it is the only place defaults apply.
func (c Config) withDefaults() Config {
	if c.Codec == nil {
		c.Codec = wire.NewMars(c.ClientVersion)
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
	setDur(&c.ConnectTimeout, DefaultConnectTimeout)
	setDur(&c.TaskConnectInterval, DefaultTaskConnectInterval)
	setDur(&c.AutoConnectInterval, DefaultAutoConnectInterval)
	setDur(&c.ReconnectDelay, DefaultReconnectDelay)
	setDur(&c.NewDnsTimeout, DefaultNewDnsTimeout)
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
	return c
}

func setDur(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

// validate rejects values no default can repair. It runs after withDefaults.
func (c Config) validate() error {
	var errs []error
	for name, d := range map[string]time.Duration{
		"NoopTimeout": c.NoopTimeout, "NoopTimeoutLate": c.NoopTimeoutLate,
		"ConnectTimeout": c.ConnectTimeout, "RetryInterval": c.RetryInterval,
		"AuthPollInterval": c.AuthPollInterval, "BaseFirstPacketTimeout": c.BaseFirstPacketTimeout,
		"MaxFirstPacketTimeout": c.MaxFirstPacketTimeout, "PackageInterval": c.PackageInterval,
		"NewDnsTimeout": c.NewDnsTimeout, "NoopLateThreshold": c.NoopLateThreshold,
		"TaskConnectInterval": c.TaskConnectInterval, "AutoConnectInterval": c.AutoConnectInterval,
		"ReconnectDelay": c.ReconnectDelay, "TaskDelay": c.TaskDelay,
	} {
		if d < 0 {
			errs = append(errs, fmt.Errorf("engine: Config.%s is negative (%v)", name, d))
		}
	}
	if c.MinRate < 0 {
		errs = append(errs, fmt.Errorf("engine: Config.MinRate is negative (%d)", c.MinRate))
	}
	return errors.Join(errs...)
}

// timeoutParams returns the §4.10 constants in force.
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

type nopLogger struct{}

func (nopLogger) Enabled(LogLevel) bool { return false }
func (nopLogger) Log(LogLevel, string)  {}
