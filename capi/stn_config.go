//go:build !mars_xlog_only

package main

/*
#include "mars.h"
*/
import "C"

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/mars-go/mars/engine"
)

// maxListLen bounds the arrays C hands in, so a wild length cannot make the
// library read far past an array or allocate without bound. (maxDurationMs,
// the bound on _ms values, is in cmem.go: the xlog-only build needs it too.)
const maxListLen = 64

// maxTaskBody bounds mars_task.body_len: the most a req2buf may build too
// (buf_max in shim.c).
const maxTaskBody = 64 << 20

var errArg = errors.New("invalid argument")

// stnDurations converts _ms fields of the STN structs, where a negative
// value is meaningful (it switches a feature off).
func stnDurations(fields []msField) error {
	if err := setDurations(fields, -maxDurationMs); err != nil {
		return fmt.Errorf("%w: %w", errArg, err)
	}
	return nil
}

// engineConfig converts a C config (already copied to full size by the
// shim) to the engine's. Zero fields stay zero, which the engine reads as
// its defaults.
func engineConfig(c *C.mars_stn_config) (engine.Config, error) {
	cfg := engine.Config{ClientVersion: uint32(c.client_version), Network: engine.NetworkType(c.network_type)}
	switch cfg.Network {
	case 0, engine.NetworkWiFi, engine.NetworkMobile, engine.NetworkNone:
	default:
		return cfg, fmt.Errorf("%w: network_type %d", errArg, int(c.network_type))
	}
	durs := []msField{
		{"heartbeat_interval_ms", c.heartbeat_interval_ms, &cfg.HeartbeatInterval},
		{"noop_timeout_ms", c.noop_timeout_ms, &cfg.NoopTimeout},
		{"noop_timeout_late_ms", c.noop_timeout_late_ms, &cfg.NoopTimeoutLate},
		{"noop_late_threshold_ms", c.noop_late_threshold_ms, &cfg.NoopLateThreshold},
		{"connect_timeout_ms", c.connect_timeout_ms, &cfg.ConnectTimeout},
		{"task_connect_interval_ms", c.task_connect_interval_ms, &cfg.TaskConnectInterval},
		{"auto_connect_interval_ms", c.auto_connect_interval_ms, &cfg.AutoConnectInterval},
		{"reconnect_delay_ms", c.reconnect_delay_ms, &cfg.ReconnectDelay},
		{"new_dns_timeout_ms", c.new_dns_timeout_ms, &cfg.NewDnsTimeout},
		{"retry_interval_ms", c.retry_interval_ms, &cfg.RetryInterval},
		{"auth_poll_interval_ms", c.auth_poll_interval_ms, &cfg.AuthPollInterval},
		{"base_first_packet_timeout_ms", c.base_first_packet_timeout_ms, &cfg.BaseFirstPacketTimeout},
		{"max_first_packet_timeout_ms", c.max_first_packet_timeout_ms, &cfg.MaxFirstPacketTimeout},
		{"package_interval_ms", c.package_interval_ms, &cfg.PackageInterval},
		{"task_delay_ms", c.task_delay_ms, &cfg.TaskDelay},
		{"resolver_timeout_ms", c.resolver_timeout_ms, &cfg.ResolverTimeout},
		{"connect_interval_ms", c.connect_interval_ms, &cfg.ConnectInterval},
		{"min_connect_interval_ms", c.min_connect_interval_ms, &cfg.MinConnectInterval},
		{"signalling_period_ms", c.signalling_period_ms, &cfg.SignallingPeriod},
		{"signalling_keep_time_ms", c.signalling_keep_time_ms, &cfg.SignallingKeepTime},
	}
	if err := stnDurations(durs); err != nil {
		return cfg, err
	}
	cfg.MinRate = int(c.min_rate)
	cfg.AppFilePath, cfg.NetworkLabel = goString(c.app_file_dir), goString(c.network_label)
	if err := connectConfig(c, &cfg); err != nil {
		return cfg, err
	}
	if err := linkLimitsConfig(c, &cfg); err != nil {
		return cfg, err
	}
	return cfg, policyConfig(c, &cfg)
}

// connectConfig converts the connect-strategy, TLS and proxy fields (their
// durations are in engineConfig's table).
func connectConfig(c *C.mars_stn_config, cfg *engine.Config) error {
	if c.max_connecting < 0 || c.max_connecting > maxListLen {
		return fmt.Errorf("%w: max_connecting = %d", errArg, int(c.max_connecting))
	}
	cfg.MaxConnecting = int(c.max_connecting)
	cfg.ExactMarsTiming, cfg.NoMSSClamp = cBool(c.exact_mars_timing), cBool(c.no_mss_clamp)
	var err error
	if cfg.TLS, err = tlsConfig(tlsFields{"tls", c.tls, c.tls_server_name, c.tls_root_ca_pem,
		c.tls_pinned_spki_sha256, c.tls_pinned_spki_len}); err != nil {
		return err
	}
	cfg.Proxy, err = proxyConfig(proxyFields{c.proxy_kind, c.proxy_addr, c.proxy_user, c.proxy_password})
	return err
}

// proxyFields are the four proxy fields of mars_stn_config and
// mars_longlink_config.
type proxyFields struct {
	kind                 C.int32_t
	addr, user, password *C.char
}

// proxyConfig converts the proxy fields; nil for MARS_PROXY_NONE.
func proxyConfig(f proxyFields) (*engine.ProxyConfig, error) {
	switch k := engine.ProxyKind(f.kind); k {
	case 0:
		return nil, nil
	case engine.ProxyHTTP, engine.ProxySOCKS5:
		p := &engine.ProxyConfig{Kind: k, Addr: goString(f.addr), User: goString(f.user), Password: goString(f.password)}
		if p.Addr == "" {
			return nil, fmt.Errorf("%w: proxy_kind %d without proxy_addr", errArg, int(k))
		}
		return p, nil
	default:
		return nil, fmt.Errorf("%w: proxy_kind %d", errArg, int(k))
	}
}

// tlsFields are the five TLS fields mars_stn_config has for each link.
type tlsFields struct {
	name          string
	on            C.int32_t
	server, roots *C.char
	pins          *C.uint8_t
	npins         C.size_t
}

// tlsConfig converts one link's TLS fields; nil when TLS is off.
func tlsConfig(f tlsFields) (*engine.TLSConfig, error) {
	if f.on == 0 {
		if f.npins > 0 || goString(f.roots) != "" || goString(f.server) != "" {
			return nil, fmt.Errorf("%w: %s = 0 with a server name, roots or pins, which only TLS can honour",
				errArg, f.name)
		}
		return nil, nil
	}
	t := &engine.TLSConfig{ServerName: goString(f.server)}
	if pem := goString(f.roots); pem != "" {
		t.RootCAs = x509.NewCertPool()
		if !t.RootCAs.AppendCertsFromPEM([]byte(pem)) {
			return nil, fmt.Errorf("%w: %s_root_ca_pem holds no certificate", errArg, f.name)
		}
	}
	if f.npins > maxListLen || (f.npins > 0 && f.pins == nil) {
		return nil, fmt.Errorf("%w: %d %s pinned SPKI hashes", errArg, uint64(f.npins), f.name)
	}
	if f.npins > 0 {
		raw := unsafe.Slice((*byte)(unsafe.Pointer(f.pins)), int(f.npins)*32)
		for i := range int(f.npins) {
			t.PinnedSPKI = append(t.PinnedSPKI, [32]byte(raw[i*32:(i+1)*32]))
		}
	}
	return t, nil
}

// policyConfig converts the heartbeat mode, timing-sync, DoH and short-link
// TLS fields.
func policyConfig(c *C.mars_stn_config, cfg *engine.Config) error {
	switch m := engine.HeartbeatMode(c.heartbeat_mode); m {
	case engine.HeartbeatFixed, engine.HeartbeatSmart, engine.HeartbeatPassive:
		cfg.HeartbeatMode = m
	default:
		return fmt.Errorf("%w: heartbeat_mode %d", errArg, int(c.heartbeat_mode))
	}
	cfg.TimingSync, cfg.DoHURL, cfg.DoHAllowHTTP = cBool(c.timing_sync), goString(c.doh_url), cBool(c.doh_allow_http)
	cfg.VerifyConnect = cBool(c.verify_connect)
	backlog := int64(c.receive_backlog_bytes)
	if backlog > maxReceiveBacklog {
		return fmt.Errorf("%w: receive_backlog_bytes %d (at most %d)", errArg, backlog, int64(maxReceiveBacklog))
	}
	cfg.ReceiveBacklog = int(max(backlog, -1))
	var err error
	cfg.ShortLinkTLS, err = tlsConfig(tlsFields{"shortlink_tls", c.shortlink_tls, c.shortlink_tls_server_name,
		c.shortlink_tls_root_ca_pem, c.shortlink_tls_pinned_spki_sha256, c.shortlink_tls_pinned_spki_len})
	if err != nil {
		return err
	}
	return netCheckConfig(c, cfg)
}

// configDefaults writes the engine's defaults into a C config (which the
// shim has zeroed).
func configDefaults(c *C.mars_stn_config) {
	d := engine.DefaultConfig()
	ms := func(v time.Duration) C.int64_t { return C.int64_t(v.Milliseconds()) }
	c.client_version = C.uint32_t(d.ClientVersion)
	c.network_type = C.int32_t(d.Network)
	c.heartbeat_interval_ms = ms(d.HeartbeatInterval)
	c.noop_timeout_ms = ms(d.NoopTimeout)
	c.noop_timeout_late_ms = ms(d.NoopTimeoutLate)
	c.noop_late_threshold_ms = ms(d.NoopLateThreshold)
	c.connect_timeout_ms = ms(d.ConnectTimeout)
	c.task_connect_interval_ms = ms(d.TaskConnectInterval)
	c.auto_connect_interval_ms = ms(d.AutoConnectInterval)
	c.reconnect_delay_ms = ms(d.ReconnectDelay)
	c.new_dns_timeout_ms = ms(d.NewDnsTimeout)
	c.retry_interval_ms = ms(d.RetryInterval)
	c.auth_poll_interval_ms = ms(d.AuthPollInterval)
	// The network timeouts (base_first_packet_timeout_ms … min_rate) stay 0,
	// "by network": a value written here would pin the Wi-Fi column.
	c.resolver_timeout_ms = ms(d.ResolverTimeout)
	c.max_connecting = C.int32_t(d.MaxConnecting)
	c.connect_interval_ms = ms(d.ConnectInterval)
	c.min_connect_interval_ms = ms(d.MinConnectInterval)
	c.heartbeat_mode = C.int32_t(d.HeartbeatMode)
	c.signalling_period_ms = ms(d.SignallingPeriod)
	c.signalling_keep_time_ms = ms(d.SignallingKeepTime)
	c.receive_backlog_bytes = C.int64_t(d.ReceiveBacklog)
	netCheckDefaults(c)
	linkLimitsDefaults(c, d)
}

// maxReceiveBacklog bounds receive_backlog_bytes: a larger value is more
// likely a unit mistake than a wish (negative means no bound).
const maxReceiveBacklog = 1 << 40

// ports copies a C port array.
func ports(p *C.uint16_t, n C.size_t) ([]int, error) {
	if n > maxListLen || (p == nil && n > 0) {
		return nil, fmt.Errorf("%w: %d ports", errArg, uint64(n))
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]int, 0, int(n))
	for _, v := range unsafe.Slice(p, int(n)) {
		out = append(out, int(v))
	}
	return out, nil
}

// stringList copies a C string array of at most maxListLen entries.
func stringList(name string, arr **C.char, n C.size_t) ([]string, error) {
	if n > maxListLen {
		return nil, fmt.Errorf("%w: %s has %d entries (at most %d)", errArg, name, uint64(n), maxListLen)
	}
	out, ok := goStrings(arr, n)
	if !ok {
		return nil, fmt.Errorf("%w: %s is NULL or holds NULL", errArg, name)
	}
	return out, nil
}

// engineTask converts a C task (already completed with mars_task_init's
// defaults by the shim). Field values the engine validates itself (channel,
// retry count, timeouts) pass through, so that their failures arrive through
// on_task_end as in Mars.
func engineTask(t *C.mars_task) (engine.Task, error) {
	task := engine.Task{
		TaskID: uint32(t.taskid), CmdID: uint32(t.cmdid),
		ChannelSelect:   engine.ChannelSelect(t.channel_select),
		ChannelStrategy: engine.ChannelStrategy(t.channel_strategy),
		ChannelName:     goString(t.channel_name), Cgi: goString(t.cgi),
		SendOnly: cBool(t.send_only), NeedAuthed: cBool(t.need_authed),
		LimitFlow: cBool(t.limit_flow), LimitFrequency: cBool(t.limit_frequency),
		NetworkStatusSensitive: cBool(t.network_status_sensitive),
		Priority:               int(t.priority), RetryCount: int(t.retry_count),
		UserContext: uintptr(t.user_context),
		UserID:      goString(t.user_id), ReportArg: goString(t.report_arg),
		ChannelID: uint64(t.channel_id),
	}
	task.LongPolling = cBool(t.long_polling)
	err := stnDurations([]msField{
		{"server_process_cost_ms", t.server_process_cost_ms, &task.ServerProcessCost},
		{"total_timeout_ms", t.total_timeout_ms, &task.TotalTimeout},
		{"long_polling_timeout_ms", t.long_polling_timeout_ms, &task.LongPollingTimeout},
	})
	if err != nil {
		return task, err
	}
	if task.ShortLinkHostList, err = stringList("shortlink_hosts", t.shortlink_hosts, t.shortlink_hosts_len); err != nil {
		return task, err
	}
	if task.LongLinkHostList, err = stringList("longlink_hosts", t.longlink_hosts, t.longlink_hosts_len); err != nil {
		return task, err
	}
	names, err := stringList("header_names", t.header_names, t.headers_len)
	if err != nil {
		return task, err
	}
	values, err := stringList("header_values", t.header_values, t.headers_len)
	if err != nil {
		return task, err
	}
	if len(names) > 0 {
		task.Headers = make(map[string]string, len(names))
		for i, n := range names {
			task.Headers[n] = values[i]
		}
	}
	task.Body, err = taskBody(t.body, t.body_len)
	return task, err
}

// taskBody is mars_task.body as a slice over the caller's memory, nil when
// the body is NULL (req2buf builds it). It is valid only during
// mars_stn_start_task: engine.StartTask copies it before returning.
func taskBody(p *C.uint8_t, n C.size_t) ([]byte, error) {
	switch {
	case n > maxTaskBody:
		return nil, fmt.Errorf("%w: body_len %d is over %d", errArg, uint64(n), maxTaskBody)
	case p == nil && n > 0:
		return nil, fmt.Errorf("%w: body is NULL with body_len %d", errArg, uint64(n))
	case p == nil:
		return nil, nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)), nil // non-nil even when n is 0
}
