"""Proxies named per connect (Callbacks.get_proxy_info, Mars's GetProxyInfo),
the proxy check (mars_proxy_is_available, Mars's ProxyIsAvailable) and the
DNS lookup reports (Callbacks.report_dns_profile, Mars's ReportDnsProfile)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

from . import _lib
from . import _structs as S
from .constants import Proxy, Result
from .errors import _check, error_for, read_errmsg
from .task import _INT32, check_int, encode


@dataclass(frozen=True)
class ProxyInfo:
    """A proxy (mars_proxy_info). kind Proxy.NONE, returned from
    get_proxy_info, means "connect directly"."""

    kind: Proxy = Proxy.NONE
    addr: str = ""  # "host:port"
    user: str = ""
    password: str = ""

    def fill(self, out: S.ProxyInfo) -> None:
        """Writes this proxy into a library-initialised struct (internal).
        Raises ValueError for a string that does not fit."""
        out.kind = check_int("kind", int(self.kind), _INT32)
        for name in ("addr", "user", "password"):
            b = encode(name, getattr(self, name)) or b""
            if len(b) > _room(name):
                raise ValueError(f"ProxyInfo.{name} is longer than mars_proxy_info holds")
            setattr(out, name, b)


def _room(name: str) -> int:
    """The bytes a mars_proxy_info string field holds before its NUL."""
    return int(getattr(S.ProxyInfo, name).size) - 1


@dataclass(frozen=True)
class ProxyCheck:
    """mars_proxy_is_available's answer; true when available. err_code is 0
    then, else ErrType SOCKET's proxy codes (-10097..-10099) for the proxy's
    own failure, the HTTP status of another answer, or -1."""

    available: bool
    err_code: int

    def __bool__(self) -> bool:
        return self.available


def proxy_is_available(proxy: ProxyInfo, test_host: str, test_port: int = 0, timeout_ms: int = 0) -> ProxyCheck:
    """Mars's ProxyIsAvailable: a GET / to test_host:test_port (0: 80)
    through proxy; available on status 200, 3xx or 497. Blocks up to
    timeout_ms (0: 10 s); never call it from an Stn callback.

    Raises:
        InvalidArgument: proxy unusable (kind NONE or unknown, addr not
            host:port, credentials its protocol cannot carry), a bad port.
        Unsupported: a libmars without it. ValueError: a string too long.
    """
    lib = _lib.lib()
    if not _lib.has_feature(lib, "proxy_info"):
        raise error_for(Result.EUNSUPPORTED, "mars_proxy_is_available", "this libmars has no proxy check")
    p = S.ProxyInfo(struct_size=ctypes.sizeof(S.ProxyInfo))  # not mars_proxy_info_init: a newer sizeof
    proxy.fill(p)
    available, code = ctypes.c_int(), ctypes.c_int()
    rc = lib.mars_proxy_is_available(
        ctypes.byref(p),
        encode("test_host", test_host),
        check_int("test_port", test_port, (0, 65535)),
        check_int("timeout_ms", timeout_ms, (0, 2**31 - 1)),
        ctypes.byref(available),
        ctypes.byref(code),
    )
    _check(rc, "mars_proxy_is_available", lambda: read_errmsg(lib.mars_stn_errmsg, None))
    return ProxyCheck(bool(available.value), code.value)


@dataclass(frozen=True)
class DnsProfile:
    """One DNS lookup behind a link's connect candidates (mars_dns_profile).
    source is a DnsSource; err_type/err_code are 0 when it answered, else
    ErrType.LOCAL and -1 (Mars's), with error saying why."""

    host: str
    longlink: bool
    source: int
    ips: tuple[str, ...]
    start_ms: int
    cost_ms: int
    err_type: int
    err_code: int
    error: str

    @classmethod
    def from_c(cls, p: Any) -> DnsProfile:
        """Built from the struct the library handed over (internal)."""
        ips = tuple((p.ips[i] or b"").decode(errors="replace") for i in range(p.ip_count))
        return cls(
            (p.host or b"").decode(errors="replace"),
            bool(p.longlink),
            p.source,
            ips,
            p.start_ms,
            p.cost_ms,
            p.err_type,
            p.err_code,
            (p.error or b"").decode(errors="replace"),
        )
