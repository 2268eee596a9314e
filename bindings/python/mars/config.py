"""StnConfig: the engine configuration (mars_stn_config) as a dataclass."""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import _lib
from . import _structs as S
from .constants import Result
from .errors import InvalidArgument
from .task import _INT32, _INT64, check_int, encode
from .xlog import Xlog

#: Timing fields of mars_stn_config: 0 takes the library's default.
_TIMING_FIELDS = (
    "heartbeat_interval_ms",
    "noop_timeout_ms",
    "noop_timeout_late_ms",
    "noop_late_threshold_ms",
    "connect_timeout_ms",
    "task_connect_interval_ms",
    "auto_connect_interval_ms",
    "reconnect_delay_ms",
    "new_dns_timeout_ms",
    "retry_interval_ms",
    "auth_poll_interval_ms",
    "base_first_packet_timeout_ms",
    "max_first_packet_timeout_ms",
    "package_interval_ms",
    "task_delay_ms",
    "resolver_timeout_ms",
    "connect_interval_ms",
    "min_connect_interval_ms",
    "signalling_period_ms",
    "signalling_keep_time_ms",
)


@dataclass
class StnConfig:
    """Engine configuration (mars_stn_config). 0/None means the library's
    default; durations are milliseconds (see mars.h for each default)."""

    client_version: int = 0
    longlink_host: str | None = None
    longlink_ports: Sequence[int] = ()
    longlink_debug_ip: str | None = None
    shortlink_port: int = 0
    shortlink_debug_ip: str | None = None
    app_file_dir: str | None = None
    network_type: int = 0
    network_label: str | None = None
    heartbeat_interval_ms: int = 0
    noop_timeout_ms: int = 0
    noop_timeout_late_ms: int = 0
    noop_late_threshold_ms: int = 0
    connect_timeout_ms: int = 0
    task_connect_interval_ms: int = 0
    auto_connect_interval_ms: int = 0
    reconnect_delay_ms: int = 0
    new_dns_timeout_ms: int = 0
    retry_interval_ms: int = 0
    auth_poll_interval_ms: int = 0
    base_first_packet_timeout_ms: int = 0
    max_first_packet_timeout_ms: int = 0
    package_interval_ms: int = 0
    task_delay_ms: int = 0
    min_rate: int = 0
    #: An open Xlog for the engine's own log lines (tag "mars.stn"); it must
    #: stay open while the engine logs (later lines count as dropped).
    log: Xlog | None = None
    #: Run the notification callbacks (on_task_end, on_push, status and
    #: statistics) on a Python thread that waits in mars_stn_poll, instead of
    #: entering Python from library threads (~20x dearer).
    #: Ignored by a library without mars_stn_poll. on_task_end's return value
    #: is then ignored (mars.h).
    poll_events: bool = True
    # Connect strategy (0 = default): one system DNS lookup's bound, connect
    # attempts at once, the longest and shortest adaptive stagger.
    resolver_timeout_ms: int = 0
    max_connecting: int = 0
    connect_interval_ms: int = 0
    min_connect_interval_ms: int = 0
    #: Always stagger by connect_interval_ms, as Mars (default: adaptive).
    exact_mars_timing: bool = False
    #: Keep the system TCP MSS on Wi-Fi (default: clamp to 1400, as Mars).
    no_mss_clamp: bool = False
    #: TLS 1.3 on the long link (the server must speak it); default plain TCP.
    tls: bool = False
    tls_server_name: str | None = None
    #: PEM certificates that replace the system roots.
    tls_root_ca_pem: str | None = None
    #: SHA-256 hashes (32 bytes each) of DER SubjectPublicKeyInfo; a chain
    #: must contain one. At most 64.
    tls_pinned_spki_sha256: Sequence[bytes] = ()
    #: Proxy for long-link connects (Proxy.HTTP CONNECT or Proxy.SOCKS5).
    proxy_kind: int = 0
    proxy_addr: str | None = None
    proxy_user: str | None = None
    proxy_password: str | None = None
    #: Heartbeat.FIXED (default), SMART (learned per network) or PASSIVE
    #: (only Stn.trig_noop sends one).
    heartbeat_mode: int = 0
    #: Signalling keeper period and keep time (defaults 5000 and 20000).
    signalling_period_ms: int = 0
    signalling_keep_time_ms: int = 0
    #: Mars's timing sync (request_sync while the long link is down).
    timing_sync: bool = False
    #: A DNS-over-HTTPS server for the long-link host when on_new_dns is silent.
    doh_url: str | None = None
    #: HTTPS for the short link, fields as for the long link's TLS.
    shortlink_tls: bool = False
    shortlink_tls_server_name: str | None = None
    shortlink_tls_root_ca_pem: str | None = None
    shortlink_tls_pinned_spki_sha256: Sequence[bytes] = ()
    #: Automatic network check (Mars's net-check heuristic): the path to GET
    #: on Callbacks.request_netcheck_hosts' hosts, off switch, and trigger
    #: (window of results 1..16, fewer than bad_below successes after more
    #: than good_above); 0 = default (8, 3, 5).
    netcheck_cgi: str | None = None
    netcheck_off: bool = False
    netcheck_window: int = 0
    netcheck_bad_below: int = 0
    netcheck_good_above: int = 0
    #: Task requests on the long link awaiting their response at once; 1
    #: suits a server that cannot pipeline. 0 = no limit, as Mars.
    max_in_flight: int = 0
    #: The largest long-link packet, header included, both ways; a request
    #: over it ends (LOCAL, PACKET_TOO_LARGE) unsent. 0 = 1 MiB, as Mars.
    max_packet_size: int = 0
    #: Bytes of received packets (pushes above all) that may wait for the
    #: callbacks before the long link stops reading its socket; 0 = 4 MiB,
    #: negative = no bound.
    receive_backlog_bytes: int = 0
    #: Accept an http:// doh_url. For tests only: plain-HTTP answers can be
    #: forged on the path. False: doh_url must be https.
    doh_allow_http: bool = False
    #: Mars's connect verification: a raced long-link candidate must answer a
    #: noop before it can win (mars_stn_config.verify_connect).
    verify_connect: bool = False

    def to_c(self, lib: Any, keep: list[Any]) -> S.StnConfig:
        """The C struct for mars_stn_create; keep holds what its pointers point at (internal to the binding)."""
        c, _ = S.init_struct(lib.mars_stn_config_init, S.StnConfig)
        c.client_version = check_int("client_version", self.client_version, (0, 2**32 - 1))
        c.longlink_host = encode("longlink_host", self.longlink_host)
        c.longlink_ports, c.longlink_ports_len = kept_ports(self.longlink_ports, keep)
        c.longlink_debug_ip = encode("longlink_debug_ip", self.longlink_debug_ip)
        c.shortlink_port = check_int("shortlink_port", self.shortlink_port, (0, 65535))
        c.shortlink_debug_ip = encode("shortlink_debug_ip", self.shortlink_debug_ip)
        c.app_file_dir = encode("app_file_dir", self.app_file_dir)
        if self.network_type:
            c.network_type = check_int("network_type", int(self.network_type), _INT32)
        c.network_label = encode("network_label", self.network_label)
        for name in _TIMING_FIELDS:
            value = getattr(self, name)
            if value:
                setattr(c, name, check_int(name, value, _INT64))
        if self.min_rate:
            c.min_rate = check_int("min_rate", self.min_rate, _INT32)
        if self.log is not None:
            c.log = self.log.handle
        c.poll_events = 1 if self.poll_events and _lib.has_feature(lib, "poll") else 0
        self._connect_to_c(c)
        link_tls_proxy_to_c(self, c, keep)
        self._shortlink_tls_to_c(c, keep)
        c.heartbeat_mode = check_int("heartbeat_mode", int(self.heartbeat_mode), _INT32)
        c.timing_sync = 1 if self.timing_sync else 0
        c.doh_url = encode("doh_url", self.doh_url)
        c.doh_allow_http = 1 if self.doh_allow_http else 0
        c.verify_connect = 1 if self.verify_connect else 0
        self._netcheck_to_c(c)
        if self.receive_backlog_bytes:
            c.receive_backlog_bytes = check_int("receive_backlog_bytes", self.receive_backlog_bytes, _INT64)
        return c

    def _netcheck_to_c(self, c: S.StnConfig) -> None:
        c.netcheck_cgi = encode("netcheck_cgi", self.netcheck_cgi)
        c.netcheck_off = 1 if self.netcheck_off else 0
        for name in ("netcheck_window", "netcheck_bad_below", "netcheck_good_above"):
            if getattr(self, name):
                setattr(c, name, check_int(name, getattr(self, name), _INT32))

    def _connect_to_c(self, c: S.StnConfig) -> None:
        if self.max_connecting:
            c.max_connecting = check_int("max_connecting", self.max_connecting, _INT32)
        if self.max_in_flight:
            c.max_in_flight = check_int("max_in_flight", self.max_in_flight, _INT32)
        if self.max_packet_size:
            c.max_packet_size = check_int("max_packet_size", self.max_packet_size, (0, 2**32 - 1))
        c.exact_mars_timing = 1 if self.exact_mars_timing else 0
        c.no_mss_clamp = 1 if self.no_mss_clamp else 0

    def _shortlink_tls_to_c(self, c: S.StnConfig, keep: list[Any]) -> None:
        c.shortlink_tls = 1 if self.shortlink_tls else 0
        c.shortlink_tls_server_name = encode("shortlink_tls_server_name", self.shortlink_tls_server_name)
        c.shortlink_tls_root_ca_pem = encode("shortlink_tls_root_ca_pem", self.shortlink_tls_root_ca_pem)
        c.shortlink_tls_pinned_spki_sha256, c.shortlink_tls_pinned_spki_len = _pins(
            "shortlink_tls_pinned_spki_sha256", self.shortlink_tls_pinned_spki_sha256, keep
        )


def link_tls_proxy_to_c(link: Any, c: Any, keep: list[Any]) -> None:
    """The TLS and proxy fields a long link has under the same names in
    mars_stn_config and mars_longlink_config, from link (a StnConfig or a
    LongLinkConfig) into c."""
    c.tls = 1 if link.tls else 0
    c.tls_server_name = encode("tls_server_name", link.tls_server_name)
    c.tls_root_ca_pem = encode("tls_root_ca_pem", link.tls_root_ca_pem)
    c.tls_pinned_spki_sha256, c.tls_pinned_spki_len = _pins("tls_pinned_spki_sha256", link.tls_pinned_spki_sha256, keep)
    c.proxy_kind = check_int("proxy_kind", int(link.proxy_kind), _INT32)
    c.proxy_addr = encode("proxy_addr", link.proxy_addr)
    c.proxy_user = encode("proxy_user", link.proxy_user)
    c.proxy_password = encode("proxy_password", link.proxy_password)


def _pins(name: str, pins: Sequence[bytes], keep: list[Any]) -> tuple[Any, int]:
    """SHA-256 pins as one flat uint8_t array (kept in keep) and their count."""
    pins = list(pins)
    if any(not isinstance(p, bytes) or len(p) != 32 for p in pins):
        raise InvalidArgument(Result.EINVAL, name, "each pin is 32 bytes (SHA-256)")
    if not pins:
        return None, 0
    flat = (ctypes.c_uint8 * (32 * len(pins))).from_buffer_copy(b"".join(pins))
    keep.append(flat)
    return ctypes.cast(flat, ctypes.POINTER(ctypes.c_uint8)), len(pins)


def ports_array(ports: Sequence[int]) -> Any:
    """A C uint16_t array of checked port numbers."""
    checked = [check_int("port", p, (0, 65535)) for p in ports]
    return (ctypes.c_uint16 * len(checked))(*checked)


def kept_ports(ports: Sequence[int], keep: list[Any]) -> tuple[Any, int]:
    """ports as a C array (kept in keep) and its length; (None, 0) when empty."""
    if not ports:
        return None, 0
    arr = ports_array(ports)
    keep.append(arr)
    return arr, len(arr)
