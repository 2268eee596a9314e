"""LongLinkConfig: one named long link (mars_longlink_config), for
Stn.create_longlink."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import _structs as S
from .config import kept_ports, link_tls_proxy_to_c
from .task import _INT32, _INT64, c_strings, check_int, encode


@dataclass
class LongLinkConfig:
    """A named long link (Mars's LonglinkConfig). A field left 0/None/empty
    takes the engine's value (its StnConfig), except where it says
    otherwise; mars.h's mars_longlink_config has each field's rules."""

    #: Required, unique per engine; Task.channel_name picks the link.
    name: str
    #: The link's server; None: the engine's long-link host (and debug IP).
    host: str | None = None
    #: Tried in order; empty: the engine's ports. At most 64.
    ports: Sequence[int] = ()
    #: Connect here instead of resolving host.
    debug_ip: str | None = None
    #: The host's fallback IPs. At most 64.
    backup_ips: Sequence[str] = ()
    #: 0: the engine's (and its codec).
    client_version: int = 0
    #: TLS 1.3 on this link; False: the engine's setting (a link cannot turn it off).
    tls: bool = False
    tls_server_name: str | None = None
    tls_root_ca_pem: str | None = None
    tls_pinned_spki_sha256: Sequence[bytes] = ()
    #: Proxy.HTTP or Proxy.SOCKS5; Proxy.NONE (0): the engine's proxy.
    proxy_kind: int = 0
    proxy_addr: str | None = None
    proxy_user: str | None = None
    proxy_password: str | None = None
    #: Heartbeat.FIXED (default), SMART or PASSIVE: used as given, not the engine's.
    heartbeat_mode: int = 0
    #: 0: the engine's; negative: no periodic heartbeat.
    heartbeat_interval_ms: int = 0
    #: Ask Callbacks.get_identify_check_buffer (with this name) on each connection.
    identify_check: bool = True
    #: Mars's is_keep_alive: kept connected in the foreground and reconnected
    #: after a drop; False: connects only for tasks or makesure_longlink_connected.
    keep_alive: bool = True
    #: Becomes the main link at once.
    main: bool = False

    def to_c(self, lib: Any, keep: list[Any]) -> S.LonglinkConfig:
        """The C struct for mars_stn_create_longlink; keep holds what its pointers point at."""
        c, _ = S.init_struct(lib.mars_longlink_config_init, S.LonglinkConfig)
        c.name = encode("name", self.name)
        c.host = encode("host", self.host)
        c.ports, c.ports_len = kept_ports(self.ports, keep)
        c.debug_ip = encode("debug_ip", self.debug_ip)
        c.backup_ips, c.backup_ips_len = c_strings("backup_ips", self.backup_ips, keep)
        c.client_version = check_int("client_version", self.client_version, (0, 2**32 - 1))
        link_tls_proxy_to_c(self, c, keep)
        c.heartbeat_mode = check_int("heartbeat_mode", int(self.heartbeat_mode), _INT32)
        c.heartbeat_interval_ms = check_int("heartbeat_interval_ms", self.heartbeat_interval_ms, _INT64)
        c.identify_check = 1 if self.identify_check else 0
        c.keep_alive = 1 if self.keep_alive else 0
        c.main = 1 if self.main else 0
        return c
