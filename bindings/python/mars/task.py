"""Tasks and what callbacks report about them, as plain dataclasses.

Task mirrors mars_task with Pythonic names and Mars's defaults (mars_task_init);
it also carries the request body (handed to the library in mars_task.body, or
sent by the binding's req2buf when Callbacks override it or the library is
older) and a context object handed back in every TaskRef.
"""

from __future__ import annotations

import ctypes
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import _structs as S
from .constants import Channel, ChannelStrategy, ErrType, Result
from .errors import InvalidArgument, TaskError

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_UINT32 = (0, 2**32 - 1)
_UINT64 = (0, 2**64 - 1)


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
    #: Non-zero: the task may only go out on the long-link connection of this
    #: id (Stn.longlink_connection_id); once that connection is gone the task
    #: ends with (LOCAL, CHANNEL_ID). Needs a libmars with "channel_id"
    #: (an older one ignores it).
    channel_id: int = 0


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
    #: What the host's buf2resp_ext answered (Mars's flags and
    #: server_sequence_id); 0 from a library without "extension_buffers".
    resp_flags: int = 0
    server_sequence_id: int = 0

    @classmethod
    def from_c(cls, p: S.TaskProfile) -> TaskProfile:
        """Built from the C struct the library filled (internal to the binding):
        its bytes and strings, read as a batch of task ends reads them."""
        return cls._from_raw(bytes(p), *[getattr(p, name) for name in _PROFILE_STRINGS])

    @classmethod
    def _from_raw(cls, raw: bytes, *strings: bytes) -> TaskProfile:
        """Built from a copy of the C struct (raw) and its strings (in
        _PROFILE_STRINGS order; None reads as ""). Runs once per task, so it
        fills the instance's __dict__ directly: the frozen dataclass's
        __init__ would cost 6x as much (22 guarded setattrs)."""
        obj = object.__new__(cls)
        values = obj.__dict__
        values.update(zip(_PROFILE_ROW_NAMES, _PROFILE_ROW.unpack_from(raw), strict=True))
        if values.pop("struct_size") < _PROFILE_EXT_END:
            values["resp_flags"] = values["server_sequence_id"] = 0
        for name, v in zip(_PROFILE_STRINGS, strings, strict=True):
            values[name] = v.decode(errors="replace") if v else ""
        return obj


_PROFILE_STRINGS = ("cgi", "user_id", "report_arg", "connect_ip")
_PROFILE_EXT_END = S.TaskProfile.server_sequence_id.offset + 4
#: The numbers of a mars_task_profile, read in one call: struct_size first,
#: then the fields in the C struct's order.
_PROFILE_ROW_NAMES = tuple(f[0] for f in S.TaskProfile._fields_ if f[0] not in _PROFILE_STRINGS)
_PROFILE_ROW = S.unpacker(S.TaskProfile, _PROFILE_ROW_NAMES)


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

    @classmethod
    def of(cls, taskid: int, err_type: int, err_code: int, body: bytes | None, profile: TaskProfile) -> TaskResult:
        """TaskResult(...) for the binding's per-task path: fills the
        instance's __dict__ directly, as TaskProfile.from_c does (the frozen
        dataclass's __init__ costs twice as much)."""
        obj = object.__new__(cls)
        values = obj.__dict__
        values["taskid"], values["err_type"], values["err_code"] = taskid, err_type, err_code
        values["body"], values["profile"] = body, profile
        return obj

    @classmethod
    def _lazy(cls, taskid: int, err_type: int, err_code: int, body: bytes | None, raw: tuple[bytes, ...]) -> TaskResult:
        """As of, with the profile kept as TaskProfile._from_raw's arguments
        and built when profile is first read: most hosts never read it, and
        it was the costliest part of a task's end."""
        obj = object.__new__(cls)
        values = obj.__dict__
        values["taskid"], values["err_type"], values["err_code"] = taskid, err_type, err_code
        values["body"], values["_profile_raw"] = body, raw
        return obj

    def __getattr__(self, name: str) -> Any:  # called only while name is missing from __dict__
        if name == "profile":
            raw = self.__dict__.get("_profile_raw")
            if raw is not None:  # setdefault: threads reading it at once all get the same object
                return self.__dict__.setdefault("profile", TaskProfile._from_raw(*raw))
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

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


def _number(c_field: str, name: str, bounds: tuple[int, int], conv: Any = None) -> Any:
    def put(t: S.Task, v: Any, keep: list[Any]) -> None:
        setattr(t, c_field, check_int(name, conv(v) if conv else v, bounds))

    return put


def _flag(c_field: str) -> Any:
    def put(t: S.Task, v: Any, keep: list[Any]) -> None:
        setattr(t, c_field, bool(v))

    return put


def _string(c_field: str) -> Any:
    def put(t: S.Task, v: Any, keep: list[Any]) -> None:
        setattr(t, c_field, encode(c_field, v))

    return put


def _strings(c_field: str) -> Any:
    def put(t: S.Task, v: Any, keep: list[Any]) -> None:
        arr, n = c_strings(c_field, v, keep)
        setattr(t, c_field, arr)
        setattr(t, c_field + "_len", n)

    return put


def _headers(t: S.Task, v: Any, keep: list[Any]) -> None:
    if type(v) is dict and not v:  # every Task() has its own empty dict: the template's NULL, 0 stand
        return
    names, values = list(v.keys()), list(v.values())
    t.header_names, t.headers_len = c_strings("header_names", names, keep)
    t.header_values, _ = c_strings("header_values", values, keep)


#: How each Task field fills the mars_task (body aside).
_FILL: tuple[tuple[str, Any], ...] = (
    ("cmdid", _number("cmdid", "cmdid", _UINT32)),
    ("channel", _number("channel_select", "channel", _INT32, int)),
    ("strategy", _number("channel_strategy", "strategy", _INT32, int)),
    ("channel_name", _string("channel_name")),
    ("cgi", _string("cgi")),
    ("send_only", _flag("send_only")),
    ("need_authed", _flag("need_authed")),
    ("limit_flow", _flag("limit_flow")),
    ("limit_frequency", _flag("limit_frequency")),
    ("network_status_sensitive", _flag("network_status_sensitive")),
    ("priority", _number("priority", "priority", _INT32)),
    ("retry_count", _number("retry_count", "retry_count", _INT32)),
    ("server_process_cost_ms", _number("server_process_cost_ms", "server_process_cost_ms", _INT64)),
    ("total_timeout_ms", _number("total_timeout_ms", "total_timeout_ms", _INT64)),
    ("user_id", _string("user_id")),
    ("report_arg", _string("report_arg")),
    ("shortlink_hosts", _strings("shortlink_hosts")),
    ("longlink_hosts", _strings("longlink_hosts")),
    ("headers", _headers),
    ("long_polling", _flag("long_polling")),
    ("long_polling_timeout_ms", _number("long_polling_timeout_ms", "long_polling_timeout_ms", _INT64)),
    ("channel_id", _number("channel_id", "channel_id", _UINT64)),
)

_DEFAULT_TASK = Task()
_FILL_DEFAULT = tuple((name, put, getattr(_DEFAULT_TASK, name)) for name, put in _FILL)
#: Task()'s mars_task for the library last asked: (library, bytes), and what
#: its pointers point to.
_default_c_task: tuple[Any, bytes] | None = None
_default_keep: list[Any] = []


def _default(lib: Any) -> bytes:
    """Task() converted once (from mars_task_init's output) for lib, so a
    task pays only for the fields it changed: no call into the library (and
    turn of the GIL) and no conversion of the ~20 fields left at their
    defaults, per task."""
    global _default_c_task
    known = _default_c_task
    if known is None or known[0] is not lib:
        t, _ = S.init_struct(lib.mars_task_init, S.Task)
        for name, put in _FILL:
            put(t, getattr(_DEFAULT_TASK, name), _default_keep)
        known = _default_c_task = (lib, ctypes.string_at(ctypes.addressof(t), ctypes.sizeof(S.Task)))
        _converted.clear()  # made for another library
    return known[1]


#: The fields a converted mars_task is remembered by (headers aside: only
#: tasks without headers are remembered), and the conversions remembered:
#: (their values, the values' types) -> (mars_task bytes, what they point to).
_KEY_FIELDS = tuple(name for name, _ in _FILL if name != "headers")
_key_of = operator.itemgetter(*_KEY_FIELDS)
_converted: dict[Any, tuple[bytes, list[Any]]] = {}
_MAX_CONVERTED = 64


def to_c_task(lib: Any, task: Task, taskid: int, keep: list[Any], with_body: bool = False) -> S.Task:
    """Fills a mars_task from task, with task.body in mars_task.body if
    with_body. Everything the struct points to is appended to keep. A field
    still holding Task()'s own default object keeps its converted default.

    Tasks alike but for body, taskid and context (the usual stream of
    requests) are converted once: the conversion is remembered by the other
    fields' values and types (a bool is no int here: check_int refuses it),
    for tasks without headers, and only once it succeeded."""
    if not isinstance(task.body, (bytes, bytearray, memoryview)):
        raise TypeError(f"body must be bytes, not {type(task.body).__name__}")
    template = _default(lib)  # first: it clears _converted when lib is new
    given = task.__dict__
    key: Any = None
    if type(given["headers"]) is dict and not given["headers"]:
        values = _key_of(given)
        key = (values, tuple(map(type, values)))
        try:
            known = _converted.get(key)
        except TypeError:  # a list or another unhashable value: converted each time
            key = known = None
        if known is not None:
            t = S.Task.from_buffer_copy(known[0])
            keep.append(known[1])
            return _finish(t, task, taskid, with_body)
    c = S.Task.from_buffer_copy(template)
    own: list[Any] = [c]  # c holds the strings set into it (ctypes keeps them in c)
    for name, put, default in _FILL_DEFAULT:
        v = given[name]
        if v is not default:
            put(c, v, own)
    keep.append(own)
    converted = bytes(c)
    if key is not None:
        if len(_converted) >= _MAX_CONVERTED:
            _converted.clear()
        _converted[key] = (converted, own)
    return _finish(S.Task.from_buffer_copy(converted), task, taskid, with_body)


def _finish(t: S.Task, task: Task, taskid: int, with_body: bool) -> S.Task:
    t.taskid = check_int("taskid", taskid, _UINT32)
    if with_body:
        body = task.body if type(task.body) is bytes else bytes(task.body)
        t.body, t.body_len = body, len(body)  # the library copies it at start
    return t
