"""Loads libmars once, checks its major version and declares every signature.

Search order: the MARS_LIBRARY environment variable, the package folder
(where the mars-go wheel puts its libmars.so.0), then the system loader. The
library is opened with ctypes.CDLL, which releases the GIL during every
call; ctypes.PyDLL would deadlock as soon as a library thread calls back
into Python while the caller waits.

What an optional function needs is asked of the library (mars_has_feature),
never probed in its symbol table.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from ctypes import POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint16, c_uint32, c_uint64, c_void_p
from pathlib import Path
from typing import Any

from . import _structs as S
from .defaults import EXPECTED_MAJOR, FEATURE_QUERY, FEATURE_QUERY_SINCE, LIBRARY_NAMES

_u8p = POINTER(ctypes.c_uint8)

#: name -> (restype, argtypes) for every function mars.h declares. The symbol
#: test compares these names with the header's function list.
SIGNATURES: dict[str, tuple[object, list[object]]] = {
    "mars_version": (c_char_p, []),
    "mars_version_number": (c_int, []),
    "mars_errstr": (c_char_p, [c_int]),
    "mars_buf_append": (c_int, [POINTER(S.Buf), c_void_p, c_size_t]),
    "mars_buf_reserve": (c_int, [POINTER(S.Buf), c_size_t, POINTER(_u8p)]),
    "mars_buf_commit": (c_int, [POINTER(S.Buf), c_size_t]),
    "mars_str_list_add": (c_int, [POINTER(S.StrList), c_char_p]),
    "mars_free": (None, [c_void_p]),
    "mars_stn_config_init": (c_int, [POINTER(S.StnConfig)]),
    "mars_stn_callbacks_init": (c_int, [POINTER(S.StnCallbacks)]),
    "mars_task_init": (c_int, [POINTER(S.Task)]),
    "mars_stn_create": (c_int, [POINTER(S.StnConfig), POINTER(S.StnCallbacks), POINTER(c_void_p)]),
    "mars_stn_destroy": (c_int, [c_void_p]),
    "mars_stn_errmsg": (c_int, [c_void_p, c_char_p, c_size_t]),
    "mars_stn_start_task": (c_int, [c_void_p, POINTER(S.Task), POINTER(c_uint32)]),
    "mars_stn_stop_task": (c_int, [c_void_p, c_uint32]),
    "mars_stn_has_task": (c_int, [c_void_p, c_uint32, POINTER(c_int)]),
    "mars_stn_redo_tasks": (c_int, [c_void_p]),
    "mars_stn_touch_tasks": (c_int, [c_void_p]),
    "mars_stn_clear_tasks": (c_int, [c_void_p]),
    "mars_stn_reset": (c_int, [c_void_p]),
    "mars_stn_set_client_version": (c_int, [c_void_p, c_uint32]),
    "mars_stn_reset_and_init_encoder_version": (c_int, [c_void_p, c_uint32]),
    "mars_stn_gen_sequence_id": (c_int, [POINTER(c_uint32)]),
    "mars_stn_makesure_longlink_connected": (c_int, [c_void_p]),
    "mars_stn_longlink_is_connected": (c_int, [c_void_p, POINTER(c_int)]),
    "mars_stn_set_longlink_svr_addr": (c_int, [c_void_p, c_char_p, POINTER(c_uint16), c_size_t, c_char_p]),
    "mars_stn_set_shortlink_svr_addr": (c_int, [c_void_p, c_uint16, c_char_p]),
    "mars_stn_set_debug_ip": (c_int, [c_void_p, c_char_p, c_char_p]),
    "mars_stn_set_backup_ips": (c_int, [c_void_p, c_char_p, POINTER(c_char_p), c_size_t]),
    "mars_stn_gen_task_id": (c_int, [c_void_p, POINTER(c_uint32)]),
    "mars_stn_on_foreground": (c_int, [c_void_p, c_int]),
    "mars_stn_set_account": (c_int, [c_void_p, c_char_p]),
    "mars_stn_on_network_change": (c_int, [c_void_p, c_int, c_char_p]),
    "mars_stn_poll": (c_int, [c_void_p, c_int64, POINTER(c_int)]),
    "mars_stn_poll_task_ends": (
        c_int,
        [c_void_p, c_int64, POINTER(S.TaskEnd), c_size_t, c_size_t, POINTER(c_size_t), POINTER(c_void_p)],
    ),
    "mars_stn_set_heartbeat_mode": (c_int, [c_void_p, c_int]),
    "mars_stn_trig_noop": (c_int, [c_void_p]),
    "mars_stn_heartbeat_interval": (c_int, [c_void_p, POINTER(c_int64)]),
    "mars_stn_network_quality": (c_int, [c_void_p, POINTER(S.NetworkQuality)]),
    "mars_stn_set_signalling_strategy": (c_int, [c_void_p, c_int64, c_int64]),
    "mars_stn_keep_signalling": (c_int, [c_void_p]),
    "mars_stn_stop_signalling": (c_int, [c_void_p]),
    "mars_stn_disable_longlink": (c_int, [c_void_p]),
    "mars_sdt_check": (c_int, [c_char_p, c_uint32, POINTER(c_void_p), POINTER(c_size_t)]),
    "mars_longlink_config_init": (c_int, [POINTER(S.LonglinkConfig)]),
    "mars_stn_create_longlink": (c_int, [c_void_p, POINTER(S.LonglinkConfig)]),
    "mars_stn_destroy_longlink": (c_int, [c_void_p, c_char_p]),
    "mars_stn_longlinks": (c_int, [c_void_p, POINTER(c_void_p), POINTER(c_size_t)]),
    "mars_stn_main_longlink": (c_int, [c_void_p, c_char_p, c_size_t]),
    "mars_stn_mark_main_longlink": (c_int, [c_void_p, c_char_p]),
    "mars_stn_named_longlink_is_connected": (c_int, [c_void_p, c_char_p, POINTER(c_int)]),
    "mars_stn_makesure_named_longlink_connected": (c_int, [c_void_p, c_char_p]),
    "mars_stn_longlink_connection_id": (c_int, [c_void_p, c_char_p, POINTER(c_uint64)]),
    "mars_proxy_info_init": (c_int, [POINTER(S.ProxyInfo)]),
    "mars_proxy_is_available": (
        c_int,
        [POINTER(S.ProxyInfo), c_char_p, c_int, c_int, POINTER(c_int), POINTER(c_int)],
    ),
    "mars_xlog_config_init": (c_int, [POINTER(S.XlogConfig)]),
    "mars_stn_config_init_sized": (c_int, [POINTER(S.StnConfig), c_size_t]),
    "mars_stn_callbacks_init_sized": (c_int, [POINTER(S.StnCallbacks), c_size_t]),
    "mars_task_init_sized": (c_int, [POINTER(S.Task), c_size_t]),
    "mars_xlog_config_init_sized": (c_int, [POINTER(S.XlogConfig), c_size_t]),
    "mars_longlink_config_init_sized": (c_int, [POINTER(S.LonglinkConfig), c_size_t]),
    "mars_proxy_info_init_sized": (c_int, [POINTER(S.ProxyInfo), c_size_t]),
    "mars_xlog_open": (c_int, [POINTER(S.XlogConfig), POINTER(c_void_p)]),
    "mars_xlog_close": (c_int, [c_void_p]),
    "mars_xlog_write": (c_int, [c_void_p, c_int, c_char_p, c_char_p, c_char_p, c_int, c_char_p]),
    "mars_xlog_flush": (c_int, [c_void_p, c_int]),
    "mars_xlog_set_level": (c_int, [c_void_p, c_int]),
    "mars_xlog_get_level": (c_int, [c_void_p, POINTER(c_int)]),
    "mars_xlog_set_console": (c_int, [c_void_p, c_int]),
    "mars_xlog_enabled": (c_int, [c_void_p, c_int]),
    # printf-style, for C callers; bound so the binding covers the header
    # (Python formats its own messages and calls mars_xlog_write).
    "mars_xlog_printf": (c_int, [c_void_p, c_int, c_char_p, c_char_p, c_char_p, c_int, c_char_p]),
    "mars_xlog_vprintf": (c_int, [c_void_p, c_int, c_char_p, c_char_p, c_char_p, c_int, c_char_p, c_void_p]),
    "mars_xlog_set_mode": (c_int, [c_void_p, c_int]),
    "mars_xlog_set_max_file_size": (c_int, [c_void_p, c_int64]),
    "mars_xlog_set_max_alive_time": (c_int, [c_void_p, c_int64]),
    "mars_xlog_get_stats": (c_int, [c_void_p, POINTER(S.XlogStats)]),
    "mars_xlog_errmsg": (c_int, [c_void_p, c_char_p, c_size_t]),
    "mars_xlog_decode_file": (c_int, [c_char_p, c_char_p, c_char_p]),
    "mars_xlog_decode": (c_int, [c_char_p, c_char_p, POINTER(c_void_p), POINTER(c_size_t)]),
    "mars_has_feature": (c_int, [c_char_p]),
}


#: Functions added within major 0 that an older libmars may lack, with the
#: mars_has_feature name that says the loaded library has them; the binding
#: works without them (no poll mode; sdt.check raises Unsupported).
OPTIONAL: dict[str, str] = {
    "mars_stn_poll": "poll",
    "mars_stn_poll_task_ends": "poll_task_ends",
    "mars_sdt_check": "sdt",
    "mars_proxy_info_init": "proxy_info",
    "mars_proxy_is_available": "proxy_info",
    "mars_stn_set_heartbeat_mode": "heartbeat_control",
    "mars_stn_trig_noop": "heartbeat_control",
    "mars_stn_heartbeat_interval": "heartbeat_control",
    "mars_stn_network_quality": "network_quality",
    "mars_stn_set_account": "account",
    "mars_xlog_set_mode": "xlog_settings",
    "mars_xlog_set_max_file_size": "xlog_settings",
    "mars_xlog_set_max_alive_time": "xlog_settings",
    "mars_stn_config_init_sized": "init_sized",
    "mars_stn_callbacks_init_sized": "init_sized",
    "mars_task_init_sized": "init_sized",
    "mars_longlink_config_init_sized": "longlinks",
    "mars_proxy_info_init_sized": "proxy_info",
    "mars_xlog_config_init_sized": "init_sized",
    "mars_xlog_enabled": "xlog_printf",
    "mars_xlog_printf": "xlog_printf",
    "mars_xlog_vprintf": "xlog_printf",
    "mars_stn_disable_longlink": "disable_longlink",
    "mars_has_feature": FEATURE_QUERY,
    "mars_longlink_config_init": "longlinks",
    "mars_stn_create_longlink": "longlinks",
    "mars_stn_destroy_longlink": "longlinks",
    "mars_stn_longlinks": "longlinks",
    "mars_stn_main_longlink": "longlinks",
    "mars_stn_mark_main_longlink": "longlinks",
    "mars_stn_named_longlink_is_connected": "longlinks",
    "mars_stn_makesure_named_longlink_connected": "longlinks",
    "mars_stn_set_client_version": "client_version_live",
    "mars_stn_reset_and_init_encoder_version": "client_version_live",
    "mars_stn_gen_sequence_id": "gen_sequence_id",
    "mars_stn_longlink_connection_id": "channel_id",
}


class LibraryVersionError(ImportError):
    """The loaded libmars has a different major version than this binding."""


def check_version(number: int, expected_major: int = EXPECTED_MAJOR) -> None:
    """Raises LibraryVersionError unless number (X*1000000 + Y*1000 + Z) has
    the expected major X (mars.h "Version": majors are incompatible)."""
    if number < 0 or number // 1_000_000 != expected_major:
        raise LibraryVersionError(
            f"libmars version number {number} has major {number // 1_000_000}, "
            f"this binding needs major {expected_major}"
        )


def candidates() -> list[str]:
    """Paths and names tried, in order."""
    found: list[str] = []
    env = os.environ.get("MARS_LIBRARY")
    if env:
        found.append(env)
    here = Path(__file__).resolve().parent
    found += [str(here / n) for n in LIBRARY_NAMES if (here / n).exists()]
    system = ctypes.util.find_library("mars")
    if system:
        found.append(system)
    found += list(LIBRARY_NAMES)
    return found


def loaded_path() -> str:
    """The path (or name) the library was loaded from."""
    return str(lib()._name)


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in SIGNATURES.items():
        if name in OPTIONAL and not has(lib, name):
            continue
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


def keeping_the_gil(lib: Any, name: str) -> Any:
    """lib's function name, called without releasing the GIL (ctypes
    releases it around every CDLL call). Only for a call that never waits
    for another thread's Python code (mars_stn_start_task queues and
    returns): giving the GIL away and taking it back cost more than the
    call, when another thread (mars-poll) is waiting for it."""
    restype, argtypes = SIGNATURES[name]
    return ctypes.PYFUNCTYPE(restype, *argtypes)((name, lib))  # type: ignore[arg-type]


#: has_feature's answers for the loaded library, which never change: asked
#: on every task, they must not cost two calls into it each time.
_features: dict[str, bool] = {}


def has_feature(lib: Any, feature: str) -> bool:
    """Whether the loaded library has feature (a mars_has_feature name).
    A library older than mars_has_feature (before FEATURE_QUERY_SINCE) is
    taken to have none of the optional features."""
    if lib is not _lib or _lib is None:
        return _ask_feature(lib, feature)
    known = _features.get(feature)
    if known is None:
        known = _features[feature] = _ask_feature(lib, feature)
    return known


def _ask_feature(lib: Any, feature: str) -> bool:
    if int(lib.mars_version_number()) < FEATURE_QUERY_SINCE:
        return False
    if feature == FEATURE_QUERY:
        return True
    fn = lib.mars_has_feature
    fn.restype, fn.argtypes = SIGNATURES["mars_has_feature"]
    return bool(fn(feature.encode("ascii")))


def has(lib: Any, name: str) -> bool:
    """Whether the loaded library may be called at name: every function of
    the major, except an optional one whose feature the library lacks."""
    feature = OPTIONAL.get(name)
    return feature is None or has_feature(lib, feature)


def _open() -> ctypes.CDLL:
    errors: list[str] = []
    env = os.environ.get("MARS_LIBRARY")
    for path in candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            if env and path == env:
                raise ImportError(f"MARS_LIBRARY={env!r} cannot be loaded: {e}") from e
            errors.append(f"{path}: {e}")
            continue
        lib.mars_version_number.restype = c_int
        lib.mars_version_number.argtypes = []
        check_version(lib.mars_version_number())
        _declare(lib)
        return lib
    raise ImportError(
        "libmars not found: install the platform wheel of mars-go (it carries the library), "
        "or set MARS_LIBRARY to a libmars.so. Tried: " + "; ".join(errors)
    )


_lock = threading.Lock()
_lib: ctypes.CDLL | None = None
_loaded_by = 0  # the pid that loaded the library (and started its Go runtime)


_forked = False  # set in a child forked after the library was loaded


def _after_fork_in_child() -> None:
    global _forked
    _forked = _lib is not None


if hasattr(os, "register_at_fork"):  # every POSIX Python; Windows has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


def forked() -> bool:
    """Whether this process is a fork of the one that loaded the library: a
    flag set at fork, not os.getpid() per call (every task start asks)."""
    return _forked


def check_not_forked() -> None:
    """Raises ForkedChild in a forked child: a call into the library there
    could hang forever."""
    if forked():
        from .errors import ForkedChild

        raise ForkedChild(_loaded_by)


def lib() -> ctypes.CDLL:
    """The loaded library (loaded on first use, exactly once). Raises
    ForkedChild in a child forked after the library was loaded."""
    global _lib, _loaded_by
    if _lib is None:
        with _lock:
            if _lib is None:
                _loaded_by = os.getpid()
                _lib = _open()
    check_not_forked()
    return _lib
