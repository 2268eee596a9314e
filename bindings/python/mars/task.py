"""Tasks and what callbacks report about them, as plain dataclasses.

Task mirrors mars_task with Pythonic names and Mars's defaults (mars_task_init);
it also carries the request body (handed to the library in mars_task.body, or
sent by the binding's req2buf when Callbacks override it or the library is
older) and a context object handed back in every TaskRef.
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from . import _structs as S
from .constants import Channel, ChannelStrategy, ErrType, Result
from .errors import InvalidArgument, TaskError

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_UINT32 = (0, 2**32 - 1)


@dataclass
class Task:
    """A request (mars_task). Defaults are Mars's (mars_task_init)."""

    cmdid: int = 0
    body: bytes = b""
    channel: int = Channel.BOTH
    strategy: int = ChannelStrategy.NORMAL
    channel_name: str | None = None
    cgi: str | None = None
    send_only: bool = False
    need_authed: bool = False
    limit_flow: bool = True
    limit_frequency: bool = True
    network_status_sensitive: bool = False
    priority: int = 3
    retry_count: int = -1
    server_process_cost_ms: int = -1
    total_timeout_ms: int = -1
    user_id: str = ""
    report_arg: str = ""
    shortlink_hosts: Sequence[str] = ()
    longlink_hosts: Sequence[str] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    taskid: int = 0
    context: Any = None
    #: Short-link long polling: the server may hold the request up to
    #: long_polling_timeout_ms (required, 1..600000, with long_polling).
    long_polling: bool = False
    long_polling_timeout_ms: int = 0


@dataclass(frozen=True)
class TaskRef:
    """Which task a callback concerns (mars_task_ref). task is the Task that
    was started through this binding, or None if unknown."""

    taskid: int
    cmdid: int
    user_id: str
    client_sequence_id: int
    task: Task | None = None

    @property
    def context(self) -> Any:
        """The context object of the Task this reference was started from (None if unknown)."""
        return self.task.context if self.task is not None else None


@dataclass(frozen=True)
class TaskProfile:
    """A task's statistics (mars_task_profile); times in Unix ms, 0 = never."""

    taskid: int = 0
    cmdid: int = 0
    cgi: str = ""
    user_id: str = ""
    report_arg: str = ""
    channel: int = 0
    attempts: int = 0
    err_type: int = 0
    err_code: int = 0
    start_time_ms: int = 0
    start_send_time_ms: int = 0
    read_finish_time_ms: int = 0
    end_time_ms: int = 0
    send_bytes: int = 0
    recv_bytes: int = 0
    connect_ip: str = ""
    connect_port: int = 0
    connect_start_ms: int = 0
    connect_done_ms: int = 0
    first_pkg_timeout_ms: int = 0
    task_timeout_ms: int = 0
    weak_network: int = 0

    @classmethod
    def from_c(cls, p: S.TaskProfile) -> TaskProfile:
        """Built from the C struct the library filled (internal to the binding)."""
        values: dict[str, Any] = {}
        for name in _PROFILE_FIELDS:
            v = getattr(p, name)
            values[name] = v.decode(errors="replace") if isinstance(v, bytes) else (v if v is not None else "")
        return cls(**values)


_PROFILE_FIELDS = tuple(f.name for f in fields(TaskProfile))


@dataclass(frozen=True)
class TaskResult:
    """A task's outcome: Mars's err_type/err_code, the response body of the
    task's latest attempt (None if it got none, or with
    Stn(response_bodies=False)) and the profile."""

    taskid: int
    err_type: int
    err_code: int
    body: bytes | None
    profile: TaskProfile

    @property
    def ok(self) -> bool:
        """Whether the task succeeded (err_type OK)."""
        return self.err_type == ErrType.OK

    def raise_for_error(self) -> TaskResult:
        """Raises TaskError unless the task succeeded; returns self."""
        if not self.ok:
            raise TaskError(self.taskid, self.err_type, self.err_code, self.profile)
        return self


@dataclass(frozen=True)
class NetworkQuality:
    """The engine's network estimate (mars_network_quality): level is a
    Quality, dynamic_timeout a DynamicTimeout; 0 = no sample yet."""

    level: int = 0
    dynamic_timeout: int = 0
    rtt_ms: int = 0
    throughput: int = 0
    weak_marked: bool = False

    @classmethod
    def from_c(cls, q: S.NetworkQuality) -> NetworkQuality:
        """Built from the C struct the library filled (internal to the binding)."""
        return cls(q.level, q.dynamic_timeout, q.rtt_ms, q.throughput, bool(q.weak_marked))


@dataclass(frozen=True)
class Push:
    """A server push (on_push)."""

    channel: str
    cmdid: int
    taskid: int
    body: bytes


def check_int(name: str, value: Any, bounds: tuple[int, int]) -> int:
    """value as an int within bounds; ctypes would truncate silently."""
    if type(value) is int and bounds[0] <= value <= bounds[1]:
        return value  # the common case, first
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not bounds[0] <= value <= bounds[1]:
        raise InvalidArgument(Result.EINVAL, name, f"{value} is out of range")
    return value


def _utf8(name: str, value: object) -> bytes:
    """value as UTF-8; an unpaired surrogate becomes U+FFFD (str.encode would
    raise). Pairs kept as two code points (\\ud83d\\ude00) are joined."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    try:
        return value.encode()
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode()


def encode(name: str, value: str | None) -> bytes | None:
    """A str as UTF-8 for the C API (None stays None). The rule for every
    string but log text: a NUL cannot pass a C string, so it is refused
    (InvalidArgument) rather than cut short; an unpaired surrogate becomes
    U+FFFD."""
    if value is None:
        return None
    b = _utf8(name, value)
    if b"\0" in b:
        raise InvalidArgument(Result.EINVAL, name, "contains a NUL character")
    return b


def encode_text(name: str, value: str | None) -> bytes | None:
    """Log text (message, tag, file, function) as UTF-8: like encode, but a
    NUL becomes U+2400 (\u2400) so the line keeps everything after it."""
    if value is None:
        return None
    return _utf8(name, value).replace(b"\0", "\u2400".encode())


def c_strings(name: str, values: Sequence[str], keep: list[Any]) -> tuple[Any, int]:
    """A C array of char* for values; the array is appended to keep."""
    if isinstance(values, str):
        raise TypeError(f"{name} must be a sequence of str, not a str")
    if not values:
        return None, 0
    arr = (ctypes.c_char_p * len(values))(*[encode(name, v) for v in values])
    keep.append(arr)
    return arr, len(values)


#: mars_task_init's output for the library last asked: (library, bytes).
_task_defaults: tuple[Any, bytes] | None = None


def _defaults(lib: Any) -> bytes:
    """mars_task_init's defaults, asked of lib once rather than on every task
    (a call into the library, and a turn of the GIL, per task)."""
    global _task_defaults
    known = _task_defaults
    if known is None or known[0] is not lib:
        t, _ = S.init_struct(lib.mars_task_init, S.Task)
        known = _task_defaults = (lib, ctypes.string_at(ctypes.addressof(t), ctypes.sizeof(S.Task)))
    return known[1]


def to_c_task(lib: Any, task: Task, taskid: int, keep: list[Any], with_body: bool = False) -> S.Task:
    """Fills a mars_task from task (starting from mars_task_init's defaults),
    with task.body in mars_task.body if with_body. Everything the struct
    points to is appended to keep."""
    if not isinstance(task.body, (bytes, bytearray, memoryview)):
        raise TypeError(f"body must be bytes, not {type(task.body).__name__}")
    t = S.Task.from_buffer_copy(_defaults(lib))
    t.taskid = check_int("taskid", taskid, _UINT32)
    t.cmdid = check_int("cmdid", task.cmdid, _UINT32)
    t.channel_select = check_int("channel", int(task.channel), _INT32)
    t.channel_strategy = check_int("strategy", int(task.strategy), _INT32)
    t.channel_name = encode("channel_name", task.channel_name)
    t.cgi = encode("cgi", task.cgi)
    t.send_only = bool(task.send_only)
    t.need_authed = bool(task.need_authed)
    t.limit_flow = bool(task.limit_flow)
    t.limit_frequency = bool(task.limit_frequency)
    t.network_status_sensitive = bool(task.network_status_sensitive)
    t.priority = check_int("priority", task.priority, _INT32)
    t.retry_count = check_int("retry_count", task.retry_count, _INT32)
    t.server_process_cost_ms = check_int("server_process_cost_ms", task.server_process_cost_ms, _INT64)
    t.total_timeout_ms = check_int("total_timeout_ms", task.total_timeout_ms, _INT64)
    t.user_id = encode("user_id", task.user_id)
    t.report_arg = encode("report_arg", task.report_arg)
    t.shortlink_hosts, t.shortlink_hosts_len = c_strings("shortlink_hosts", task.shortlink_hosts, keep)
    t.longlink_hosts, t.longlink_hosts_len = c_strings("longlink_hosts", task.longlink_hosts, keep)
    names, values = list(task.headers.keys()), list(task.headers.values())
    t.header_names, t.headers_len = c_strings("header_names", names, keep)
    t.header_values, _ = c_strings("header_values", values, keep)
    t.long_polling = bool(task.long_polling)
    t.long_polling_timeout_ms = check_int("long_polling_timeout_ms", task.long_polling_timeout_ms, _INT64)
    if with_body:
        body = task.body if type(task.body) is bytes else bytes(task.body)
        t.body, t.body_len = body, len(body)  # the library copies it at start
    return t
