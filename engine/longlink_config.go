package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/mars-go/mars/wire"
)

// LongLinkConfig describes one named long link of an engine (Mars's
// LonglinkConfig with CreateLonglink_ext). A field left zero takes the
// engine Config's value, except where it says otherwise.
type LongLinkConfig struct {
	// Name identifies the link: tasks pick it by Task.ChannelName, and
	// callbacks that concern a link name it. Required and unique per engine;
	// DefaultChannelName is the link the engine starts with.
	Name string
	// Host, Ports (tried in order) and DebugIP (used instead of the host
	// when non-empty) are the link's server, as SetLonglinkSvrAddr sets the
	// default link's. An empty Host is the engine's long-link host, with
	// its debug IP unless DebugIP is set; no Ports are the engine's ports.
	// BackupIPs are the host's fallback IPs (SetBackupIPs).
	Host      string
	Ports     []int
	DebugIP   string
	BackupIPs []string
	// ClientVersion and Codec frame the link's packets. A nil Codec is
	// wire.Mars with ClientVersion when ClientVersion is set, else the
	// engine's codec.
	ClientVersion uint32
	Codec         wire.Codec
	// TLS and Proxy as Config.TLS and Config.Proxy; nil inherits the
	// engine's.
	TLS   *TLSConfig
	Proxy *ProxyConfig
	// HeartbeatMode and HeartbeatInterval as Config's; the mode is used as
	// given (0 is HeartbeatFixed), a zero interval inherits the engine's.
	HeartbeatMode     HeartbeatMode
	HeartbeatInterval time.Duration
	// IdentifyCheck asks GetLonglinkIdentifyCheckBuffer (with the link's
	// name) on each connection, as the default link always does; false
	// skips the identify check on this link.
	IdentifyCheck bool
	// KeepAlive is Mars's is_keep_alive: the link is kept connected in the
	// foreground and reconnected after a drop. False connects only when a
	// task needs the link (or on MakesureNamedLongLinkConnected) and does
	// not reconnect after a drop while no task waits.
	KeepAlive bool
	// Main makes the link the main one at once (MarkMainLongLink).
	Main bool
}

// Errors of the long-link management calls.
var (
	ErrLongLinkExists   = errors.New("engine: a long link of that name exists")
	ErrNoLongLink       = errors.New("engine: no long link of that name")
	ErrMainLongLink     = errors.New("engine: the main long link cannot be destroyed; mark another link main first")
	ErrLongLinkNameless = errors.New("engine: LongLinkConfig.Name is empty")
)

// linkSetup is a long link's settings resolved against the engine's
// configuration, ready for the owner to build the link from.
type linkSetup struct {
	name      string
	cfg       Config // the engine's, with the link's codec, dialer, heartbeat
	secure    func(ctx context.Context, c net.Conn, a Address) (net.Conn, error)
	proxies   proxyChooser    // the link's dialer, through its proxy or the one the host picks per connect
	addr      *LongLinkConfig // the link's own server; nil: the engine's settings
	keepAlive bool
	identify  bool
}

// defaultSetup is the link every engine starts with: Config's long-link
// settings, kept alive, identify checked.
func (e *Engine) defaultSetup() linkSetup {
	return linkSetup{name: DefaultChannelName, cfg: e.cfg, secure: e.secure, proxies: e.proxies, keepAlive: true,
		identify: true}
}

// setup resolves lc against the engine's configuration, validating what
// the link sets as New validates Config.
func (e *Engine) setup(lc LongLinkConfig) (linkSetup, error) {
	if lc.Name == "" {
		return linkSetup{}, ErrLongLinkNameless
	}
	c := e.rawCfg
	c.ClientVersion = e.version.Load() // SetClientVersion may have changed it
	if lc.ClientVersion != 0 {
		c.ClientVersion, c.Codec = lc.ClientVersion, nil
	}
	if lc.Codec != nil {
		c.Codec = lc.Codec
	}
	if lc.TLS != nil {
		c.TLS = lc.TLS
	}
	if lc.Proxy != nil {
		c.Proxy = lc.Proxy
	}
	if lc.HeartbeatInterval != 0 {
		c.HeartbeatInterval = lc.HeartbeatInterval
	}
	if lc.HeartbeatMode < HeartbeatFixed || lc.HeartbeatMode > HeartbeatPassive {
		return linkSetup{}, fmt.Errorf("engine: LongLinkConfig.HeartbeatMode %d is unknown", lc.HeartbeatMode)
	}
	c.HeartbeatMode = lc.HeartbeatMode
	raw := c
	c = c.withDefaults()
	if err := c.validate(); err != nil {
		return linkSetup{}, err
	}
	base, d := linkDialer(raw, c, &e.mss)
	c.Dialer = d
	own := lc
	own.Ports, own.BackupIPs = slices.Clone(lc.Ports), slices.Clone(lc.BackupIPs)
	proxies := proxyChooser{provider: e.proxies.provider, base: base, static: d, logf: e.logf}
	return linkSetup{name: lc.Name, cfg: c, secure: tlsHandshaker(c.TLS), proxies: proxies, addr: &own,
		keepAlive: lc.KeepAlive, identify: lc.IdentifyCheck}, nil
}
