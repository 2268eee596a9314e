"""ctypes mirrors of the structs in mars.h, field for field and in order.

mars.h is the contract: every struct starts with ``size_t struct_size`` and
only ever grows at the end, so these classes must match the header exactly;
tests/test_header.py compiles a C program that prints sizeof/offsetof from the
real header and compares.
"""

from __future__ import annotations

import struct
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    byref,
    c_char,
    c_char_p,
    c_int,
    c_int32,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
    sizeof,
)
from typing import Any, TypeVar

from .defaults import INIT_SLACK

_S = TypeVar("_S", bound=Structure)


class Buf(Structure):
    """mars_buf: a growable output buffer owned by the library."""

    _fields_ = [("data", POINTER(c_uint8)), ("len", c_size_t), ("cap", c_size_t)]


class StrList(Structure):
    """mars_str_list: a list of strings a callback fills (on_new_dns)."""

    _fields_ = [("items", POINTER(c_char_p)), ("len", c_size_t), ("cap", c_size_t)]


#: mars_task_ref's fields, which mars_task_end starts with too.
_TASK_REF_FIELDS = [
    ("struct_size", c_size_t),
    ("taskid", c_uint32),
    ("cmdid", c_uint32),
    ("user_context", c_void_p),
    ("user_id", c_char_p),
    ("client_sequence_id", c_uint32),
]


class TaskRef(Structure):
    """mars_task_ref: which task a callback concerns."""

    _fields_ = _TASK_REF_FIELDS


class TaskProfile(Structure):
    """mars_task_profile: a task's statistics."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("taskid", c_uint32),
        ("cmdid", c_uint32),
        ("cgi", c_char_p),
        ("user_id", c_char_p),
        ("report_arg", c_char_p),
        ("channel", c_int32),
        ("attempts", c_int32),
        ("err_type", c_int32),
        ("err_code", c_int32),
        ("start_time_ms", c_int64),
        ("start_send_time_ms", c_int64),
        ("read_finish_time_ms", c_int64),
        ("end_time_ms", c_int64),
        ("send_bytes", c_int64),
        ("recv_bytes", c_int64),
        ("connect_ip", c_char_p),
        ("connect_port", c_int32),
        ("connect_start_ms", c_int64),
        ("connect_done_ms", c_int64),
        ("first_pkg_timeout_ms", c_int64),
        ("task_timeout_ms", c_int64),
        ("weak_network", c_int32),
        # "extension_buffers": only inside struct_size of a library that has it.
        ("resp_flags", c_int32),
        ("server_sequence_id", c_uint32),
    ]


class NetworkQuality(Structure):
    """mars_network_quality: the engine's estimate of the current network."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("level", c_int32),
        ("dynamic_timeout", c_int32),
        ("rtt_ms", c_int64),
        ("throughput", c_int64),
        ("weak_marked", c_int32),
    ]


class ProxyInfo(Structure):
    """mars_proxy_info: a proxy, its strings inside the struct."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("kind", c_int32),
        ("addr", c_char * 264),
        ("user", c_char * 256),
        ("password", c_char * 256),
    ]


class DnsProfile(Structure):
    """mars_dns_profile: one lookup, handed to report_dns_profile."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("host", c_char_p),
        ("longlink", c_int32),
        ("source", c_int32),
        ("ips", POINTER(c_char_p)),
        ("ip_count", c_size_t),
        ("start_ms", c_int64),
        ("cost_ms", c_int64),
        ("err_type", c_int32),
        ("err_code", c_int32),
        ("error", c_char_p),
    ]


class TaskEnd(Structure):
    """mars_task_end: a task's end as mars_stn_poll_task_ends returns it."""

    _fields_ = _TASK_REF_FIELDS + [
        ("err_type", c_int32),
        ("err_code", c_int32),
        ("body", c_void_p),
        ("body_len", c_size_t),
        ("profile", POINTER(TaskProfile)),
    ]


# Callback types of mars_stn_callbacks. Byte pointers are c_void_p so that
# ctypes does not copy them; the dispatcher reads exactly len bytes.
REQ2BUF = CFUNCTYPE(c_int, c_void_p, POINTER(TaskRef), c_int, c_char_p, POINTER(Buf), POINTER(c_int))
BUF2RESP = CFUNCTYPE(c_int, c_void_p, POINTER(TaskRef), c_int, c_void_p, c_size_t, POINTER(c_int))
ON_TASK_END = CFUNCTYPE(c_int, c_void_p, POINTER(TaskRef), c_int, c_int, POINTER(TaskProfile))
ON_PUSH = CFUNCTYPE(None, c_void_p, c_char_p, c_uint32, c_uint32, c_void_p, c_size_t)
ON_NEW_DNS = CFUNCTYPE(None, c_void_p, c_char_p, c_int, POINTER(StrList))
MAKESURE_AUTHED = CFUNCTYPE(c_int, c_void_p, c_char_p, c_char_p)
REPORT_CONNECT_STATUS = CFUNCTYPE(None, c_void_p, c_int, c_int)
ON_LONGLINK_STATUS_CHANGE = CFUNCTYPE(None, c_void_p, c_int)
ON_LONGLINK_NETWORK_ERROR = CFUNCTYPE(None, c_void_p, c_int, c_int, c_char_p, c_int)
GET_IDENTIFY_CHECK_BUFFER = CFUNCTYPE(c_int, c_void_p, c_char_p, POINTER(Buf), POINTER(Buf), POINTER(c_uint32))
ON_IDENTIFY_RESPONSE = CFUNCTYPE(c_int, c_void_p, c_char_p, c_void_p, c_size_t, c_void_p, c_size_t)
TRAFFIC_DATA = CFUNCTYPE(None, c_void_p, c_int64, c_int64)
REPORT_TASK_PROFILE = CFUNCTYPE(None, c_void_p, POINTER(TaskProfile))
REPORT_TASK_LIMITED = CFUNCTYPE(None, c_void_p, c_int, POINTER(TaskRef), c_int)
REQUEST_SYNC = CFUNCTYPE(None, c_void_p)
ON_NETWORK_QUALITY_CHANGE = CFUNCTYPE(None, c_void_p, POINTER(NetworkQuality))
IS_LOGONED = CFUNCTYPE(c_int, c_void_p)
REQUEST_NETCHECK_HOSTS = CFUNCTYPE(None, c_void_p, POINTER(StrList))
ON_NETCHECK_RESULT = CFUNCTYPE(None, c_void_p, c_void_p, c_size_t)
ON_TASK_END_RESP = CFUNCTYPE(
    c_int, c_void_p, POINTER(TaskRef), c_int, c_int, POINTER(TaskProfile), c_void_p, c_size_t
)
ON_LONGLINK_STATUS_CHANGE_OF = CFUNCTYPE(None, c_void_p, c_char_p, c_int)
ON_LONGLINK_NETWORK_ERROR_OF = CFUNCTYPE(None, c_void_p, c_char_p, c_int, c_int, c_char_p, c_int)
ON_LONGLINK_NEW_DNS = CFUNCTYPE(None, c_void_p, c_char_p, c_char_p, POINTER(StrList))
REQ2BUF_EXT = CFUNCTYPE(
    c_int, c_void_p, POINTER(TaskRef), c_int, c_char_p, POINTER(Buf), POINTER(Buf), POINTER(c_int)
)
BUF2RESP_EXT = CFUNCTYPE(
    c_int, c_void_p, POINTER(TaskRef), c_int, c_void_p, c_size_t, c_void_p, c_size_t,
    POINTER(c_int), POINTER(c_int), POINTER(c_uint32),
)
ON_PUSH_EXT = CFUNCTYPE(None, c_void_p, c_char_p, c_uint32, c_uint32, c_void_p, c_size_t, c_void_p, c_size_t)
GET_PROXY_INFO = CFUNCTYPE(c_int, c_void_p, c_char_p, c_int, POINTER(ProxyInfo))
REPORT_DNS_PROFILE = CFUNCTYPE(None, c_void_p, POINTER(DnsProfile))

#: Callback slot name -> ctypes function type, in mars_stn_callbacks order.
CALLBACK_TYPES: dict[str, Any] = {
    "req2buf": REQ2BUF,
    "buf2resp": BUF2RESP,
    "on_task_end": ON_TASK_END,
    "on_push": ON_PUSH,
    "on_new_dns": ON_NEW_DNS,
    "makesure_authed": MAKESURE_AUTHED,
    "report_connect_status": REPORT_CONNECT_STATUS,
    "on_longlink_status_change": ON_LONGLINK_STATUS_CHANGE,
    "on_longlink_network_error": ON_LONGLINK_NETWORK_ERROR,
    "get_identify_check_buffer": GET_IDENTIFY_CHECK_BUFFER,
    "on_identify_response": ON_IDENTIFY_RESPONSE,
    "traffic_data": TRAFFIC_DATA,
    "report_task_profile": REPORT_TASK_PROFILE,
    "report_task_limited": REPORT_TASK_LIMITED,
    "request_sync": REQUEST_SYNC,
    "on_network_quality_change": ON_NETWORK_QUALITY_CHANGE,
    "is_logoned": IS_LOGONED,
    "request_netcheck_hosts": REQUEST_NETCHECK_HOSTS,
    "on_netcheck_result": ON_NETCHECK_RESULT,
    "on_shortlink_network_error": ON_LONGLINK_NETWORK_ERROR,
    "on_task_end_resp": ON_TASK_END_RESP,
    "on_longlink_status_change_of": ON_LONGLINK_STATUS_CHANGE_OF,
    "on_longlink_network_error_of": ON_LONGLINK_NETWORK_ERROR_OF,
    "on_longlink_new_dns": ON_LONGLINK_NEW_DNS,
    # Mars's extension buffers: mirrored for the layout; a Python host has
    # no codec to frame them (LonglinkCodec below), so the binding sets none.
    "req2buf_ext": REQ2BUF_EXT,
    "buf2resp_ext": BUF2RESP_EXT,
    "on_push_ext": ON_PUSH_EXT,
    "get_proxy_info": GET_PROXY_INFO,
    "report_dns_profile": REPORT_DNS_PROFILE,
}


class StnCallbacks(Structure):
    """mars_stn_callbacks: the callback table."""

    _fields_ = [("struct_size", c_size_t), ("user_data", c_void_p), *CALLBACK_TYPES.items()]


class LonglinkCodec(Structure):
    """mars_longlink_codec: a host packet format. Not offered by this binding
    (its callbacks run concurrently on library threads, a poor fit for
    Python); mirrored so the layout test covers every public struct."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("user_data", c_void_p),
        ("pack", c_void_p),
        ("unpack", c_void_p),
        ("noop", c_void_p),
        ("is_noop_response", c_void_p),
        ("is_push", c_void_p),
        ("is_identify_response", c_void_p),
        ("pack_ext", c_void_p),
        ("unpack_ext", c_void_p),
        ("identify", c_void_p),
    ]


class StnConfig(Structure):
    """mars_stn_config: engine configuration."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("client_version", c_uint32),
        ("longlink_host", c_char_p),
        ("longlink_ports", POINTER(c_uint16)),
        ("longlink_ports_len", c_size_t),
        ("longlink_debug_ip", c_char_p),
        ("shortlink_port", c_uint16),
        ("shortlink_debug_ip", c_char_p),
        ("app_file_dir", c_char_p),
        ("network_type", c_int32),
        ("network_label", c_char_p),
        ("heartbeat_interval_ms", c_int64),
        ("noop_timeout_ms", c_int64),
        ("noop_timeout_late_ms", c_int64),
        ("noop_late_threshold_ms", c_int64),
        ("connect_timeout_ms", c_int64),
        ("task_connect_interval_ms", c_int64),
        ("auto_connect_interval_ms", c_int64),
        ("reconnect_delay_ms", c_int64),
        ("new_dns_timeout_ms", c_int64),
        ("retry_interval_ms", c_int64),
        ("auth_poll_interval_ms", c_int64),
        ("base_first_packet_timeout_ms", c_int64),
        ("max_first_packet_timeout_ms", c_int64),
        ("package_interval_ms", c_int64),
        ("task_delay_ms", c_int64),
        ("min_rate", c_int32),
        ("codec", POINTER(LonglinkCodec)),
        ("log", c_void_p),
        ("poll_events", c_int32),
        ("resolver_timeout_ms", c_int64),
        ("max_connecting", c_int32),
        ("connect_interval_ms", c_int64),
        ("min_connect_interval_ms", c_int64),
        ("exact_mars_timing", c_int32),
        ("no_mss_clamp", c_int32),
        ("tls", c_int32),
        ("tls_server_name", c_char_p),
        ("tls_root_ca_pem", c_char_p),
        ("tls_pinned_spki_sha256", POINTER(c_uint8)),
        ("tls_pinned_spki_len", c_size_t),
        ("proxy_kind", c_int32),
        ("proxy_addr", c_char_p),
        ("proxy_user", c_char_p),
        ("proxy_password", c_char_p),
        ("heartbeat_mode", c_int32),
        ("signalling_period_ms", c_int64),
        ("signalling_keep_time_ms", c_int64),
        ("timing_sync", c_int32),
        ("doh_url", c_char_p),
        ("shortlink_tls", c_int32),
        ("shortlink_tls_server_name", c_char_p),
        ("shortlink_tls_root_ca_pem", c_char_p),
        ("shortlink_tls_pinned_spki_sha256", POINTER(c_uint8)),
        ("shortlink_tls_pinned_spki_len", c_size_t),
        ("netcheck_cgi", c_char_p),
        ("netcheck_off", c_int32),
        ("netcheck_window", c_int32),
        ("netcheck_bad_below", c_int32),
        ("netcheck_good_above", c_int32),
        ("max_in_flight", c_int32),
        ("max_packet_size", c_uint32),
        ("receive_backlog_bytes", c_int64),
        ("doh_allow_http", c_int32),
        ("verify_connect", c_int32),
    ]


class Task(Structure):
    """mars_task: a request."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("taskid", c_uint32),
        ("cmdid", c_uint32),
        ("channel_select", c_int32),
        ("channel_strategy", c_int32),
        ("channel_name", c_char_p),
        ("cgi", c_char_p),
        ("send_only", c_int32),
        ("need_authed", c_int32),
        ("limit_flow", c_int32),
        ("limit_frequency", c_int32),
        ("network_status_sensitive", c_int32),
        ("priority", c_int32),
        ("retry_count", c_int32),
        ("server_process_cost_ms", c_int64),
        ("total_timeout_ms", c_int64),
        ("user_context", c_void_p),
        ("user_id", c_char_p),
        ("report_arg", c_char_p),
        ("shortlink_hosts", POINTER(c_char_p)),
        ("shortlink_hosts_len", c_size_t),
        ("longlink_hosts", POINTER(c_char_p)),
        ("longlink_hosts_len", c_size_t),
        ("header_names", POINTER(c_char_p)),
        ("header_values", POINTER(c_char_p)),
        ("headers_len", c_size_t),
        ("long_polling", c_int32),
        ("long_polling_timeout_ms", c_int64),
        # c_char_p: a bytes object is pointed at without a copy (ctypes keeps
        # it alive with the struct); b"" is a non-NULL, empty body.
        ("body", c_char_p),
        ("body_len", c_size_t),
        ("channel_id", c_uint64),
    ]


class LonglinkConfig(Structure):
    """mars_longlink_config: one named long link."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("name", c_char_p),
        ("host", c_char_p),
        ("ports", POINTER(c_uint16)),
        ("ports_len", c_size_t),
        ("debug_ip", c_char_p),
        ("backup_ips", POINTER(c_char_p)),
        ("backup_ips_len", c_size_t),
        ("client_version", c_uint32),
        ("tls", c_int32),
        ("tls_server_name", c_char_p),
        ("tls_root_ca_pem", c_char_p),
        ("tls_pinned_spki_sha256", POINTER(c_uint8)),
        ("tls_pinned_spki_len", c_size_t),
        ("proxy_kind", c_int32),
        ("proxy_addr", c_char_p),
        ("proxy_user", c_char_p),
        ("proxy_password", c_char_p),
        ("heartbeat_mode", c_int32),
        ("heartbeat_interval_ms", c_int64),
        ("identify_check", c_int32),
        ("keep_alive", c_int32),
        ("main", c_int32),
        ("codec", POINTER(LonglinkCodec)),  # never set: a Python host has no codec
    ]


class XlogConfig(Structure):
    """mars_xlog_config: appender configuration."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("mode", c_int32),
        ("log_dir", c_char_p),
        ("cache_dir", c_char_p),
        ("name_prefix", c_char_p),
        ("pub_key", c_char_p),
        ("compress_mode", c_int32),
        ("level", c_int32),
        ("max_file_size", c_int64),
        ("max_alive_time_ms", c_int64),
        ("cache_days", c_int32),
        ("console", c_int32),
        ("non_blocking", c_int32),
        ("max_block_wait_ms", c_int64),
        ("flush_interval_ms", c_int64),
        ("buffer_size", c_int32),
        ("compress_level", c_int32),
    ]


class XlogStats(Structure):
    """mars_xlog_stats: an appender's counters."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("lines_written", c_uint64),
        ("lines_dropped", c_uint64),
        ("lines_lost", c_uint64),
        ("blocked_waits", c_uint64),
        ("blocks", c_uint64),
        ("bytes_written", c_uint64),
        ("write_errors", c_uint64),
        ("mapped", c_int32),
        ("lines_truncated", c_uint64),
    ]


def init_struct(init: Any, cls: type[_S]) -> tuple[_S, int]:
    """A cls filled by the library's init function. Returns it with
    struct_size set to this binding's sizeof (the library reads only fields
    that fit), and the size the library reported.

    Where the library has init's *_init_sized sibling, that fills exactly
    sizeof(cls) bytes. Older libraries only have init, which writes the
    library's own sizeof, so it gets INIT_SLACK spare bytes behind the struct.
    """
    from . import _lib  # _lib imports this module

    name = getattr(init, "__name__", "") + "_sized"
    lib = _lib.lib()
    if name in _lib.OPTIONAL and _lib.has(lib, name):
        obj = cls()
        rc = getattr(lib, name)(byref(obj), sizeof(cls))
        if rc != 0:
            raise RuntimeError(f"{name} returned {rc}")
        return obj, int(obj.struct_size)
    buf = (c_uint8 * (sizeof(cls) + INIT_SLACK))()
    obj = cls.from_buffer(buf)
    rc = init(byref(obj))
    if rc != 0:
        raise RuntimeError(f"{init.__name__} returned {rc}")
    lib_size = int(obj.struct_size)
    obj.struct_size = sizeof(cls)
    return obj, lib_size


#: Every public struct, by its C name (the layout test walks this).
PUBLIC_STRUCTS: dict[str, type[Structure]] = {
    "mars_buf": Buf,
    "mars_str_list": StrList,
    "mars_task_ref": TaskRef,
    "mars_task_profile": TaskProfile,
    "mars_stn_callbacks": StnCallbacks,
    "mars_longlink_codec": LonglinkCodec,
    "mars_stn_config": StnConfig,
    "mars_task": Task,
    "mars_xlog_config": XlogConfig,
    "mars_xlog_stats": XlogStats,
    "mars_network_quality": NetworkQuality,
    "mars_longlink_config": LonglinkConfig,
    "mars_proxy_info": ProxyInfo,
    "mars_dns_profile": DnsProfile,
    "mars_task_end": TaskEnd,
}


def unpacker(cls: type[Structure], names: tuple[str, ...] | None = None) -> struct.Struct:
    """A struct.Struct reading cls's fields named in names (all if None), in
    field order, from a buffer holding a cls: one C call instead of a
    ctypes attribute read per field. Pointers come back as integers (0 for
    NULL). The format spans sizeof(cls), so iter_unpack steps over an array."""
    fmt, at = "@", 0
    for name, ctype, *_ in cls._fields_:
        if names is not None and name not in names:
            continue
        off = getattr(cls, name).offset
        kind = getattr(ctype, "_type_", None)  # a struct code, except for pointers
        code = kind if isinstance(kind, str) and not issubclass(ctype, (c_char_p, c_void_p)) else "P"
        fmt += f"{off - at}x{code}"
        at = off + sizeof(ctype)
        if struct.calcsize(fmt) != at:  # native alignment padded where C did not: never seen
            raise AssertionError(f"{cls.__name__}.{name}: struct format {fmt} misplaces it")
    fmt += f"{sizeof(cls) - at}x"
    return struct.Struct(fmt)
